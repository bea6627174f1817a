#!/usr/bin/env bash
# The GPU node in one script: build, test, the measurements in
# benchmarks/RESULTS.md, and Nsight profiles. `bash benchmarks/gpu_node.sh help`
# says what each subcommand does; docs/gpu-build.md says how to run it on an
# offline node. It replaces the one-off benchmarks/gpu_session*.sh, gpu_kmc_*.sh,
# gpu_dock*.sh, gpu_score*.sh, gpu_final.sh, gpu_hpc.sh, gpu_tuning.sh,
# gpu_seeds.sh and gpu_cpu_probe.sh (RESULTS.md names the commit where each
# one lived).
set -uo pipefail

usage() {
  cat <<'EOF'
benchmarks/gpu_node.sh SUBCOMMAND [ARGS]   (run from anywhere; it works in the repository root)

  build [cuda|cpu]     scripts/gpu-node-build.sh for the preset (default cuda): unpacks the
                       carried Debian packages, configures and builds. Honours PK_GPU_ARCH
                       (HOPPER90|AMPERE86|AMPERE80), PK_CARRY, PK_BUILD_TARGETS, PK_CMAKE_ARGS,
                       PK_BUILD_DIR. Log: $OUT/build-<preset>.log
  test [gpu|rest|all]  ctest on the cuda build (default all): `-L gpu` (the kernels on the GPU),
                       then the rest, `-LE 'gpu|slurm'` (the Slurm label needs a Slurm daemon).
                       Tests needing vina/obabel/RDKit report SKIPPED when those are absent.
                       Logs: $OUT/ctest-gpu.log, $OUT/ctest-rest.log; summary $OUT/test.log
  bench TARGET         a measurement RESULTS.md records, with the settings that produced it;
                       each builds pandakinetics incrementally first (NO_BUILD=1 skips that).
                       Summary $OUT/bench-TARGET.log, raw JSON next to it.
     kmc         `bench kmc --out-degree 10 --replicas 64 --walkers 4096 --steps 2000`: 512 states
                 with counts (ROUNDS rounds, default 3), then --no-transition-counts,
                 --distinct-conditions, 4096 states with and without counts; each for every
                 variant in KMC_VARIANTS (default "default packed"; "default" = no --variant);
                 plus registers per advance kernel (cuobjdump) when present
     kmc-launch  launch-shape sweeps of the same shape: PK_KMC_CARVEOUT, PK_KMC_TEAM_WALKERS x
                 PK_KMC_TEAM_SIZE, PK_KMC_LAUNCH_BOUNDS, a 64-state network, 1/256/512 replicas,
                 --distinct-conditions without counts
     kmc-run     a whole `kmc` run (500-state random network, --time 1e-6, default walkers) and
                 the two_state example, each against `solve`
     superbasin  issue 17's benchmark: `kmc` with superbasins on the 500-state network of
                 benchmarks/superbasin_network.py (flicker to 4e12 1/s, residence 7.5 h) at
                 SB_CONFIGS (default "16x1024 64x1024 64x4096"), koff and its CI against `solve`
     score       `bench score --poses 1048576 --repeats 5`, ROUNDS times (default 3)
     score-poses `bench score --repeats 7` at 65,536 / 262,144 / 1,048,576 poses and with --near;
                 `dock --score_only` with and without --grid on Vina's docked mode
     dock        `bench dock --exhaustiveness 8 --vina none`, seeds 1-5, ROUNDS times (default 2)
     dock-chains the same at --chains CHAINS_LIST (default "1024 1056 1452 2048 2904"), seeds
                 1-3, for PK_DOCK_LAUNCH_BOUNDS in BOUNDS_LIST (default "1 0")
     seeds       `bench dock --exhaustiveness 8` over seeds 1..SEEDS (default 20) for each
                 LABEL=BINARY[=VAR=value] argument (default current=<cuda build>): median, range,
                 runs within 0.3 kcal/mol of REF (default -13.01, Vina's best)
     pipeline    `run` on inputs/run_example/run.ini and run_defaults.ini, three times with the
                 report and once --no-report (PK_STARTUP_TIMES=1, /usr/bin/time), then the kmc
                 stage alone with 100/10 segments, PK_KMC_CARVEOUT=-1 and PK_KMC_NCCL=1
     gemm        benchmarks/run_benchmarks --full --sections gemm (`bench gemm --size 8192
                 --repeats 10`, cuBLAS)
     io          run_benchmarks --full --sections io: `bench io --mb-per-rank 64 --repeats 5`
                 at 1..MAX_RANKS ranks (default 16) on /tmp, cpu build; no GPU needed
     scaling     CPU strong/weak scaling (cpu build, no GPU needed): run_benchmarks --full
                 --sections scaling (1024 walkers), weak scaling at 4 replicas x 4096 walkers per
                 rank, and the strong run as 1 rank x 16 OpenMP threads
     cpu-probe   the CPU topology, benchmarks/probes/alu_loop.c on 1..16 pinned cores, and `bench
                 kmc` weak scaling with per-rank times (cpu build; no GPU needed)
     suite       run_benchmarks --full, every section (gemm,scaling,io,kmc,dock) with both builds
     landscape [dock|landscapes|calibrate|all]
                 dock the kinetics reference set, build its landscapes, calibrate (leave-one-out
                 on PK_CALIBRATE_RANKS ranks, default 8), each timed; $OUT/landscape_gpu.log and
                 $OUT/kinetics.tgz. Continues where a previous call stopped.
     all         kmc score dock pipeline gemm io scaling, in that order (not the sweeps,
                 not landscape)
  profile kmc|dock|score
                       Nsight Compute (ncu) on the KMC advance kernel (512 states, 500 steps, with and
                       without counts), the team docking search (1,024 chains, 4 steps) or the
                       `bench score` team evaluation (built with -lineinfo; source and SASS pages);
                       and an Nsight Systems (nsys) timeline of the same command. Each tool that
                       is absent is named and skipped; neither present: exit 3.
                       NCU_KERNEL / NCU_SKIP choose another kernel regex / launch.
  help, --help, -h     this text

Every subcommand first prints (and logs) the devices (`nvidia-smi -L`), the UTC date, the
commit and any PK_KMC_*/PK_DOCK_* knobs set. Targets that need the GPU stop at once (exit 2)
when `nvidia-smi -L` lists none; io, scaling and cpu-probe run on the cpu build anywhere.

Environment:
  OUT          folder for every log and result (default ./out in the repository root)
  CUDA_BUILD   cuda build folder (default build/cuda);  CPU_BUILD  cpu build folder (default build/cpu)
  NO_BUILD=1   bench/profile use the builds as they are instead of an incremental build first
  ROUNDS SEEDS REF KMC_VARIANTS CHAINS_LIST BOUNDS_LIST MAX_RANKS NCU_KERNEL NCU_SKIP
               as above; KMC_STEPS, KMC_WALKERS (default 2000, 4096) shrink the bench kmc
               and kmc-launch runs for a dry run;  JOBS, TEST_TIMEOUT  ctest's -j (default 8) and --timeout (default 600)
  PK_KMC_* PK_DOCK_* the program's tuning knobs (docs/), passed through to every run and logged
  The carried packages' paths (LD_LIBRARY_PATH, PATH) come from benchmarks/gpu_env.sh.
EOF
}

sub=${1:-help}
[[ $# -gt 0 ]] && shift
case $sub in
  help|--help|-h) usage; exit 0 ;;
  build|test|bench|profile) ;;
  *) echo "gpu_node.sh: unknown subcommand '$sub' (try: bash benchmarks/gpu_node.sh help)" >&2; exit 2 ;;
