#!/usr/bin/env bash
# Signals and resume (issue 19, class 7); ctest's TIMEOUT catches a hang:
#  - SIGTERM pending from before start-up (handed over blocked, as a
#    launcher may): `kmc` checkpoints at once and exits 0; the restart gives
#    results bitwise equal to an uninterrupted run;
#  - `kmc` on 2 ranks under mpirun: SIGTERM to each rank (as slurmstepd
#    sends it) or SIGUSR1 to mpirun: the ranks checkpoint, exit 0; the
#    `--resume` on 2 ranks is bitwise the uninterrupted run. (SIGTERM to
#    mpirun itself is not tested: Open MPI treats it as an abort of the job,
#    exits 1 and may kill the ranks before they checkpoint);
#  - SIGTERM during `run`'s KMC stage (a preempted Slurm job): `run` stops
#    with exit 0 and no analysis; the same command resumes the KMC stage from
#    its checkpoint, and kmc.h5 and analysis.json equal an uninterrupted run's;
#    SIGTERM before the first stage: exit 0, nothing computed;
#  - `run` resumed into a folder with another --concentration, a changed
#    [kmc] entry or a changed input file recomputes exactly the stages that
#    depend on it, saying why; an unchanged rerun skips every stage.
set -u
pk=$1 src=$2 mpirun=$3
py=${PK_PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir ompi && export TMPDIR=$work/ompi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
# pending_term CMD...: runs CMD with SIGTERM blocked and already pending.
cat > pending_term <<'PY'
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
os.kill(os.getpid(), signal.SIGTERM)
os.execvp(sys.argv[1], sys.argv[1:])
PY
# same A.h5 B.h5: every dataset under /results, /estimates and /replicas equal, bit for bit.
same() {
  "$py" - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = []
for g in ("results", "estimates", "replicas"):
    a[g].visit(lambda n, g=g: names.append(g + "/" + n) if isinstance(a[g + "/" + n], h5py.Dataset) else None)
bad = [n for n in names if n not in b or a[n].shape != b[n].shape or
       a[n][()].tobytes() != b[n][()].tobytes()]
print(f"{len(names)} datasets compared, {len(bad)} differ {bad[:5]}")
sys.exit(1 if bad or len(names) < 20 else 0)
PY
}
# wait_for FILE PATTERN: until FILE holds PATTERN (60 s at most).
wait_for() {
  for _ in $(seq 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}

cp "$src/inputs/networks/explicit_rates/states.csv" "$src/inputs/networks/explicit_rates/edges.csv" .
kmc="$pk kmc --states states.csv --edges edges.csv --replicas 4 --walkers 2048 --time 0.2 --segments 400 --progress-every 0"
timeout 120 $kmc --output ref.h5 > ref.log 2>&1 || { fail "uninterrupted kmc"; cat ref.log; }

echo "== kmc: SIGTERM pending before start-up"
timeout 60 "$py" pending_term $kmc --output early.h5 --checkpoint early_ck.h5 > early.log 2>&1; rc=$?
if [[ $rc == 0 && -f early_ck.h5 && ! -e early.h5 ]] && grep -q "received signal 15: checkpoint written" early.log; then
  ok "exit 0 with a checkpoint"; else fail "early SIGTERM: exit $rc"; cat early.log; fi
timeout 120 $kmc --output early.h5 --restart early_ck.h5 --checkpoint early_ck.h5 > early2.log 2>&1 || { fail "restart"; cat early2.log; }
same ref.h5 early.h5 && ok "restarted after an early SIGTERM: bitwise the uninterrupted run" || fail "early restart differs"

# signal_mpirun SIGNAL WHOM NAME: 2 ranks of kmc into NAME.h5; at segment 3
# SIGNAL goes to mpirun (WHOM=mpirun) or to both ranks (WHOM=ranks, as
# slurmstepd delivers it); sets rc to mpirun's exit code.
signal_mpirun() {
  local sig=$1 whom=$2 name=$3
  $mpirun --oversubscribe ${4:-} -n 2 $kmc --output $name.h5 --checkpoint ${name}_ck.h5 > $name.log 2>&1 &
  local job=$!
  wait_for $name.log "segment 3/" || fail "$name: no progress line from 2 ranks"
  if [[ $whom == mpirun ]]; then kill -$sig $job; else kill -$sig $(pgrep -P $job); fi
  wait $job; rc=$?
  if [[ -f ${name}_ck.h5 && ! -e $name.h5 && $(grep -c "received signal" $name.log) == 1 ]]; then
    ok "$sig to $whom: the ranks checkpointed (mpirun exit $rc)"; else fail "$sig to $whom: exit $rc"; cat $name.log; fi
}
echo "== kmc on 2 ranks: SIGTERM to each rank, SIGUSR1 to mpirun"
signal_mpirun TERM ranks term_ranks
[[ $rc == 0 ]] && ok "SIGTERM to the ranks: mpirun exit 0" || fail "SIGTERM to the ranks: mpirun exit $rc"
timeout 120 $mpirun --oversubscribe -n 2 $kmc --output term_ranks.h5 --resume --checkpoint term_ranks_ck.h5 > r.log 2>&1 ||
  { fail "resume on 2 ranks"; cat r.log; }
grep -q "restarting from term_ranks_ck.h5" r.log || { fail "--resume did not restart from the checkpoint"; cat r.log; }
same ref.h5 term_ranks.h5 && ok "2-rank resume after SIGTERM: bitwise the uninterrupted run" || fail "2-rank resume differs"
signal_mpirun USR1 mpirun usr1
[[ $rc == 0 ]] && ok "SIGUSR1 to mpirun: exit 0 (forwarded)" || fail "SIGUSR1 to mpirun: exit $rc"

echo "== run: SIGTERM during the KMC stage, then the same command"
"$py" "$src/tests/pipeline/vina_to_poses.py" --ligand "$src/inputs/dock/ligand.pdbqt" \
  --vina "$src/tests/pipeline/data/vina_imatinib_e4_seed3.pdbqt" --receptor "$src/inputs/dock/protein.pdbqt" \
  --center 11 90.5 57.5 --size 22 24 28 --output poses.h5 > poses.log 2>&1 || { fail "poses"; cat poses.log; }
# The single-well network of the earlier example (merged pose clusters) and
# KMC without superbasins: a KMC stage long enough to be interrupted.
printf '[network]\ncluster-rmsd = 2\nscore-offset = 0\nscore-scale = 1\nedge-rmsd = 6\nedge-centroid = 4\nimages = 6\nrelax-steps = 20\nsurface-margin = 6\nexposed-contact-fraction = 0.5\ndiffusion = 6e-10\ncapture-radius = 5\nlump-barrier = 8\ndrop-unconnected = true\n' > run.ini
printf '[kmc]\nreplicas = 4\nwalkers = 256\nseed = 2026\nmax-steps = 50000\nsteps-per-launch = 2000\nsuperbasins = none\n' >> run.ini
printf '[analyze]\nbootstrap = 200\nseed = 1\n' >> run.ini
runcmd="$pk run --config run.ini --poses poses.h5 --no-report"
timeout 300 $runcmd --output whole > whole.log 2>&1 || { fail "uninterrupted run"; cat whole.log; }
$runcmd --output cut > cut.log 2>&1 &
job=$!
wait_for cut.log "^kmc: 6 states" || fail "run: the KMC stage did not start"
kill -TERM $job
wait $job; rc=$?
if [[ $rc == 0 && -f cut/kmc.h5.ckpt.h5 && ! -e cut/kmc.h5 && ! -e cut/analysis.json ]] &&
   grep -q "run: signal 15 received: stopped after the kmc stage" cut.log; then
  ok "run stopped with exit 0, the KMC checkpoint kept"; else fail "run SIGTERM: exit $rc"; cat cut.log; ls cut; fi
timeout 300 $runcmd --output cut > cut2.log 2>&1 || { fail "resumed run"; cat cut2.log; }
grep -q "network: skipped" cut2.log && grep -q "solve: skipped" cut2.log && grep -q "kmc: restarting from cut/kmc.h5.ckpt.h5 at segment" cut2.log &&
  ok "resumed: network and solve skipped, KMC from its checkpoint" || { fail "resume"; cat cut2.log; }
same whole/kmc.h5 cut/kmc.h5 && ok "resumed run's kmc.h5 bitwise the uninterrupted run's" || fail "resumed kmc.h5 differs"
"$py" -c "import json, sys; a, b = (json.load(open(p))['runs'][0]['conditions'] for p in sys.argv[1:]); sys.exit(a != b)" \
  whole/analysis.json cut/analysis.json && ok "analysis.json equal" || fail "analysis.json differs"

echo "== run: SIGTERM pending before start-up"
timeout 60 "$py" pending_term $runcmd --output early_run > early_run.log 2>&1; rc=$?
if [[ $rc == 0 && ! -e early_run/network.h5 ]] && grep -q "stopped before the network stage" early_run.log; then
  ok "exit 0 before the first stage"; else fail "run early SIGTERM: exit $rc"; cat early_run.log; fi

echo "== run resumed with changed options or inputs"
stage_runs() { grep -cE "^run: $1 finished" "$2"; }
timeout 300 $runcmd --output whole > same.log 2>&1 || { fail "rerun"; cat same.log; }
n=$(grep -cE "^run: \[[0-9]/6\] [a-z]+: skipped" same.log)
[[ $n == 5 ]] && ok "unchanged rerun skipped every stage" || { fail "unchanged rerun skipped $n stages"; cat same.log; }
timeout 300 $runcmd --output whole --concentration 2e-6 > conc.log 2>&1 || { fail "rerun at 2e-6 M"; cat conc.log; }
if grep -q "network: skipped" conc.log && grep -q "solve: recomputed: its inputs or options changed" conc.log &&
   [[ $(stage_runs kmc conc.log) == 1 && $(stage_runs analyze conc.log) == 1 ]]; then
  ok "another --concentration: solve, kmc, analyze recomputed"; else fail "--concentration change"; cat conc.log; fi
"$py" -c "import h5py, sys; sys.exit(0 if abs(h5py.File('whole/kmc.h5')['/replicas/concentration_M'][0] - 2e-6) < 1e-12 else 1)" &&
  ok "kmc.h5 holds the new concentration" || fail "kmc.h5 concentration"
sed -i 's/^walkers = 256/walkers = 128/' run.ini
timeout 300 $runcmd --output whole --concentration 2e-6 > walkers.log 2>&1 || { fail "rerun, walkers changed"; cat walkers.log; }
grep -q "solve: skipped" walkers.log && grep -q "kmc: recomputed: its inputs or options changed.*walkers = 256', now 'config \[kmc\] walkers = 128'" walkers.log &&
  ok "a changed [kmc] entry: kmc recomputed, solve skipped" || { fail "[kmc] change"; cat walkers.log; }
"$py" -c "import h5py; f = h5py.File('poses.h5', 'r+'); d = f['/ligands/ligand/score_kcal_per_mol']; d[0] = d[0] - 0.5" 2>/dev/null ||
  "$py" -c "import h5py; f = h5py.File('poses.h5', 'r+'); f.attrs['touched'] = 1"
timeout 300 $runcmd --output whole --concentration 2e-6 > poses2.log 2>&1 || { fail "rerun, poses changed"; cat poses2.log; }
grep -q "network: recomputed: its inputs or options changed.*input --poses poses.h5" poses2.log &&
  [[ $(stage_runs solve poses2.log) == 1 ]] && ok "a changed poses file: network and every later stage recomputed" ||
  { fail "poses change"; cat poses2.log; }

echo "$fails failed"
[[ $fails == 0 ]]
