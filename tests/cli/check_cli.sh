#!/usr/bin/env bash
# Exit codes and messages of the real executable.
set -u
pk=$1 mpiexec=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
expect() {  # expect CODE PATTERN -- command...
  local code=$1 pattern=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [[ $rc != "$code" ]]; then echo "FAIL: '$*' exited $rc, expected $code"; echo "$out"; fails=$((fails+1)); return; fi
  if [[ -n $pattern ]] && ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: '$*' output lacks /$pattern/"; echo "$out"; fails=$((fails+1)); return; fi
  echo "ok: $* -> $rc"
}
expect 0 "Kokkos 3\.4|Kokkos [4-9]\." -- "$pk" --version
expect 0 "HDF5: .*parallel" -- "$pk" --version
expect 0 "MPI: " -- "$pk" --version
expect 0 "subcommands:" -- "$pk" --help
expect 2 "usage:" -- "$pk"
expect 2 "unknown subcommand 'frobnicate'" -- "$pk" frobnicate
expect 2 "no poses file given" -- "$pk" network
expect 2 "no network given" -- "$pk" kmc
expect 0 "targets:" -- "$pk" bench --help
expect 2 "unknown target 'frob' \\(available: kmc, score" -- "$pk" bench frob
expect 2 "usage: pandakinetics bench <target>" -- "$pk" bench
# --help is ours, not Kokkos': its help must not be printed; --kokkos-* options still reach Kokkos.
# Only options that Kokkos 3.4 and 4.x both take (--kokkos-threads went in 4.3;
# KOKKOS_NUM_THREADS works on both).
if "$pk" kmc --help 2>&1 | grep -q "Kokkos command line arguments"; then echo "FAIL: Kokkos printed its help"; fails=$((fails+1)); else echo "ok: --help is the CLI's"; fi
expect 0 "N = 100 terms" -- env KOKKOS_NUM_THREADS=1 "$pk" demo --terms 100 --output k.h5 --kokkos-disable-warnings
# The OpenMP pool size --version reports is the one asked for.
if "$pk" --version 2>&1 | grep -q "OpenMP("; then
  for t in 1 2; do expect 0 "OpenMP\\($t threads\\)" -- env KOKKOS_NUM_THREADS=$t "$pk" --version; done
fi
expect 2 "unrecognised option|unrecognized option" -- "$pk" demo --bogus
expect 2 "terms" -- "$pk" demo --terms abc
expect 2 "must be >= 1" -- "$pk" demo --terms 0
# A one-line message for a bad option.
lines=$("$pk" demo --bogus 2>&1 | wc -l)
[[ $lines == 1 ]] && echo "ok: one-line error" || { echo "FAIL: error took $lines lines"; fails=$((fails+1)); }
expect 1 "missing\.ini: cannot open" -- "$pk" demo --config missing.ini
printf 'terms = 1000\n\n[demo]\nwibble = 3\n' > bad.ini
expect 1 "bad\.ini:4: unknown key 'wibble'" -- "$pk" demo --config bad.ini
printf '[demo]\nterms = 1000\noutput = from_config.h5\n' > good.ini
expect 0 "N = 1000 terms" -- "$pk" demo --config good.ini
[[ -f from_config.h5 ]] && echo "ok: config output name used" || { echo "FAIL: from_config.h5 missing"; fails=$((fails+1)); }
expect 0 "N = 2000 terms" -- "$pk" demo --config good.ini --terms 2000
# A failed write leaves an existing result untouched.
cp from_config.h5 keep.h5
expect 1 "error" -- "$pk" demo --terms 100 --output /nonexistent/dir/x.h5
cmp -s from_config.h5 keep.h5 && echo "ok: earlier result intact" || { echo "FAIL: earlier result changed"; fails=$((fails+1)); }
# An error on several ranks ends the job (no hang) with a non-zero code.
timeout 60 "$mpiexec" -n 2 --oversubscribe "$pk" demo --terms 100 --output /nonexistent/dir/x.h5 >out.txt 2>&1
rc=$?
if [[ $rc != 0 && $rc != 124 ]] && grep -q "nonexistent" out.txt; then echo "ok: 2-rank error exits $rc"
else echo "FAIL: 2-rank error exit $rc"; cat out.txt; fails=$((fails+1)); fi
echo "$fails failed"
[[ $fails == 0 ]]
