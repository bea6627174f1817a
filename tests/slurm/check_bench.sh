#!/usr/bin/env bash
# `bench io` and `bench gemm` from the command line, and the benchmark driver:
#  - bench io on 1 and 2 ranks: JSON arithmetic (bytes, MB/s = bytes / median),
#    and the kept file read by h5py, an independent reader: every rank's slab
#    holds the values it wrote (rank * 1e12 + index);
#  - bench gemm on a build without CUDA: a message and exit 2, no figure;
#  - benchmarks/run_benchmarks --quick: results.json, the CSVs and the
#    efficiencies have the documented structure and agree with each other.
#   check_bench.sh PANDAKINETICS SOURCE_DIR MPIEXEC
set -u
pk=$(realpath "$1") src=$(realpath "$2") mpiexec=$3
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }

for n in 1 2; do
  timeout 120 "$mpiexec" -n $n --oversubscribe "$pk" bench io --mb-per-rank 2 --repeats 2 --file io$n.h5 --keep \
      --json io$n.json > io$n.log 2>&1 || { fail "bench io on $n ranks"; cat io$n.log; }
  grep -q "MB/s (read back and verified)" io$n.log || fail "bench io did not print its figure with units"
  "$py" - io$n.json io$n.h5 $n <<'PY' || fail "bench io output on $n ranks"
import json, sys
import h5py
import numpy as np
js, h5, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = json.load(open(js))
count = 2_000_000 // 8
assert r["ranks"] == n and r["bytes_per_rank"] == count * 8 and r["bytes_total"] == n * count * 8, r
assert r["min_s"] <= r["median_s"] <= r["max_s"] and r["verified"] is True, r
assert abs(r["write_MB_per_s"] - r["bytes_total"] / r["median_s"] / 1e6) < 1e-9 * r["write_MB_per_s"], r
with h5py.File(h5, "r") as f:
    d = f["data"][...]
want = np.concatenate([rank * 1e12 + np.arange(count, dtype=np.float64) for rank in range(n)])
assert d.dtype == np.float64 and np.array_equal(d, want), "file content"
print(f"bench io, {n} rank(s): {r['write_MB_per_s']:.4g} MB/s, file content verified by h5py")
PY
done
"$pk" bench io --mb-per-rank 0 > bad.log 2>&1; [[ $? == 2 ]] || fail "bench io --mb-per-rank 0 is not a usage error"

if "$pk" --version | grep -q "Cuda"; then
  echo "CUDA build: bench gemm needs a GPU at run time; not run here"
else
  "$pk" bench gemm > gemm.log 2>&1; rc=$?
  [[ $rc == 2 ]] || fail "bench gemm on a CPU build: exit $rc, expected 2"
  grep -q "needs a CUDA build" gemm.log || fail "bench gemm on a CPU build: no message"
  grep -qi "tflop" gemm.log && fail "bench gemm printed a figure without a GPU"
fi

timeout 170 "$py" "$src/benchmarks/run_benchmarks" --quick --output quick --pk "$pk" --pk-cuda none \
    --mpiexec "$mpiexec" --max-ranks 2 --sections kmc,gemm,io,scaling > quick.log 2>&1 || { fail "run_benchmarks --quick"; cat quick.log; }
"$py" - quick <<'PY' || { fail "run_benchmarks --quick output"; cat quick.log; }
import csv, json, os, sys
d = sys.argv[1]
r = json.load(open(os.path.join(d, "results.json")))
assert r["mode"] == "quick" and r["failed"] == [], r["failed"]
assert "gemm" in r["skipped"], r["skipped"]
secs = {x["section"] for x in r["records"]}
assert {"kmc", "io", "scaling_strong", "scaling_weak"} <= secs, secs
for x in r["records"]:
    assert x["exit_code"] == 0 and "result" in x, x
def rows(name):
    return list(csv.DictReader(open(os.path.join(d, name))))
kmc = rows("kmc.csv")
assert [int(x["walkers_per_replica"]) for x in kmc if x["sweep"] == "walkers"] == r["sizes"]["kmc_walkers"]
assert [int(x["states"]) for x in kmc if x["sweep"] == "states"] == r["sizes"]["kmc_states"]
for x in kmc:  # steps/s = replicas * walkers * steps / median
    want = int(x["replicas"]) * int(x["walkers_per_replica"]) * int(x["steps_per_walker"]) / float(x["median_s"])
    assert abs(float(x["steps_per_s"]) - want) < 1e-6 * want, x
io = rows("io.csv")
assert [int(x["ranks"]) for x in io] == [1, 2], io
strong, weak = rows("scaling_strong.csv"), rows("scaling_weak.csv")
assert [(int(x["ranks"]), int(x["replicas"])) for x in strong] == [(1, 64), (2, 64)], strong
assert [(int(x["ranks"]), int(x["replicas"])) for x in weak] == [(1, 4), (2, 8)], weak
if "plots" not in r["skipped"]:
    eff = json.load(open(os.path.join(d, "scaling_efficiency.json")))
    for kind, table in (("strong", strong), ("weak", weak)):
        s = [float(x["steps_per_s"]) for x in table]
        assert abs(eff[kind]["efficiency"][1] - s[1] / (2 * s[0])) < 1e-12, (kind, eff[kind])
    for png in ("scaling.png", "kmc.png", "io.png"):
        assert os.path.getsize(os.path.join(d, png)) > 1000, png
print("run_benchmarks --quick:", len(r["records"]), "runs in", r["wall_s"], "s; skipped:", sorted(r["skipped"]))
PY
# plot_scaling.py on bad input: a message naming the file and line, no plot.
printf 'ranks,steps_per_s\n1,100\n2,abc\n' > bad.csv
"$py" "$src/analysis/plot_scaling.py" --strong bad.csv --output bad.png > bad_plot.log 2>&1 && fail "plot_scaling.py accepted a bad CSV"
grep -q "bad.csv:3:" bad_plot.log || { fail "plot_scaling.py message does not name bad.csv:3"; cat bad_plot.log; }
[[ ! -e bad.png ]] || fail "plot_scaling.py drew a plot from a bad CSV"
printf 'ranks,steps_per_s\n2,100\n' > no_one.csv
"$py" "$src/analysis/plot_scaling.py" --weak no_one.csv --output bad.png > bad_plot.log 2>&1 && fail "plot_scaling.py accepted rows without 1 rank"
grep -q "no row for 1 rank" bad_plot.log || fail "plot_scaling.py: no message for a missing 1-rank row"

# The jobscripts that cannot run here (GPU ones need a Slurm with GPUs): they
# parse, go through pk-job.sh, and ask for what the preemption protocol needs.
for f in "$src"/jobscripts/*.sbatch; do
  bash -n "$f" || fail "$f does not parse"
  grep -qE '^pk_(kmc|scaling)_step' "$f" || fail "$f does not run through pk-job.sh"
done
for f in single-gpu node multi-node cpu; do
  for opt in "--signal=B:USR1@120" "--requeue" "--open-mode=append"; do
    grep -q -- "^#SBATCH $opt" "$src/jobscripts/$f.sbatch" || fail "$f.sbatch lacks #SBATCH $opt"
  done
done
for f in node multi-node; do
  grep -q -- "^#SBATCH --gpus-per-task=1" "$src/jobscripts/$f.sbatch" || fail "$f.sbatch: not one GPU per task"
done
echo "$fails failed"
[[ $fails == 0 ]]