esac

source "$(dirname "${BASH_SOURCE[0]}")/gpu_env.sh"   # cd to the repository root, $OUT, carried paths
CUDA_BUILD=${CUDA_BUILD:-build/cuda}
CPU_BUILD=${CPU_BUILD:-build/cpu}
pk=$CUDA_BUILD/src/pandakinetics
cpk=$CPU_BUILD/src/pandakinetics
LOG=/dev/null

die() { echo "gpu_node.sh: $1" | tee -a "$LOG" >&2; exit "${2:-1}"; }  # MESSAGE [EXIT STATUS]
say() { echo "$*" | tee -a "$LOG"; }

header() {  # the first lines of every subcommand's log and output
  {
    echo "== gpu_node.sh $*"
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "devices (nvidia-smi -L):"
    if command -v nvidia-smi > /dev/null; then nvidia-smi -L 2>&1 | sed 's/^/  /'; else echo "  none: nvidia-smi is not installed"; fi
    echo "commit: $(git log -1 --format='%h %s' 2>/dev/null || echo unknown)"
    local dirty; dirty=$(git status --short --untracked-files=no 2>/dev/null | wc -l)
    [[ $dirty != 0 ]] && echo "working tree: $dirty modified tracked files (git status)"
    env | grep -E '^PK_(KMC|DOCK)_' | sort | sed 's/^/knob: /'
    echo "host: $(nproc) CPUs; OUT=$OUT"
  } 2>&1 | tee -a "$LOG"
}

have_gpu() { command -v nvidia-smi > /dev/null && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; }
need_gpu() {
  have_gpu && return 0
  die "$1 needs an NVIDIA GPU and the cuda build; \`nvidia-smi -L\` lists none here. Run it on the GPU node (docs/gpu-build.md). Without a GPU: bench io, bench scaling, bench cpu-probe (cpu build)." 2
}

ensure_build() {  # preset: incremental build of pandakinetics (unless NO_BUILD=1), then check it
  local preset=$1 dir exe
  [[ $preset == cuda ]] && dir=$CUDA_BUILD || dir=$CPU_BUILD
  exe=$dir/src/pandakinetics
  if [[ ${NO_BUILD:-0} != 1 ]]; then
    local t0=$SECONDS
    PK_BUILD_DIR=$dir PK_BUILD_TARGETS=${BENCH_TARGETS:-pandakinetics} bash scripts/gpu-node-build.sh "$preset" \
      >> "$OUT/build-$preset.log" 2>&1 || { tail -40 "$OUT/build-$preset.log" | tee -a "$LOG"; die "$preset build failed (log: $OUT/build-$preset.log)"; }
    say "$preset build (incremental, ${BENCH_TARGETS:-pandakinetics}): $((SECONDS - t0)) s"
  fi
  [[ -x $exe ]] || die "$exe missing: run 'bash benchmarks/gpu_node.sh build $preset' first"
}

# ---- build -----------------------------------------------------------------
do_build() {
  local preset=${1:-cuda}
  [[ $preset == cuda || $preset == cpu ]] || die "build: preset must be cuda or cpu, not '$preset'" 2
  LOG=$OUT/build-$preset.log
  header build "$preset"
  local t0=$SECONDS rc
  bash scripts/gpu-node-build.sh "$preset" >> "$LOG" 2>&1; rc=$?
  if [[ $rc != 0 ]]; then tail -40 "$LOG"; die "build $preset failed: exit $rc (log: $LOG)"; fi
  say "build $preset: $((SECONDS - t0)) s, targets: ${PK_BUILD_TARGETS:-all}, folder ${PK_BUILD_DIR:-build/$preset}"
  local exe=${PK_BUILD_DIR:-build/$preset}/src/pandakinetics
  [[ -x $exe ]] && "$exe" --version 2>&1 | tee -a "$LOG"
  return 0
}

