#!/usr/bin/env bash
# The CPU jobscripts under a real Slurm: starts a private one-node Slurm
# (slurm_daemons.sh), submits jobscripts/cpu.sbatch, strong-scaling.sbatch and
# weak-scaling.sbatch with sbatch, and checks their HDF5/JSON/CSV results
# against runs of the same program outside Slurm (bitwise identical). Then
# preemption: USR1 to a running job's batch shell -> checkpoint -> requeue ->
# resume -> results bitwise equal to an uninterrupted run. Stops every daemon
# and job it started, also on failure. Exit 77 (skipped) when not root or
# Slurm/munge are not installed.
#   check_jobscripts.sh PANDAKINETICS SOURCE_DIR MPIEXEC
set -u
pk=$(realpath "$1") src=$(realpath "$2") mpiexec=$3
py=${PK_PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) != 0 ]]; then
  echo "SKIP: needs root (munged runs as the munge user, slurmd as root)"; exit 77
fi
for b in slurmctld slurmd sbatch srun scontrol squeue sinfo scancel munged munge unmunge runuser; do
  command -v "$b" >/dev/null 2>&1 || [[ -x /usr/sbin/$b ]] ||
    { echo "SKIP: $b not installed (Debian: slurmctld slurmd slurm-client munge)"; exit 77; }
done
export PATH=$PATH:/usr/sbin
SECONDS=0
step() { echo "[$SECONDS s] $*"; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }

