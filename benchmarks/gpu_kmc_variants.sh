#!/usr/bin/env bash
# The KMC kernel variants A/B on the GPU node (KmcParams::variant:
# baseline, packed, packed-int; `bench kmc --variant`, PK_KMC_VARIANT),
# after the cuda build (`bash scripts/gpu-node-build.sh cuda`):
#  1. registers per advance kernel (cuobjdump), and the variants' tests on the
#     GPU build when its test binaries are there: test_kmc_variants,
#     test_kmc_vs_exact (every variant) and test_kmc_engine under
#     PK_KMC_VARIANT=each;
#  2. `bench kmc` for each variant, interleaved: 512 states, out-degree 10,
#     64 x 4096 walkers, 2000 steps, with and without transition counts and
#     with --distinct-conditions; 4096 states with and without counts; and
#     packed-int in 512-walker teams;
#  3. CPU weak scaling with the cpu build (`gpu-node-build.sh cpu`, target
#     pandakinetics, incremental, run first; skip the whole part with
#     PK_KMC_VARIANTS_CPU=0): 1 and 16 ranks x 4 replicas x 4096 walkers,
#     `mpirun --bind-to core --map-by core`, OMP_NUM_THREADS=1, each variant.
# Output: $OUT/kmc_variants.txt (summary), $OUT/kmc_variants.jsonl,
# $OUT/kmc_variants_weak.jsonl, $OUT/kmc_variants_tests.log.
# Usage: OUT=... bash benchmarks/gpu_kmc_variants.sh
# (A dry run elsewhere: PK_KMC_BUILD=build/x PK_KMC_CPU_BUILD=build/x
# PK_KMC_STEPS=20 PK_KMC_WALKERS=64 PK_KMC_CPU_RANKS=2.)
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
build=${PK_KMC_BUILD:-build/cuda}
cpu_build=${PK_KMC_CPU_BUILD:-build/cpu}
steps=${PK_KMC_STEPS:-2000}
walkers=${PK_KMC_WALKERS:-4096}
ranks=${PK_KMC_CPU_RANKS:-16}
pk=$build/src/pandakinetics
sum=$OUT/kmc_variants.txt
[[ -x $pk ]] || { echo "gpu_kmc_variants: $pk missing: run 'bash scripts/gpu-node-build.sh cuda' first" | tee "$sum"; exit 1; }
variants="baseline packed packed-int"
SECONDS=0
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
  git log -1 --format="commit %h %s" 2>/dev/null
  echo "registers per thread of the advance kernels (cuobjdump -res-usage):"
  cuobjdump=$(command -v cuobjdump || echo /usr/local/cuda/bin/cuobjdump)
  timeout 30 "$cuobjdump" -res-usage "$pk" 2>/dev/null | python3 -c '
import re, subprocess, sys
lines = sys.stdin.read().splitlines()
for i, line in enumerate(lines):
    m = re.search(r"Function (\S+):", line)
    if not m or "KmcAdvance" not in m.group(1) or i + 1 >= len(lines):
        continue
    name = subprocess.run(["c++filt"], input=m.group(1), capture_output=True, text=True).stdout
    k = re.search(r"KmcAdvance(Team)?<[^<>]*, (\d)>", name)
    policy = "LaunchBounds" if "LaunchBounds<256" in name else ("team" if "TeamPolicy" in name else "range")
    res = re.findall(r"(REG|SHARED):(\d+)", lines[i + 1])
    print("  ", k.group(0) if k else m.group(1)[:80], policy, " ".join(a + ":" + b for a, b in res))
'
} > "$sum" 2>&1