# ---- test ------------------------------------------------------------------
do_test() {
  local what=${1:-all} rc=0
  [[ $what =~ ^(gpu|rest|all)$ ]] || die "test: gpu, rest or all, not '$what'" 2
  LOG=$OUT/test.log
  header test "$what"
  [[ -f $CUDA_BUILD/CTestTestfile.cmake ]] || die "$CUDA_BUILD has no test suite: run 'bash benchmarks/gpu_node.sh build cuda' (all targets) first"
  local jobs=${JOBS:-8} tmo=${TEST_TIMEOUT:-600}
  if [[ $what != rest ]]; then
    need_gpu "test gpu"
    local t0=$SECONDS
    ctest --test-dir "$CUDA_BUILD" -L gpu -j "$jobs" --timeout "$tmo" --output-on-failure > "$OUT/ctest-gpu.log" 2>&1 || rc=1
    say "ctest -L gpu ($CUDA_BUILD): $((SECONDS - t0)) s: $(grep -E 'tests passed|tests failed' "$OUT/ctest-gpu.log")"
    grep -E '\*\*\*|Not Run|Skipped' "$OUT/ctest-gpu.log" | tee -a "$LOG"
  fi
  if [[ $what != gpu ]]; then
    local t0=$SECONDS
    ctest --test-dir "$CUDA_BUILD" -LE 'gpu|slurm' -j "$jobs" --timeout "$tmo" --output-on-failure > "$OUT/ctest-rest.log" 2>&1 || rc=1
    say "ctest -LE 'gpu|slurm' ($CUDA_BUILD): $((SECONDS - t0)) s: $(grep -E 'tests passed|tests failed' "$OUT/ctest-rest.log")"
    grep -E '\*\*\*|Not Run|Skipped' "$OUT/ctest-rest.log" | tee -a "$LOG"
  fi
  return $rc
}

# ---- bench helpers -----------------------------------------------------------
runjson() {  # FILE CMD...: runs CMD --json FILE (stdout and stderr to FILE.out); its exit status
  local f=$1; shift
  "$@" --json "$f" > "$f.out" 2>&1
}

kmc_one() {  # LABEL ENV ARGS: one `bench kmc` (standard shape + ARGS) under ENV ("" or "A=1 B=2")
  local label=$1 envs=$2; shift 2
  local f=$OUT/kmc_$((++kmc_n)).json base=(--out-degree 10 --steps "${KMC_STEPS:-2000}")
  [[ " $* " == *" --replicas "* ]] || base+=(--replicas 64)
  [[ " $* " == *" --walkers "* ]] || base+=(--walkers "${KMC_WALKERS:-4096}")
  env $envs timeout 90 "$pk" bench kmc "${base[@]}" "$@" --json "$f" > "$f.out" 2>&1
  local r
  r=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.3e steps/s (ran %s)" % (r["steps_per_s"], r["variant"]))' "$f" 2>/dev/null) ||
    r="FAILED: $(tail -c 300 "$f.out" | tr '\n' ' ')"
  say "$label${envs:+ [$envs]} $*: $r"
}

variant_args() { [[ $1 == default ]] || echo "--variant $1"; }

bench_kmc() {
  need_gpu "bench kmc"; ensure_build cuda
  local v r kmc_n=0
  local cuobjdump; cuobjdump=$(command -v cuobjdump || echo /usr/local/cuda/bin/cuobjdump)
  if [[ -x $cuobjdump ]]; then
    say "registers per thread of the advance kernels (cuobjdump -res-usage):"
    timeout 60 "$cuobjdump" -res-usage "$pk" 2>/dev/null | python3 -c '
import re, subprocess, sys
lines = sys.stdin.read().splitlines()
for i, line in enumerate(lines):
    m = re.search(r"Function (\S+):", line)
    if not m or "KmcAdvance" not in m.group(1) or i + 1 >= len(lines):
        continue
    name = subprocess.run(["c++filt"], input=m.group(1), capture_output=True, text=True).stdout
    k = re.search(r"KmcAdvance(Team)?<[^<>]*, (\d)>", name)
    res = re.findall(r"(REG|SHARED):(\d+)", lines[i + 1])
    print("  ", k.group(0) if k else m.group(1)[:80], " ".join(a + ":" + b for a, b in res))
' 2>&1 | tee -a "$LOG"
  fi
  for round in $(seq 1 "${ROUNDS:-3}"); do
    for v in ${KMC_VARIANTS:-default packed}; do
      kmc_one "round $round, $v:" "" --states 512 $(variant_args "$v")
    done
  done
  for extra in "--states 512 --no-transition-counts" "--states 512 --distinct-conditions" \
               "--states 4096" "--states 4096 --no-transition-counts"; do
    for v in ${KMC_VARIANTS:-default packed}; do
      kmc_one "$v:" "" $extra $(variant_args "$v")
    done
  done
}