source "$here/slurm_daemons.sh"
T=$(mktemp -d /tmp/pk-slurm-test.XXXXXX)
chmod 755 "$T"  # munged (user munge) must reach its folder inside
cleanup() {
  pk_slurm_stop
  if [[ $fails != 0 && -d $T ]]; then
    echo "--- logs kept for the failure: $T"
  else
    rm -rf "$T"
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

step "start munged, slurmctld, slurmd in $T"
PK_SLURM_GPUS=2 pk_slurm_start "$T/slurm" || { fail "could not start Slurm"; exit 1; }
srun --mpi=list 2>&1 | grep -q pmix || { fail "srun has no pmix MPI plugin"; exit 1; }
sinfo

W=$T/work
mkdir -p "$W"
cd "$W"
export PK_ROOT=$src PK_BIN=$pk PK_PYTHON=$py OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
net=$src/inputs/networks/two_state
export PK_KMC_ARGS="--states $net/states.csv --edges $net/edges.csv --progress-every 0"
small="--walkers 256 --time 2e-2 --seed 42"

submit() {  # submit SBATCH-OPTIONS... SCRIPT ARGS...: prints the job id
  sbatch --parsable --chdir="$W" "$@" | cut -d';' -f1
}
wait_jobs() {  # wait_jobs ID SECONDS: until every task of ID has ended
  local id=$1 limit=$2 t0=$SECONDS states
  while (( SECONDS - t0 < limit )); do
    states=$(pk_job_states "$id")
    if [[ -n $states ]] && ! grep -qvE '^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$' <<<"$states"; then
      return 0
    fi
    sleep 0.5
  done
  echo "job $id still not finished after $limit s: $(pk_job_states "$id" | tr '\n' ' ')"
  squeue
  return 1
}
all_completed() { ! pk_job_states "$1" | grep -qvx COMPLETED; }
mpi() { local n=$1; shift; timeout 300 "$mpiexec" -n "$n" --oversubscribe "$pk" "$@"; }

# 1. cpu.sbatch: 2 ranks x 1 thread; the same run outside Slurm on 1 rank
#    must give bitwise the same datasets (results do not depend on ranks).
step "1. cpu.sbatch"
job=$(submit -n 2 -c 1 -t 5 --job-name=pk-cpu "$src/jobscripts/cpu.sbatch" --replicas 4 $small)
[[ -n $job ]] || fail "sbatch cpu.sbatch"
mpi 1 kmc $PK_KMC_ARGS --replicas 4 $small --output ref_cpu.h5 > ref_cpu.log 2>&1 || fail "reference run"
wait_jobs "$job" 90 || fail "cpu.sbatch did not finish"
all_completed "$job" || { fail "cpu.sbatch state $(pk_job_states "$job")"; cat "pk-cpu-$job.log"; }
out=$W/pk-cpu-$job
[[ -f $out/run.h5 && -f $out/run.json ]] || { fail "cpu.sbatch wrote no run.h5/run.json"; cat "pk-cpu-$job.log"; }
"$py" "$src/tests/kmc/compare_h5.py" ref_cpu.h5 "$out/run.h5" || fail "cpu.sbatch result differs from mpirun's"
[[ ! -e $out/run.ckpt.h5 ]] || fail "finished job left its checkpoint"
"$py" - "$out/run.h5" "$out/run.json" <<'PY' || fail "cpu.sbatch HDF5/JSON content"
import json, sys
import h5py
h5, js = sys.argv[1:3]
s = json.load(open(js))
with h5py.File(h5, "r") as f:
    assert f["/run_info"].attrs["ranks"] == 2, "the job ran on 2 ranks"
    steps = f["/results/walkers/steps"][...]
    assert steps.shape == (4 * 256,), steps.shape
    assert steps.sum() == s["steps"], (steps.sum(), s["steps"])
k = s["conditions"][0]["koff_per_s"]
assert k["ci95_low"] <= k["value"] <= k["ci95_high"], k
assert 300 < k["value"] < 1200, k  # the two-state network's Eyring koff is ~600 1/s
print("cpu.sbatch: 2 ranks,", int(s["steps"]), "steps, koff", k["value"], "1/s")
PY

# 2. Job arrays: strong scaling over 1 and 2 ranks of a 4-replica run, weak
#    scaling with 2 replicas per rank; one CSV/JSONL row per array task.
step "2. strong-scaling.sbatch and weak-scaling.sbatch (arrays over 1, 2 ranks)"
sj=$(PK_REPLICAS=4 PK_RESULTS=$W/strong.csv submit --array=1,2 -n 2 -t 5 --job-name=pk-strong \
       "$src/jobscripts/strong-scaling.sbatch" $small)
wj=$(PK_REPLICAS_PER_RANK=2 PK_RESULTS=$W/weak.csv submit --array=1,2 -n 2 -t 5 --job-name=pk-weak \
       "$src/jobscripts/weak-scaling.sbatch" $small)
wait_jobs "$sj" 90 || fail "strong scaling array did not finish"
wait_jobs "$wj" 60 || fail "weak scaling array did not finish"
all_completed "$sj" || { fail "strong array: $(pk_job_states "$sj" | tr '\n' ' ')"; cat pk-strong-*.log; }
all_completed "$wj" || { fail "weak array: $(pk_job_states "$wj" | tr '\n' ' ')"; cat pk-weak-*.log; }
"$py" "$src/tests/kmc/compare_h5.py" "$W/pk-strong-${sj}_1/run.h5" "$W/pk-strong-${sj}_2/run.h5" ||
  fail "strong scaling: 1 and 2 ranks differ"
"$py" - "$W/strong.csv" "$W/weak.csv" <<'PY' || fail "scaling rows"
import csv, json, sys
for path, kind in zip(sys.argv[1:3], ("strong", "weak")):
    rows = list(csv.DictReader(open(path)))
    lines = [json.loads(l) for l in open(path[:-4] + ".jsonl")]
    assert len(rows) == 2 and len(lines) == 2, (path, rows)
    assert sorted(int(r["ranks"]) for r in rows) == [1, 2], rows
    for r, l in zip(rows, lines):
        assert r["kind"] == kind and l["kind"] == kind
        assert float(r["steps_per_s"]) > 0 and float(r["wall_time_s"]) > 0, r
        assert abs(float(r["steps"]) / float(r["wall_time_s"]) - float(r["steps_per_s"])) < 1e-6 * float(r["steps_per_s"])
        want = 4 if kind == "strong" else 2 * int(r["ranks"])
        assert int(r["replicas"]) == want, (kind, r)
    if kind == "strong":  # the same run on every rank count: the same steps
        assert rows[0]["steps"] == rows[1]["steps"] and rows[0]["fingerprint"] == rows[1]["fingerprint"], rows
    print(kind, [(r["ranks"], r["replicas"], r["steps"], r["steps_per_s"]) for r in rows])
PY
"$py" "$src/analysis/plot_scaling.py" --strong "$W/strong.csv" --weak "$W/weak.csv" --output "$W/scaling.png" ||
  fail "plot_scaling.py"
[[ -s $W/scaling.png ]] || fail "no scaling plot"

# 3. Preemption: a run of some seconds; USR1 to the batch shell while it runs.
#    The job checkpoints, requeues itself, resumes, and its results equal an
#    uninterrupted run's bit for bit.
step "3. preemption: USR1 -> checkpoint -> requeue -> resume"
long="--replicas 2 --walkers 64 --time 1e4 --seed 7 --segments 400"
pj=$(submit -n 2 -c 1 -t 10 --job-name=pk-preempt -o "$W/pk-preempt-%j.log" "$src/jobscripts/cpu.sbatch" $long)
log=$W/pk-preempt-$pj.log
for _ in $(seq 1 240); do grep -q "segment 2/" "$log" 2>/dev/null && break; sleep 0.25; done
grep -q "segment 2/" "$log" 2>/dev/null || { fail "preempt job never got going"; cat "$log"; }
scancel --signal=USR1 --batch "$pj" || fail "scancel --signal=USR1 --batch"
# Requeued, the job waits (BeginTime) about two minutes; the test lets it
# start at once.
requeued=0
for _ in $(seq 1 120); do
  if [[ $(pk_job_states "$pj") == PENDING ]] && grep -q "requeueing" "$log"; then requeued=1; break; fi
  sleep 0.25
done
(( requeued )) || { fail "job not requeued: $(pk_job_states "$pj")"; cat "$log"; }
[[ -f $W/pk-preempt-$pj/run.ckpt.h5 ]] || fail "no checkpoint after USR1"
[[ ! -f $W/pk-preempt-$pj/run.h5 ]] || fail "the interrupted run wrote its output"
scontrol update JobId="$pj" StartTime=now || fail "scontrol update StartTime"
mpi 1 kmc $PK_KMC_ARGS $long --output ref_long.h5 > ref_long.log 2>&1 || fail "uninterrupted reference run"
wait_jobs "$pj" 120 || fail "requeued job did not finish"
all_completed "$pj" || fail "requeued job state $(pk_job_states "$pj")"
scontrol show job "$pj" -o | grep -q "Restarts=1" || fail "job did not restart exactly once"
for pattern in "received SIGUSR1" "checkpoint written to" "requeueing job $pj" "resuming from checkpoint" \
               "restarting from .*run.ckpt.h5 at segment"; do
  grep -q "$pattern" "$log" || fail "log lacks '$pattern'"
done
"$py" "$src/tests/kmc/compare_h5.py" ref_long.h5 "$W/pk-preempt-$pj/run.h5" ||
  fail "preempted + resumed job differs from the uninterrupted run"
[[ $fails == 0 ]] || { echo "--- preempted job's log"; cat "$log"; }

# 3b. SIGTERM (Slurm's own preemption, or the limit): checkpoint and end
#     without a requeue; submitting again with the same PK_OUTDIR resumes.
step "3b. TERM -> checkpoint, no requeue; a resubmission resumes"
tdir=$W/term
tj=$(PK_OUTDIR=$tdir submit -n 2 -c 1 -t 10 --job-name=pk-term -o "$W/pk-term-%j.log" "$src/jobscripts/cpu.sbatch" $long)
tlog=$W/pk-term-$tj.log
for _ in $(seq 1 240); do grep -q "segment 2/" "$tlog" 2>/dev/null && break; sleep 0.25; done
scancel --signal=TERM --batch "$tj" || fail "scancel --signal=TERM --batch"
wait_jobs "$tj" 60 || fail "TERM job did not end"
[[ $(pk_job_states "$tj") == COMPLETED ]] || { fail "TERM job state $(pk_job_states "$tj")"; cat "$tlog"; }
scontrol show job "$tj" -o | grep -q "Restarts=0" || fail "TERM job was requeued"
[[ -f $tdir/run.ckpt.h5 && ! -f $tdir/run.h5 ]] || { fail "TERM: expected a checkpoint and no result"; cat "$tlog"; }
tj2=$(PK_OUTDIR=$tdir submit -n 1 -c 1 -t 10 --job-name=pk-term2 -o "$W/pk-term-%j.log" "$src/jobscripts/cpu.sbatch" $long)
wait_jobs "$tj2" 90 || fail "resubmitted job did not finish"
all_completed "$tj2" || fail "resubmitted job state $(pk_job_states "$tj2")"
grep -q "resuming from checkpoint" "$W/pk-term-$tj2.log" || fail "the resubmission did not resume"
"$py" "$src/tests/kmc/compare_h5.py" ref_long.h5 "$tdir/run.h5" ||
  fail "TERM + resubmission (on 1 rank) differs from the uninterrupted run"

# 4. The GPU jobscripts' Slurm side on 2 stand-in GPUs (slurm_daemons.sh):
#    they run the CPU build through a wrapper that records each task's
#    CUDA_VISIBLE_DEVICES. Slurm must accept their options, give every task
#    of node.sbatch / multi-node.sbatch its own GPU, and the results must
#    equal the reference run's.
if (( pk_slurm_gpus == 2 )); then
  step "4. single-gpu, node, multi-node.sbatch on 2 stand-in GPUs"
  cat > gpu-wrap.sh <<WRAP
#!/bin/bash
echo "\$SLURM_PROCID \${CUDA_VISIBLE_DEVICES-unset}" >> "$W/gpus-\$SLURM_JOB_ID.txt"
exec "$pk" "\$@"
WRAP
  chmod +x gpu-wrap.sh
  declare -A gjobs
  gjobs[single-gpu]=$(PK_BIN=$W/gpu-wrap.sh submit -c 1 -t 5 "$src/jobscripts/single-gpu.sbatch" --replicas 4 $small)
  gjobs[node]=$(PK_BIN=$W/gpu-wrap.sh submit --ntasks-per-node=2 -c 1 -t 5 "$src/jobscripts/node.sbatch" --replicas 4 $small)
  gjobs[multi-node]=$(PK_BIN=$W/gpu-wrap.sh submit --nodes=1 --ntasks-per-node=2 -c 1 -t 5 \
                        "$src/jobscripts/multi-node.sbatch" --replicas 4 $small)
  for name in single-gpu node multi-node; do
    j=${gjobs[$name]}
    wait_jobs "$j" 90 || fail "$name.sbatch did not finish"
    all_completed "$j" || { fail "$name.sbatch state $(pk_job_states "$j")"; cat "$W"/pk-*-"$j".log; continue; }
    out=$(ls -d "$W"/pk-*-"$j")
    "$py" "$src/tests/kmc/compare_h5.py" ref_cpu.h5 "$out/run.h5" || fail "$name.sbatch result differs"
    devs=$(sort "$W/gpus-$j.txt" | awk '{print $2}' | tr '\n' ' ')
    echo "$name.sbatch: CUDA_VISIBLE_DEVICES per task: $devs"
    if [[ $name == single-gpu ]]; then
      [[ $devs =~ ^[01]\ $ ]] || fail "single-gpu.sbatch: task devices '$devs'"
    else
      [[ $devs == "0 1 " || $devs == "1 0 " ]] || fail "$name.sbatch: tasks do not each get their own GPU: '$devs'"
    fi
  done
else
  echo "4. GPU jobscripts: skipped (could not make stand-in GPU device files with mknod)"
fi

step "stop the daemons"
pk_slurm_stop
for f in "$T/slurm/run/slurmctld.pid" "$T/slurm/run/slurmd.pid" "$T/slurm/munge/munged.pid"; do
  [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && fail "$(basename "$f" .pid) still running"
done
step "$fails failed"
[[ $fails == 0 ]]