# 1. Tests of the variants on the GPU build (what is built of them).
{
  t=$build/tests/kmc
  if [[ -x $t/test_kmc_variants ]]; then
    timeout 120 "$t/test_kmc_variants"; echo "test_kmc_variants (GPU) exit $?"
  else echo "test_kmc_variants not built"; fi
  # test_kmc_vs_exact runs every variant itself; the engine tests under each.
  runs="test_kmc_vs_exact:"
  for v in $variants; do runs="$runs test_kmc_engine:$v"; done
  for run in $runs; do
    name=${run%%:*} v=${run#*:}
    [[ -x $t/$name ]] || { echo "$name not built"; continue; }
    PK_KMC_VARIANT=$v timeout 120 "$t/$name" > "$OUT/kmc_variant_test.log" 2>&1
    echo "$name PK_KMC_VARIANT=$v (GPU) exit $?: $(grep -E 'PASSED|FAILED' "$OUT/kmc_variant_test.log" | tr '\n' ' ')"
    cat "$OUT/kmc_variant_test.log"
  done
  rm -f "$OUT/kmc_variant_test.log"
} > "$OUT/kmc_variants_tests.log" 2>&1
grep -E "exit|not built" "$OUT/kmc_variants_tests.log" >> "$sum"
echo "tests: $SECONDS s" >> "$sum"

# 2. bench kmc, variants interleaved per shape.
s512="--states 512 --out-degree 10 --replicas 64 --walkers $walkers --steps $steps"
s4096="--states 4096 --out-degree 10 --replicas 64 --walkers $walkers --steps $steps"
for args in "$s512" "$s512 --no-transition-counts" "$s512 --distinct-conditions" "$s4096" "$s4096 --no-transition-counts"; do
  for v in $variants; do
    r=$(timeout 60 "$pk" bench kmc $args --variant "$v" 2>&1 | tr -d '\n')
    echo "{\"args\": \"$args --variant $v\", \"result\": ${r:-null}}"
  done
done > "$OUT/kmc_variants.jsonl"
# The packed team kernels hold 53-54 registers, so two 512-walker teams fit
# an SM as well as one of 1024: does the smaller team help?
r=$(PK_KMC_TEAM_WALKERS=512 timeout 60 "$pk" bench kmc $s512 --variant packed-int 2>&1 | tr -d '\n')
echo "{\"args\": \"PK_KMC_TEAM_WALKERS=512 $s512 --variant packed-int\", \"result\": ${r:-null}}" >> "$OUT/kmc_variants.jsonl"
echo "GPU bench: $SECONDS s" >> "$sum"

# 3. CPU weak scaling (cpu build: the OpenMP version, one thread per rank).
if [[ ${PK_KMC_VARIANTS_CPU:-1} != 0 ]]; then
  # Always (incremental): a build left from an earlier session lacks --variant.
  cpu_ok=1
  if [[ -z ${PK_KMC_CPU_BUILD:-} ]]; then
    PK_BUILD_TARGETS=pandakinetics bash scripts/gpu-node-build.sh cpu > "$OUT/kmc_variants_cpu_build.log" 2>&1 ||
      { cpu_ok=0; echo "cpu build failed: $(tail -5 "$OUT/kmc_variants_cpu_build.log")" >> "$sum"; }
    echo "cpu build done: $SECONDS s" >> "$sum"
  fi
  if [[ $cpu_ok == 1 && -x $cpu_build/src/pandakinetics ]]; then
    lscpu | grep -E "Model name|Thread\(s\) per core|Core\(s\) per socket|L2 cache|L3 cache" >> "$sum"
    # Core clocks 2 s into each run, highest and mean over the cores (is the
    # weak-scaling loss the clock?).
    mhz() { sleep 2; awk '/MHz/ {s += $4; n++; if ($4 > m) m = $4} END {if (n) printf "%.0f/%.0f", m, s / n}' /proc/cpuinfo; }
    for v in $variants; do
      for n in 1 $ranks; do
        mhz > "$OUT/kmc_mhz" &
        r=$(OMP_NUM_THREADS=1 timeout 60 mpirun -n $n --bind-to core --map-by core $cpu_build/src/pandakinetics bench kmc \
            --states 512 --walkers $walkers --steps $((steps / 2)) --repeats 3 --replicas $((4 * n)) --variant "$v" 2>&1 |
            tr -d '\n')
        wait
        echo "{\"ranks\": $n, \"variant\": \"$v\", \"mhz_max_mean\": \"$(cat "$OUT/kmc_mhz")\", \"result\": ${r:-null}}"
      done
    done > "$OUT/kmc_variants_weak.jsonl"
    rm -f "$OUT/kmc_mhz"
    echo "CPU weak scaling: $SECONDS s" >> "$sum"
  fi
fi

python3 - "$OUT/kmc_variants.jsonl" "$OUT/kmc_variants_weak.jsonl" >> "$sum" 2>&1 <<'PY'
import json, os, sys
print("bench kmc (GPU build), steps/s:")
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
        res = r["result"]
        print(f"  {res['steps_per_s']:.3e} steps/s  ran {res['variant']:<10}  {r['args']}")
    except Exception as e:  # a failed run: show what it printed
        print("  FAILED:", line.strip()[:300])
if os.path.exists(sys.argv[2]):
    print("CPU weak scaling (cpu build, 4 replicas per rank, --steps half the GPU runs'), steps/s:")
    one = {}
    for line in open(sys.argv[2]):
        try:
            r = json.loads(line)
            s = r["result"]["steps_per_s"]
        except Exception:
            print("  FAILED:", line.strip()[:300])
            continue
        if r["ranks"] == 1:
            one[r["variant"]] = s
        eff = s / (r["ranks"] * one[r["variant"]]) if r["variant"] in one else float("nan")
        print(f"  {r['variant']:<10} {r['ranks']:2d} ranks: {s:.3e} steps/s, {s / r['ranks']:.3e} per rank, efficiency {eff:.3f}"
              f", core clock max/mean {r.get('mhz_max_mean') or '?'} MHz")
PY
echo "total: $SECONDS s" >> "$sum"
cat "$sum"