bench_kmc_launch() {
  need_gpu "bench kmc-launch"; ensure_build cuda
  local c tw kmc_n=0
  say "PK_KMC_CARVEOUT (shared-memory carveout, percent), default team shape:"
  for c in 0 10 25 50 75 100; do kmc_one "" "PK_KMC_CARVEOUT=$c" --states 512; done
  for tw in 512 1024; do
    for c in 10 25 50; do kmc_one "" "PK_KMC_CARVEOUT=$c PK_KMC_TEAM_WALKERS=$tw PK_KMC_TEAM_SIZE=$tw" --states 512; done
  done
  say "team shape (PK_KMC_TEAM_WALKERS x PK_KMC_TEAM_SIZE):"
  for tw in "128 128" "256 256" "512 512" "1024 1024" "256 128" "512 256"; do
    set -- $tw
    kmc_one "" "PK_KMC_TEAM_WALKERS=$1 PK_KMC_TEAM_SIZE=$2" --states 512
  done
  say "register cap (PK_KMC_LAUNCH_BOUNDS) x walkers per team:"
  for lb in 0 1; do
    for tw in 32 64 128 256 512; do kmc_one "" "PK_KMC_LAUNCH_BOUNDS=$lb PK_KMC_TEAM_WALKERS=$tw" --states 512; done
    kmc_one "" "PK_KMC_LAUNCH_BOUNDS=$lb" --states 512 --no-transition-counts
  done
  say "network and GPU size:"
  kmc_one "" "" --states 64; kmc_one "" "" --states 64 --no-transition-counts
  kmc_one "" "" --states 512 --distinct-conditions --no-transition-counts
  kmc_one "" "" --states 512 --replicas 1
  kmc_one "" "" --states 512 --replicas 256; kmc_one "" "" --states 512 --replicas 256 --no-transition-counts
  kmc_one "" "" --states 512 --replicas 512
}

bench_kmc_run() {
  need_gpu "bench kmc-run"; ensure_build cuda
  local t=/tmp/pk_node_kmc_run
  rm -rf "$t"; mkdir -p "$t"
  python3 benchmarks/make_random_network.py 500 700 1 "$t/rn500" > /dev/null
  { /usr/bin/time -v "$pk" kmc --states "$t/rn500/states.csv" --edges "$t/rn500/edges.csv" --time 1e-6 \
      --output "$t/rn.h5" --summary "$t/rn.json" --progress-every 1000
    "$pk" solve --states "$t/rn500/states.csv" --edges "$t/rn500/edges.csv" --output "$t/rns.h5"; } > "$OUT/kmc_500.txt" 2>&1
  say "500-state network, --time 1e-6 (log: $OUT/kmc_500.txt):"
  grep -E "steps in|koff|MFPT|residence|Elapsed|Maximum resident|censored" "$OUT/kmc_500.txt" | tee -a "$LOG"
  local N=inputs/networks/two_state
  { "$pk" kmc --states $N/states.csv --edges $N/edges.csv --time 1e-1 --output "$t/k.h5" --progress-every 5
    "$pk" solve --states $N/states.csv --edges $N/edges.csv --output "$t/s.h5"; } > "$OUT/kmc_two_state.txt" 2>&1
  say "two_state example, --time 1e-1, against solve (log: $OUT/kmc_two_state.txt):"
  tail -12 "$OUT/kmc_two_state.txt" | tee -a "$LOG"
}

