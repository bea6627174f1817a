# Sourced by the jobscripts (not submitted itself): locating the program,
# the output folder, and a `pandakinetics kmc` job step that survives
# preemption and time limits.
#
# How preemption works (the scripts ask `#SBATCH --signal=B:USR1@120`,
# `--requeue`, `--open-mode=append`):
#   1. Slurm sends USR1 to this batch shell 120 s before the time limit (or an
#      operator runs `scancel --signal=USR1 --batch JOBID`).
#   2. The trap below forwards USR1 to srun, which forwards it to every task;
#      `pandakinetics kmc` writes a checkpoint collectively and exits 0.
#   3. This shell runs `scontrol requeue $SLURM_JOB_ID`: the same job id goes
#      back to the queue (Slurm holds a requeued job for about two minutes
#      before it is eligible again).
#   4. The next start finds the checkpoint and passes `--restart` to kmc; the
#      results are bitwise those of an uninterrupted run (Philox draws depend
#      only on seed, replica, walker and step; the rank count may differ).
# SIGTERM to this shell (`scancel --signal=TERM --batch`, a preemption
# script) is passed on the same way, as USR1 (srun kills the step on TERM
# rather than forwarding it); kmc checkpoints and exits, and this shell does
# not requeue: a resubmission of the script with the same PK_OUTDIR resumes.
# At the time limit itself Slurm sends TERM to every process and kills them
# KillWait seconds later: kmc still checkpoints on TERM, but only the early
# USR1 leaves it time enough for a large checkpoint.
#
# Environment (all optional):
#   PK_ROOT     the PandaKinetics checkout (default: the submit directory)
#   PK_BIN      the executable (default: $PK_ROOT/build/$PK_BUILD/src/pandakinetics,
#               PK_BUILD = cpu or cuda as the jobscript says; else `pandakinetics` on PATH)
#   PK_OUTDIR   folder for run.h5, run.json and the checkpoint (default:
#               $SLURM_SUBMIT_DIR/$SLURM_JOB_NAME-<job id>, e.g. pk-cpu-1234, next to
#               the job's log pk-cpu-1234.log; the same across requeues)
#   PK_KMC_ARGS options for `pandakinetics kmc` (network, --time, --replicas, ...);
#               the jobscript's own arguments are appended. Default: the bundled
#               two-state example for 1e-2 s.
#   PK_SRUN_ARGS extra options for srun (e.g. "--cpu-bind=sockets")
#   PK_PYTHON   python3 used to read the JSON summary (default python3)

pk_log() { echo "pk-job $(date -u +%FT%TZ): $*"; }

pk_setup() {  # pk_setup BUILD (cpu|cuda)
  # From here on USR1/TERM are caught (bash's default for USR1 would end the
  # job without a requeue); pk_kmc_step acts on them.
  trap 'pk_forward USR1' USR1
  trap 'pk_forward TERM' TERM
  PK_ROOT=${PK_ROOT:-${SLURM_SUBMIT_DIR:-$PWD}}
  if [[ -z ${PK_BIN:-} ]]; then
    PK_BIN=$PK_ROOT/build/$1/src/pandakinetics
    [[ -x $PK_BIN ]] || PK_BIN=$(command -v pandakinetics || true)
  fi
  if [[ -z $PK_BIN || ! -x $PK_BIN ]]; then
    pk_log "no pandakinetics executable: set PK_BIN (looked for $PK_ROOT/build/$1/src/pandakinetics and PATH)"
    exit 1
  fi
  local id=${SLURM_ARRAY_JOB_ID:+${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}}
  id=${id:-${SLURM_JOB_ID:-local}}
  PK_OUTDIR=${PK_OUTDIR:-${SLURM_SUBMIT_DIR:-$PWD}/${SLURM_JOB_NAME:-pk}-$id}
  mkdir -p "$PK_OUTDIR"
  PK_PYTHON=${PK_PYTHON:-python3}
  local net=$PK_ROOT/inputs/networks/two_state
  PK_KMC_ARGS=${PK_KMC_ARGS:-"--states $net/states.csv --edges $net/edges.csv --time 1e-2"}
  pk_log "job ${SLURM_JOB_ID:-?} start ${SLURM_RESTART_COUNT:-0} on ${SLURM_JOB_NODELIST:-?}:" \
         "${SLURM_NTASKS:-1} task(s) x ${SLURM_CPUS_PER_TASK:-1} CPU(s), output in $PK_OUTDIR"
}

pk_signal=""
pk_step_pid=""
pk_forward() {  # trap handler: ask the job step to checkpoint
  pk_signal=$1
  pk_log "received SIG$1: asking the job step to checkpoint"
  # Always USR1 (kmc treats USR1 and TERM alike): srun forwards USR1 to every
  # task, but on TERM it kills the step instead of forwarding.
  [[ -n $pk_step_pid ]] && kill -USR1 "$pk_step_pid" 2>/dev/null
}

