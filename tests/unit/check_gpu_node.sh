#!/usr/bin/env bash
# benchmarks/gpu_node.sh: parses, its help names every subcommand and bench
# target, and it refuses unknown ones (and, without a GPU, the GPU targets) at
# once with exit 2, before building anything.  Usage: check_gpu_node.sh SRC
set -uo pipefail
src=${1:?source folder}
s=$src/benchmarks/gpu_node.sh
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
bash -n "$s" || fail "bash -n $s"
help=$(bash "$s" help) || fail "help: exit $?"
[[ $(bash "$s" --help) == "$help" ]] || fail "--help differs from help"
for w in build test bench profile help; do
  grep -qE "^  $w( |,|$)" <<< "$help" || fail "help does not list subcommand '$w'"
done
for t in kmc kmc-launch kmc-run score score-poses dock dock-chains seeds pipeline gemm io scaling cpu-probe suite landscape all; do
  grep -qE "^     $t( |$)" <<< "$help" || fail "help does not list bench target '$t'"
done
OUT=$out bash "$s" frobnicate > /dev/null 2>&1; rc=$?; [[ $rc == 2 ]] || fail "unknown subcommand: exit $rc, not 2"
OUT=$out bash "$s" bench frobnicate > /dev/null 2>&1; rc=$?; [[ $rc == 2 ]] || fail "unknown bench target: exit $rc, not 2"
OUT=$out bash "$s" profile frobnicate > /dev/null 2>&1; rc=$?; [[ $rc == 2 ]] || fail "unknown profile target: exit $rc, not 2"
if ! command -v nvidia-smi > /dev/null; then
  err=$(OUT=$out NO_BUILD=1 timeout 30 bash "$s" bench kmc 2>&1 > /dev/null); rc=$?
  [[ $rc == 2 ]] || fail "bench kmc without a GPU: exit $rc, not 2"
  grep -q "needs an NVIDIA GPU" <<< "$err" || fail "bench kmc without a GPU: no clear message: $err"
  grep -q "devices (nvidia-smi -L)" "$out/bench-kmc.log" || fail "bench-kmc.log lacks the device header"
fi
[[ $fails == 0 ]] && echo "gpu_node.sh checks passed"
exit $((fails > 0))
