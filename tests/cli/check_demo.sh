#!/usr/bin/env bash
# `pandakinetics demo` on N ranks: the printed sum must match pi^2/6 minus its
# tail, and h5py must find one partial sum per rank adding up to the total.
set -eu
pk=$1 mpiexec=$2 n=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$mpiexec" -n "$n" --oversubscribe "$pk" demo --terms 1000003 --output demo.h5 | tee out.txt
grep -q "demo: $n MPI rank(s)" out.txt
"${PK_PYTHON:-python3}" - "$n" <<'PY'
import math, sys
import h5py
n = int(sys.argv[1])
with h5py.File("demo.h5", "r") as f:
    parts = f["demo/partial_sum"][...]
    first, last = f["demo/first_k"][...], f["demo/last_k_exclusive"][...]
    total = float(f["demo/total"][0])
assert len(parts) == n, parts
assert first[0] == 1 and last[-1] == 1000004 and all(first[1:] == last[:-1]), (first, last)
ref = math.fsum(1.0 / (k * k) for k in range(1, 1000004))
assert abs(sum(parts) - ref) < 1e-12, (sum(parts), ref)
assert abs(total - ref) < 1e-12
print(f"h5py: {n} partial sums, total {total:.15f} matches Python's fsum {ref:.15f}")
PY