# pk_kmc_step [srun options --] kmc options...: runs `pandakinetics kmc` as one
# job step with the preemption protocol above. Returns kmc's exit code; on
# USR1 with a checkpoint written it requeues the job and exits the shell 0.
pk_kmc_step() {
  local srun_opts=()
  if [[ " $* " == *" -- "* ]]; then
    while [[ $1 != -- ]]; do srun_opts+=("$1"); shift; done
    shift
  fi
  local out=$PK_OUTDIR/run.h5 ckpt=$PK_OUTDIR/run.ckpt.h5 restart=()
  if [[ -f $ckpt ]]; then
    restart=(--restart "$ckpt")
    pk_log "resuming from checkpoint $ckpt"
  fi
  trap 'pk_forward USR1' USR1
  trap 'pk_forward TERM' TERM
  if [[ -n $pk_signal ]]; then  # signalled before the run started: nothing to checkpoint
    if [[ $pk_signal == USR1 ]]; then
      pk_log "signalled before the job step started; requeueing job $SLURM_JOB_ID"
      scontrol requeue "$SLURM_JOB_ID" || { pk_log "scontrol requeue failed"; exit 1; }
    fi
    exit 0
  fi
  # shellcheck disable=SC2086  # PK_KMC_ARGS and PK_SRUN_ARGS are word lists
  srun --mpi=pmix ${PK_SRUN_ARGS:-} "${srun_opts[@]}" "$PK_BIN" kmc $PK_KMC_ARGS "$@" \
       --output "$out" --summary "$PK_OUTDIR/run.json" --checkpoint "$ckpt" "${restart[@]}" &
  pk_step_pid=$!
  local rc
  while :; do
    wait "$pk_step_pid"
    rc=$?
    # wait returns early (status > 128) when a trapped signal arrives
    if (( rc > 128 )) && kill -0 "$pk_step_pid" 2>/dev/null; then continue; fi
    break
  done
  trap - USR1 TERM
  pk_step_pid=""
  if [[ -n $pk_signal ]]; then
    if [[ $rc == 0 && -f $ckpt && ! -f $out ]]; then
      if [[ $pk_signal == USR1 ]]; then
        pk_log "checkpoint written; requeueing job $SLURM_JOB_ID"
        scontrol requeue "$SLURM_JOB_ID" || { pk_log "scontrol requeue failed"; exit 1; }
      else
        pk_log "checkpoint written; resubmit with PK_OUTDIR=$PK_OUTDIR to resume"
      fi
      exit 0
    fi
    [[ -f $out ]] && { pk_log "run finished before the signal took effect"; pk_signal=""; }
  fi
  if [[ $rc == 0 ]]; then
    rm -f "$ckpt"  # complete: a later resubmission must not resume a finished run
    pk_log "done: $out, $PK_OUTDIR/run.json"
  else
    pk_log "kmc failed with exit code $rc"
  fi
  return "$rc"
}

# pk_append_row FILE.csv JSON-SUMMARY KIND: one row per finished job, appended
# under flock so the tasks of a job array can finish together. A JSON Lines
# file with the same base name gets the same row.
pk_append_row() {
  local csv=$1 summary=$2 kind=$3
  mkdir -p "$(dirname "$csv")"
  (
    flock -w 60 9 || { pk_log "could not lock $csv"; exit 1; }
    "$PK_PYTHON" - "$csv" "$summary" "$kind" <<'PY'
import csv, json, os, sys
path, summary, kind = sys.argv[1:4]
s = json.load(open(summary))
env = os.environ
row = {
    "kind": kind,
    "job_id": env.get("SLURM_ARRAY_JOB_ID", env.get("SLURM_JOB_ID", "")),
    "array_task": env.get("SLURM_ARRAY_TASK_ID", ""),
    "ranks": int(env.get("PK_RANKS", env.get("SLURM_NTASKS", "1"))),
    "cpus_per_rank": int(env.get("SLURM_CPUS_PER_TASK", "1")),
    "nodes": env.get("SLURM_JOB_NODELIST", ""),
    "replicas": s["replicas"],
    "walkers_per_replica": s["walkers_per_replica"],
    "steps": s["steps"],
    "wall_time_s": s["wall_time_s"],
    "steps_per_s": s["steps_per_s"],
    "fingerprint": s["fingerprint"],
    "output": s["output"],
}
new = not os.path.exists(path) or os.path.getsize(path) == 0
with open(path, "a", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(row))
    if new:
        w.writeheader()
    w.writerow(row)
with open(os.path.splitext(path)[0] + ".jsonl", "a") as f:
    f.write(json.dumps(row) + "\n")
PY
  ) 9>>"$csv.lock"
}

# pk_scaling_step KIND RANKS REPLICAS [kmc options...]: one timed
# `pandakinetics kmc` run on RANKS ranks (of the allocation) with REPLICAS
# replicas, then one row appended to $PK_RESULTS (CSV) and its .jsonl twin.
# No preemption handling: a resumed run's wall time would not be a timing.
pk_scaling_step() {
  local kind=$1 ranks=$2 replicas=$3
  shift 3
  PK_RESULTS=${PK_RESULTS:-${SLURM_SUBMIT_DIR:-$PWD}/scaling-$kind.csv}
  export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1} OMP_PROC_BIND=spread OMP_PLACES=threads PK_RANKS=$ranks
  pk_log "$kind scaling: $ranks rank(s), $replicas replicas"
  # shellcheck disable=SC2086
  srun --mpi=pmix --ntasks="$ranks" --cpu-bind=cores ${PK_SRUN_ARGS:-} "$PK_BIN" kmc $PK_KMC_ARGS --replicas "$replicas" "$@" \
       --output "$PK_OUTDIR/run.h5" --summary "$PK_OUTDIR/run.json" || { pk_log "kmc failed"; return 1; }
  pk_append_row "$PK_RESULTS" "$PK_OUTDIR/run.json" "$kind" || return 1
  pk_log "row appended to $PK_RESULTS"
}
