#!/usr/bin/env bash
# `pandakinetics kmc` end to end: identical results on 1, 2 and 4 ranks;
# checkpoint + restart identical to one run; SIGUSR1 checkpoints and exits 0;
# bad input stops with file:line and leaves an earlier result untouched.
set -u
SECONDS=0
step() { echo "[$SECONDS s] $*"; }
pk=$1 mpiexec=$2 nets=$3 here=$(cd "$(dirname "$0")" && pwd)
py=${PK_PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
two="--states $nets/two_state/states.csv --edges $nets/two_state/edges.csv"
common="--replicas 6 --walkers 256 --time 2e-2 --seed 42 --progress-every 1000"
mpi() { local n=$1; shift; timeout 300 "$mpiexec" -n "$n" --oversubscribe "$pk" "$@"; }

step "1. Bitwise"
# 1. Bitwise identical results for 1, 2 and 4 ranks (replicas split unevenly at 4).
for n in 1 2 4; do
  mpi "$n" kmc $two $common --output np$n.h5 --summary np$n.json >log_np$n.txt 2>&1 || { fail "kmc on $n ranks"; cat log_np$n.txt; }
done
for n in 2 4; do
  "$py" "$here/compare_h5.py" np1.h5 np$n.h5 || fail "1 vs $n ranks differ"
done
grep -q "koff" log_np1.txt && grep -q "1/s" log_np1.txt || fail "estimates not printed with units"
"$py" - <<'PY' || fail "/run_info/@kmc_kernel names the kernel that ran"
import os, h5py
want = os.environ.get("PK_KMC_VARIANT") or "packed-int"
got = h5py.File("np1.h5", "r")["/run_info"].attrs["kmc_kernel"]
got = got.decode() if isinstance(got, bytes) else str(got)
print("kmc_kernel", got)
raise SystemExit(got != want)
PY
"$py" - <<'PY' || fail "summary JSON"
import json
s = json.load(open("np1.json"))
c = s["conditions"][0]
k = c["koff_per_s"]
assert k["ci95_low"] <= k["value"] <= k["ci95_high"], k
assert 300 < k["value"] < 1200, k   # the network's Eyring koff is ~600 1/s
assert c["unbinding_events"] > 1000
print("summary: koff", k["value"], "1/s")
PY

# Replica temperatures: one estimate per temperature, faster unbinding when hotter
# (Eyring); the network read back from the output file (/network) gives the same run.
mpi 2 kmc $two $common --replica-temperatures 290,310 --output temps.h5 --summary temps.json >log_t.txt 2>&1 || fail "replica temperatures"
"$py" - <<'PY' || fail "replica temperature groups"
import json
c = json.load(open("temps.json"))["conditions"]
assert [g["temperature_K"] for g in c] == [290, 310], c
assert all(g["replicas"] == 3 for g in c)
assert c[1]["koff_per_s"]["value"] > 1.5 * c[0]["koff_per_s"]["value"], c
print("koff at 290 K and 310 K:", [g["koff_per_s"]["value"] for g in c])
PY
mpi 1 kmc --network np1.h5 $common --output from_h5.h5 >log_h5.txt 2>&1 || { fail "--network from an output file"; cat log_h5.txt; }
"$py" "$here/compare_h5.py" np1.h5 from_h5.h5 || fail "network read back from HDF5 gives another run"

step "2. Checkpoint"
# 2. Checkpoint every 5 ms of simulated time, then restart from the last one:
#    identical to the uninterrupted run.
mpi 2 kmc $two $common --segments 10 --checkpoint-every sim:5e-3 --checkpoint ck.h5 --output withck.h5 >log_ck.txt 2>&1 || fail "run with checkpoints"
[[ -f ck.h5 ]] || fail "no checkpoint written"
"$py" "$here/compare_h5.py" np1.h5 withck.h5 || fail "checkpointing changed the results"
mpi 4 kmc $two $common --segments 10 --restart ck.h5 --output restarted.h5 >log_rs.txt 2>&1 || { fail "restart"; cat log_rs.txt; }
grep -q "restarting from ck.h5" log_rs.txt || fail "restart not reported"
"$py" "$here/compare_h5.py" np1.h5 restarted.h5 || fail "restart (on 4 ranks) differs from one run"

step "3. A checkpoint"
# 3. A checkpoint of another run is refused; a damaged one too.
mpi 1 kmc $two $common --segments 10 --kappa 0.5 --restart ck.h5 --output other.h5 >log_bad.txt 2>&1 && fail "foreign checkpoint accepted"
grep -q "checkpoint of a different run" log_bad.txt || { fail "foreign checkpoint message"; cat log_bad.txt; }
head -c 3000 ck.h5 > broken.h5
mpi 1 kmc $two $common --segments 10 --restart broken.h5 --output other.h5 >log_bad2.txt 2>&1 && fail "damaged checkpoint accepted"
grep -q "broken.h5" log_bad2.txt || fail "damaged checkpoint message names the file"
[[ ! -e other.h5 ]] || fail "refused restart wrote an output"

step "4. SIGUSR1"
# 4. SIGUSR1 during a run: checkpoint, exit 0; the restart equals one run.
# two_state flickers slowly (~55 steps/s per walker): a run of a few seconds.
long="$two --replicas 2 --walkers 64 --time 1e4 --seed 7 --segments 400 --progress-every 0"
mpi 2 kmc $long --output ref_long.h5 >log_ref.txt 2>&1 || fail "reference long run"
"$mpiexec" -n 2 --oversubscribe "$pk" kmc $long --checkpoint sig.h5 --output sig_out.h5 >log_sig.txt 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q "segment 2/" log_sig.txt 2>/dev/null && break; sleep 0.1; done
# Signal the ranks themselves (what srun does; mpirun's forwarding of SIGUSR1
# differs between Open MPI builds) and mpirun.
pkill -USR1 -f -- "--checkpoint sig.h5"
wait $pid; rc=$?
[[ $rc == 0 ]] || fail "SIGUSR1: exit code $rc"
grep -q "checkpoint written to sig.h5" log_sig.txt || { fail "SIGUSR1 did not checkpoint"; cat log_sig.txt; }
[[ ! -e sig_out.h5 ]] || fail "interrupted run wrote its output"
mpi 1 kmc $long --restart sig.h5 --output sig_out.h5 >log_sig2.txt 2>&1 || fail "restart after SIGUSR1"
"$py" "$here/compare_h5.py" ref_long.h5 sig_out.h5 || fail "SIGUSR1 + restart differs from one run"

step "5. Bad input"
# 5. Bad input: message with file and line, non-zero exit, earlier result intact.
cp np1.h5 keep.h5
printf 'id,free_energy_kcal_per_mol,macrostate\n1,-5,bound\n2,0,unbound\n' > s.csv
bad() {  # bad PATTERN EDGES_TEXT
  printf "$2" > e.csv
  mpi 1 kmc --states s.csv --edges e.csv $common --output np1.h5 >log_in.txt 2>&1 && fail "accepted: $2"
  grep -qE -- "$1" log_in.txt || { fail "message /$1/ missing"; cat log_in.txt; }
  cmp -s np1.h5 keep.h5 || fail "earlier output changed by: $2"
}
bad "e.csv:3: .*(NaN|nan|finite)" 'from,to,rate_per_s\n1,2,100\n2,1,nan\n'
bad "e.csv:3: .*negative" 'from,to,rate_per_s\n1,2,100\n2,1,-5\n'
bad "e.csv:2: .*below" 'from,to,ts_free_energy_kcal_per_mol\n1,2,-7\n'
bad "e.csv:3: .*(unknown|no state).*7" 'from,to,rate_per_s\n1,2,100\n2,7,5\n'
bad "e.csv:3: .*duplicate" 'from,to,rate_per_s\n1,2,100\n1,2,5\n'
mpi 1 kmc --states missing.csv --edges e.csv $common --output np1.h5 >log_in.txt 2>&1 && fail "missing file accepted"
grep -q "missing.csv" log_in.txt || fail "missing file not named"
mpi 1 kmc $two $common --walkers 0 --output np1.h5 >log_in.txt 2>&1; [[ $? == 2 ]] || fail "--walkers 0 not a usage error"
mpi 1 kmc $two $common --temperature -3 --output np1.h5 >log_in.txt 2>&1; [[ $? == 2 ]] || fail "negative temperature not a usage error"
cmp -s np1.h5 keep.h5 || fail "earlier output changed"
echo "$fails failed"
[[ $fails == 0 ]]