bench_superbasin() {
  # Issue 17's benchmark: the 500-state network of benchmarks/superbasin_network.py (flicker to
  # 4e12 1/s, residence time 7.5 h): exact koff from `solve`, then `kmc` with superbasins at
  # SB_CONFIGS (replicas x walkers; default "16x1024 64x1024 64x4096"), --time 3e4 s; wall time,
  # koff with its 95% CI against the exact one, simulated seconds per wall second.
  need_gpu "bench superbasin"; ensure_build cuda
  local t=/tmp/pk_node_superbasin c
  rm -rf "$t"; mkdir -p "$t"
  python3 benchmarks/superbasin_network.py "$t/net" > /dev/null
  local net="--states $t/net/states.csv --edges $t/net/edges.csv"
  "$pk" solve $net --output "$t/exact.h5" --summary "$t/exact.json" > "$OUT/superbasin_solve.txt" 2>&1
  grep -E "^  koff|residence" "$OUT/superbasin_solve.txt" | tee -a "$LOG"
  for c in ${SB_CONFIGS:-16x1024 64x1024 64x4096}; do
    local R=${c%x*} W=${c#*x}
    "$pk" kmc $net --replicas "$R" --walkers "$W" --time 3e4 --seed 1 --progress-every 10 \
      --output "$t/kmc_$c.h5" --summary "$t/kmc_$c.json" > "$OUT/superbasin_kmc_$c.txt" 2>&1
    python3 - "$t/exact.json" "$t/kmc_$c.json" "$c" <<'PY' 2>&1 | tee -a "$LOG"
import json, sys
ex, km = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
exact = ex["koff_renewal_per_s"]  # solve --summary: a number at the top level
c = km["conditions"][0]["koff_per_s"]
R, W = (int(x) for x in sys.argv[3].split("x"))
wall = km["wall_time_s"]
half = (c["ci95_high"] - c["ci95_low"]) / 2 / c["value"]
print("superbasin %s: wall %.2f s, %.3e steps (%.3e steps/s), koff %.4e 1/s 95%% CI [%.4e, %.4e] (+-%.1f%%), exact %.4e 1/s (KMC/exact %.4f), %.3e simulated s per wall s"
      % (sys.argv[3], wall, km["steps"], km["steps_per_s"], c["value"], c["ci95_low"], c["ci95_high"], 100 * half, exact,
         c["value"] / exact, R * W * km["time_horizon_s"] / wall))
PY
  done
}

score_line() {  # JSON FILE -> one line of the figures it holds
  python3 - "$1" <<'PY' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
keys = ("evals_per_s", "with_kinematics_per_s", "team_evals_per_s", "team_with_kinematics_per_s",
        "team_with_kinematics_pairs_form_per_s", "team_with_kinematics_atoms_form_per_s")
parts = ["%s %.3e" % (k, r[k]) for k in keys if isinstance(r.get(k), (int, float))]
for g in r.get("team_with_kinematics_atoms_form_grouped", []):
    parts.append("grouped %d lanes %.3e" % (g["lanes_per_conformation"], g["per_s"]))
for k in ("team_with_kinematics_vs_thread_max_rel_energy_diff", "grouped_vs_thread_max_rel_energy_diff"):
    if k in r:
        parts.append("%s %.1e" % (k, r[k]))
print("poses %s%s: %s" % (r.get("poses"), " near" if r.get("near_input_pose") else "", "; ".join(parts)))
PY
}

bench_score() {
  need_gpu "bench score"; ensure_build cuda
  local r f
  for r in $(seq 1 "${ROUNDS:-3}"); do
    f=$OUT/score_$r.json
    if runjson "$f" timeout 200 "$pk" bench score --poses 1048576 --repeats 5; then say "round $r: $(score_line "$f")"
    else say "round $r: FAILED: $(tail -c 300 "$f.out" | tr '\n' ' ')"; fi
  done
}

bench_score_poses() {
  need_gpu "bench score-poses"; ensure_build cuda
  local n f lig=tests/dock/data/vina_imatinib_e2_seed1.pdbqt
  for n in 65536 262144 1048576 near; do
    f=$OUT/score_poses_$n.json
    if [[ $n == near ]]; then runjson "$f" timeout 200 "$pk" bench score --poses 1048576 --repeats 7 --near --ligand "$lig"
    else runjson "$f" timeout 200 "$pk" bench score --poses "$n" --repeats 7; fi
    [[ -s $f ]] && say "$(score_line "$f")" || say "poses $n: FAILED: $(tail -c 300 "$f.out" | tr '\n' ' ')"
  done
  local box=(--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28)
  { "$pk" dock --score_only --grid --receptor inputs/dock/protein.pdbqt --ligand "$lig" "${box[@]}"
    "$pk" dock --score_only --receptor inputs/dock/protein.pdbqt --ligand "$lig" "${box[@]}"; } > "$OUT/score_only.txt" 2>&1
  say "dock --score_only, with --grid then without (log: $OUT/score_only.txt):"
  grep -E "Scoring|Estimated" "$OUT/score_only.txt" | tee -a "$LOG"
}

dock_seed() {  # SEED [ARGS...]: one `bench dock --exhaustiveness 8 --vina none` line (dock_stages.py)
  local seed=$1; shift
  timeout 90 "$pk" bench dock --exhaustiveness 8 --seed "$seed" --vina none "$@" 2>&1 | python3 benchmarks/dock_stages.py 2>&1
}

bench_dock() {
  need_gpu "bench dock"; ensure_build cuda
  local round seed
  for round in $(seq 1 "${ROUNDS:-2}"); do
    say "bench dock --exhaustiveness 8 --vina none, seeds 1-5, round $round:"
    for seed in 1 2 3 4 5; do dock_seed "$seed" | tee -a "$LOG"; done
  done
}

bench_dock_chains() {
  need_gpu "bench dock-chains"; ensure_build cuda
  local bounds chains seed
  for bounds in ${BOUNDS_LIST:-1 0}; do
    for chains in ${CHAINS_LIST:-1024 1056 1452 2048 2904}; do
      say "bench dock --exhaustiveness 8 --chains $chains, PK_DOCK_LAUNCH_BOUNDS=$bounds, seeds 1-3:"
      for seed in 1 2 3; do PK_DOCK_LAUNCH_BOUNDS=$bounds dock_seed "$seed" --chains "$chains" | tee -a "$LOG"; done
    done
  done
}

bench_seeds() {
  need_gpu "bench seeds"; ensure_build cuda
  local specs=("$@") seeds=${SEEDS:-20} ref=${REF:--13.01} spec
  [[ ${#specs[@]} == 0 ]] && specs=("current=$pk")
  for spec in "${specs[@]}"; do
    local label=${spec%%=*} rest=${spec#*=}
    local bin=${rest%%=*} envset=""
    [[ $rest == *=* ]] && envset=${rest#*=}
    for seed in $(seq 1 "$seeds"); do
      env $envset timeout 90 "$bin" bench dock --exhaustiveness 8 --seed "$seed" --vina none 2>/dev/null | python3 -c '
import json,sys
t=sys.stdin.read(); r=json.loads(t[t.index("{"):])
print(sys.argv[1], sys.argv[2], "%.3f" % r["best_score_kcal_per_mol"], "%.3f" % r["dock_s"])' "$label" "$seed" ||
        echo "$label $seed failed"
    done
  done > "$OUT/seeds.txt"
  cat "$OUT/seeds.txt" >> "$LOG"
  python3 - "$ref" < "$OUT/seeds.txt" <<'PY' 2>&1 | tee -a "$LOG"
import statistics, sys
ref = float(sys.argv[1]); by = {}
for line in sys.stdin:
    f = line.split()
    if len(f) == 4:
        by.setdefault(f[0], []).append((float(f[2]), float(f[3])))
for k, v in by.items():
    s = [x[0] for x in v]; t = [x[1] for x in v]
    print("%s: %d seeds, best score median %.3f, range %.3f..%.3f kcal/mol, within 0.3 of %.2f: %d; dock_s median %.3f, range %.3f..%.3f" % (
        k, len(s), statistics.median(s), min(s), max(s), ref, sum(1 for x in s if x <= ref + 0.3),
        statistics.median(t), min(t), max(t)))
PY
}

bench_pipeline() {
  need_gpu "bench pipeline"; ensure_build cuda
  local cfg k run=/tmp/pk_node_run
  for cfg in run run_defaults; do
    for k in 1 2 3 nr; do
      rm -rf "$run"
      local extra=(); [[ $k == nr ]] && extra=(--no-report)
      { PK_STARTUP_TIMES=1 /usr/bin/time -f "whole process %e s" "$pk" run --config "inputs/run_example/$cfg.ini" \
          --output "$run" "${extra[@]}"; } > "$OUT/pipeline_${cfg}_$k.log" 2>&1
      say "$cfg.ini $k: exit $? $(grep -E 'stage wall times|whole process|pandakinetics: (MPI_Init|Kokkos::init)|koff [0-9]' \
          "$OUT/pipeline_${cfg}_$k.log" | tr '\n' ' ')"
    done
  done
  # The kmc stage alone on the example's network (the last run.ini output is gone: make one).
  rm -rf "$run"
  "$pk" run --config inputs/run_example/run.ini --output "$run" --no-report > "$OUT/pipeline_kmc_base.log" 2>&1
  local h opts; h=$(grep -o -- "--time [0-9.e+-]*" "$OUT/pipeline_kmc_base.log" | head -1)
  if [[ -f $run/network.h5 ]]; then
    for opts in "--segments 100" "--segments 10" "--segments 100 CARVEOUT" "--segments 100 NCCL"; do
      local envs=() args=${opts% CARVEOUT}; args=${args% NCCL}
      [[ $opts == *CARVEOUT ]] && envs=(PK_KMC_CARVEOUT=-1)
      [[ $opts == *NCCL ]] && envs=(PK_KMC_NCCL=1)
      say "kmc stage ($opts): $( { /usr/bin/time -f "process %e s" env "${envs[@]}" "$pk" kmc --config inputs/run_example/run.ini \
          --network "$run/network.h5" --output "$run/kmc_$RANDOM.h5" --concentration 1e-6 $h $args; } 2>&1 |
          grep -E "steps in|process|reductions via" | tr '\n' ' ')"
    done
  else
    say "kmc stage: skipped ($run/network.h5 missing; log $OUT/pipeline_kmc_base.log)"
  fi
}

run_benchmarks() {  # SECTIONS CPU_EXE [extra args]: benchmarks/run_benchmarks --full into $OUT/suite
  local sections=$1 exe=$2; shift 2
  mkdir -p "$OUT/suite"
  python3 benchmarks/run_benchmarks --full --output "$OUT/suite" --pk "$exe" --max-ranks "${MAX_RANKS:-16}" \
    --io-dir /tmp --timeout "${SUITE_TIMEOUT:-150}" --sections "$sections" "$@" 2>&1 | tee -a "$LOG"
  local rc=${PIPESTATUS[0]}
  python3 benchmarks/summarize_results.py "$OUT/suite" 2>&1 | tee -a "$LOG"
  return "$rc"
}

bench_gemm() {
  need_gpu "bench gemm"; ensure_build cuda
  run_benchmarks gemm "$pk" --pk-cuda "$pk"
}

bench_io() {
  ensure_build cpu
  run_benchmarks io "$cpk" --pk-cuda none
}

bench_scaling() {
  ensure_build cpu
  run_benchmarks scaling "$cpk" --pk-cuda none
  local n r
  say "weak scaling at 4 replicas x 4096 walkers per rank (1000 steps, --bind-to core):"
  for n in 1 2 4 8 16; do
    (( n > ${MAX_RANKS:-16} )) && break
    r=$(OMP_NUM_THREADS=1 timeout 150 mpirun -n "$n" --bind-to core --map-by core "$cpk" bench kmc --states 512 \
        --walkers 4096 --steps 1000 --repeats 3 --replicas $((4 * n)) 2>&1 | tr -d '\n')
    echo "{\"ranks\": $n, \"result\": ${r:-null}}"
  done > "$OUT/weak4096.jsonl"
  python3 - "$OUT/weak4096.jsonl" <<'PY' 2>&1 | tee -a "$LOG"
import json, sys
base = None
for line in open(sys.argv[1]):
    try:
        r = json.loads(line); s = r["result"]["steps_per_s"]
    except Exception:
        print("  FAILED:", line.strip()[:300]); continue
    base = base or s
    print(f"  {r['ranks']:2d} ranks: {s:.3e} steps/s, efficiency {s / (r['ranks'] * base):.3f}")
PY
  say "1 rank x 16 OpenMP threads: bench kmc --replicas 64 --states 512 --walkers 1024 --steps 1000 --repeats 3:"
  OMP_NUM_THREADS=16 OMP_PROC_BIND=spread OMP_PLACES=threads timeout 150 "$cpk" bench kmc --replicas 64 --states 512 \
    --walkers 1024 --steps 1000 --repeats 3 2>&1 | tr -d '\n' | tee -a "$LOG"; echo | tee -a "$LOG"
}

bench_cpu_probe() {
  ensure_build cpu
  { lscpu
    for c in /sys/devices/system/cpu/cpu[0-9]*; do
      echo "$(basename "$c"): siblings $(cat "$c/topology/thread_siblings_list" 2>/dev/null) core $(cat "$c/topology/core_id" 2>/dev/null)"
    done | sort -V; } >> "$LOG" 2>&1
  gcc -O2 -o /tmp/pk_alu_loop benchmarks/probes/alu_loop.c || die "gcc failed on benchmarks/probes/alu_loop.c"
  local iters=${PK_PROBE_ITERS:-600000000} ncpu; ncpu=$(nproc)
  run_copies() {  # cpus...: one pinned copy per CPU at once
    local pids=() c
    for c in "$@"; do taskset -c "$c" /tmp/pk_alu_loop "$iters" > "/tmp/pk_alu_$c.txt" & pids+=($!); done
    wait "${pids[@]}"
    for c in "$@"; do cut -d' ' -f1 "/tmp/pk_alu_$c.txt"; done |
      awk '{s += $1; n++; if (!m || $1 < m) m = $1} END {printf "mean %.1f min %.1f Mit/s per copy", s / n, m}'
  }
  local n
  for n in 1 2 4 8 16; do (( n <= ncpu )) && say "alu_loop x$n on cpus 0-$((n - 1)): $(run_copies $(seq 0 $((n - 1))))"; done
  if (( ncpu >= 16 )); then
    say "alu_loop x8 on even cpus: $(run_copies 0 2 4 6 8 10 12 14)"
    say "alu_loop x8 on odd cpus: $(run_copies 1 3 5 7 9 11 13 15)"
  fi
  say "alu_loop x1 again: $(run_copies 0)"
  kmcw() {  # ranks, mpirun placement options...
    local n=$1; shift
    OMP_NUM_THREADS=1 timeout 90 mpirun -n "$n" "$@" "$cpk" bench kmc --states 512 --walkers 4096 --steps 1000 --repeats 3 \
      --replicas $((4 * n)) 2>&1 | python3 -c 'import json,sys; t=sys.stdin.read(); r=json.loads(t[t.index("{"):]); print("%.3e steps/s; per-rank advance median s: fastest %.4f mean %.4f slowest %.4f; barrier-to-barrier %.4f" % (r["steps_per_s"], r["rank_median_s_fastest"], r["rank_median_s_mean"], r["rank_median_s_slowest"], r["median_s"]))' 2>&1 | tail -1
  }
  say "bench kmc weak (4 replicas x 4096 walkers per rank, 1000 steps):"
  for n in 1 2 4 8 16; do (( n <= ncpu )) && say "  $n ranks (--bind-to core): $(kmcw "$n" --bind-to core --map-by core)"; done
  say "  1 rank again: $(kmcw 1 --bind-to core --map-by core)"
  (( ncpu >= 16 )) && say "  8 ranks on even cpus: $(kmcw 8 --cpu-list 0,2,4,6,8,10,12,14 --bind-to cpu-list:ordered)"
  return 0
}

bench_suite() {
  need_gpu "bench suite"; ensure_build cuda; ensure_build cpu
  run_benchmarks gemm,scaling,io,kmc,dock "$cpk" --pk-cuda "$pk"
}

bench_landscape() {
  need_gpu "bench landscape"; ensure_build cuda
  local what=${1:-all} kin=$here/out/kinetics
  [[ $what =~ ^(dock|landscapes|calibrate|all)$ ]] || die "bench landscape: dock, landscapes, calibrate or all, not '$what'" 2
  local lpk=$here/$pk
  export PK_PYTHON=${PK_PYTHON:-python3} OMP_NUM_THREADS=${OMP_NUM_THREADS:-8}
  {
    "$lpk" --version | head -5
    if [[ $what == all || $what == dock ]]; then
      bash scripts/kinetics/dock_reference.sh --pandakinetics "$lpk" --out "$kin/docked"
      echo "dock_reference.sh exit $?"
    fi
    if [[ $what == all || $what == landscapes ]]; then
      bash scripts/kinetics/build_landscapes.sh --pandakinetics "$lpk" --docked "$kin/docked" --out "$kin/landscapes"
      echo "build_landscapes.sh exit $?"
    fi
    if [[ $what == all || $what == calibrate ]]; then
      local c=$kin/calibration start
      mkdir -p "$c"
      start=$(date +%s%N)
      OMP_NUM_THREADS=1 mpirun -n "${PK_CALIBRATE_RANKS:-8}" --oversubscribe "$lpk" calibrate \
        --reference "$kin/landscapes/calibration.csv" --folds 0 --concentration 1e-6 --output "$c/parameters.txt" \
        --predictions "$c/predictions.csv" --summary "$c/calibration.json"
      echo "calibrate exit $? in $(( ($(date +%s%N) - start) / 1000000 )) ms wall on ${PK_CALIBRATE_RANKS:-8} ranks"
    fi
    date -u
  } 2>&1 | tee -a "$LOG"
  tar czf "$OUT/kinetics.tgz" --exclude='*_out.pdbqt' -C "$here" out/kinetics 2>/dev/null
  ls -la "$OUT" | tee -a "$LOG"
}

do_bench() {
  local target=${1:-}
  [[ $# -gt 0 ]] && shift
  local all="kmc score dock pipeline gemm io scaling"
  case $target in
    kmc|kmc-launch|kmc-run|superbasin|score|score-poses|dock|dock-chains|seeds|pipeline|gemm|io|scaling|cpu-probe|suite|landscape|all) ;;
    "") die "bench: name a target (kmc, kmc-launch, kmc-run, superbasin, score, score-poses, dock, dock-chains, seeds, pipeline, gemm, io, scaling, cpu-probe, suite, landscape, all); see help" 2 ;;
    *) die "bench: unknown target '$target' (see: bash benchmarks/gpu_node.sh help)" 2 ;;
  esac
  if [[ $target == all ]]; then
    need_gpu "bench all"
    local t rc=0
    for t in $all; do bash "$here/benchmarks/gpu_node.sh" bench "$t" || rc=1; done
    return $rc
  fi
  LOG=$OUT/bench-$target.log
  [[ $target == landscape ]] && LOG=$OUT/landscape_gpu.log   # the name RESULTS.md and docs/landscape.md use
  header bench "$target" "$@"
  SECONDS=0
  "bench_${target//-/_}" "$@"
  say "bench $target: $SECONDS s"
}

# ---- profile ---------------------------------------------------------------
do_profile() {
  local what=${1:-}
  [[ $what =~ ^(kmc|dock|score)$ ]] || die "profile: kmc, dock or score, not '${what}'" 2
  LOG=$OUT/profile-$what.log
  header profile "$what"
  need_gpu "profile $what"
  local ncu nsys
  ncu=$(command -v ncu || { [[ -x /usr/local/cuda/bin/ncu ]] && echo /usr/local/cuda/bin/ncu; })
  nsys=$(command -v nsys || { [[ -x /usr/local/cuda/bin/nsys ]] && echo /usr/local/cuda/bin/nsys; })
  [[ -n $ncu ]] || say "ncu (Nsight Compute) absent: no kernel profile"
  [[ -n $nsys ]] || say "nsys (Nsight Systems) absent: no timeline"
  [[ -n $ncu || -n $nsys ]] || die "profile: neither ncu nor nsys is installed (PATH, /usr/local/cuda/bin)" 3
  if [[ $what == score ]]; then
    BENCH_TARGETS=pandakinetics PK_CMAKE_ARGS="${PK_CMAKE_ARGS:--DCMAKE_CXX_FLAGS=-lineinfo}" ensure_build cuda
  else
    ensure_build cuda
  fi
  local sections=(--section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats
                  --section ComputeWorkloadAnalysis --section InstructionStats --section MemoryWorkloadAnalysis
                  --section SchedulerStats --section SourceCounters)
  local figures="Duration|Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Size|Grid Size|Stall|Executed Ipc|Issue Slots|Shared Memory Configuration Size|Dynamic Shared|Local Memory|Waves|L1/TEX Hit|L2 Hit"
  local cmd=() runs=() v
  case $what in
    kmc)
      for v in counts nocounts; do
        local extra=""; [[ $v == nocounts ]] && extra=--no-transition-counts
        cmd=("$pk" bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 500 --repeats 1 $extra)
        if [[ -n $ncu ]]; then
          timeout 300 "$ncu" --kernel-name-base demangled --kernel-name "regex:${NCU_KERNEL:-KmcAdvance}" \
            --launch-skip "${NCU_SKIP:-1}" --launch-count 1 "${sections[@]}" "${cmd[@]}" > "$OUT/ncu_kmc_$v.txt" 2>&1
          say "ncu kmc ($v): exit $? ($OUT/ncu_kmc_$v.txt)"
          grep -E "$figures" "$OUT/ncu_kmc_$v.txt" | head -40 | tee -a "$LOG"
        fi
        runs+=("$v:${cmd[*]}")
      done ;;
    dock)
      cmd=("$pk" bench dock --exhaustiveness 8 --chains 1024 --steps_per_chain 4 --seed 1 --vina none)
      if [[ -n $ncu ]]; then
        timeout 300 "$ncu" --kernel-name-base demangled --kernel-name "regex:${NCU_KERNEL:-run_mc_chains_team}" \
          --launch-skip "${NCU_SKIP:-0}" --launch-count 1 "${sections[@]}" "${cmd[@]}" > "$OUT/ncu_dock.txt" 2>&1
        say "ncu dock: exit $? ($OUT/ncu_dock.txt)"
        grep -E "$figures" "$OUT/ncu_dock.txt" | head -60 | tee -a "$LOG"
      fi
      runs+=("dock:${cmd[*]}") ;;
    score)
      cmd=("$pk" bench score --poses 131072 --repeats 2)
      if [[ -n $ncu ]]; then
        timeout 300 "$ncu" --kernel-name-base demangled --kernel-name "regex:${NCU_KERNEL:-launch_full_team}" \
          --launch-skip "${NCU_SKIP:-1}" --launch-count 1 "${sections[@]}" --import-source yes -o "$OUT/score_team" \
          "${cmd[@]}" > "$OUT/ncu_run.txt" 2>&1
        say "ncu score: exit $?"
        "$ncu" --import "$OUT/score_team.ncu-rep" > "$OUT/ncu_score_team.txt" 2>&1
        "$ncu" --import "$OUT/score_team.ncu-rep" --page source --csv --print-source cuda > "$OUT/ncu_source.csv" 2>&1 ||
          "$ncu" --import "$OUT/score_team.ncu-rep" --page source --csv > "$OUT/ncu_source.csv" 2>&1
        "$ncu" --import "$OUT/score_team.ncu-rep" --page source --csv --print-source sass > "$OUT/ncu_sass.csv" 2>&1
        say "source page $(wc -l < "$OUT/ncu_source.csv") lines, SASS page $(wc -l < "$OUT/ncu_sass.csv") lines"
        gzip -f "$OUT/ncu_sass.csv" "$OUT/score_team.ncu-rep" 2>/dev/null
        grep -E "$figures" "$OUT/ncu_score_team.txt" | head -40 | tee -a "$LOG"
      fi
      runs+=("score:${cmd[*]}") ;;
  esac
  if [[ -n $nsys ]]; then
    local r name
    for r in "${runs[@]}"; do
      name=${r%%:*}
      timeout 300 "$nsys" profile --force-overwrite true --stats=true -o "$OUT/nsys_${what}_$name" ${r#*:} \
        > "$OUT/nsys_${what}_$name.txt" 2>&1
      say "nsys $what ($name): exit $? ($OUT/nsys_${what}_$name.nsys-rep, stats in $OUT/nsys_${what}_$name.txt)"
      grep -A12 -E "cuda_gpu_kern_sum|CUDA GPU Kernel Summary" "$OUT/nsys_${what}_$name.txt" | head -16 | tee -a "$LOG"
    done
  fi
}

case $sub in
  build) do_build "$@" ;;
  test) do_test "$@" ;;
  bench) do_bench "$@" ;;
  profile) do_profile "$@" ;;
esac
