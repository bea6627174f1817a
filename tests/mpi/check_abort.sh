#!/usr/bin/env bash
# Runs test_abort_on_exception on 2 ranks: it must exit non-zero within the
# time limit and print rank 1's message.
set -u
mpiexec=$1 exe=$2
log=$(mktemp)
timeout 60 "$mpiexec" -n 2 --oversubscribe "$exe" >"$log" 2>&1
rc=$?
cat "$log"
if [[ $rc == 124 ]]; then echo "FAIL: the job hung"; exit 1; fi
if [[ $rc == 0 ]]; then echo "FAIL: exit code 0 after an exception"; exit 1; fi
grep -q "error (rank 1 of 2): deliberate failure on one rank" "$log" || { echo "FAIL: message missing"; exit 1; }
echo "PASS: aborted with exit code $rc and the failing rank's message"
