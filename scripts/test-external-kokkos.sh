#!/usr/bin/env bash
# scripts/test-external-kokkos.sh [kokkos4|debian|all]: the project against
# an installed Kokkos, through find_package (scripts/test.sh runs `all`).
#   kokkos4: Kokkos 4.6.01 (OpenMP + Serial, Kokkos_ENABLE_DEPRECATED_CODE_4=OFF)
#            built from vendor/ by scripts/fetch-kokkos4.sh (cached); the whole
#            project is built in build/k4 (PK_K4_BUILD_DIR), any deprecation
#            warning fails, then `ctest -LE slurm` must pass.
#   debian:  Debian's packaged Kokkos 3.4.01 (libtrilinos-kokkos-dev, Serial;
#            its CMake config is broken, cmake/PkKokkos.cmake mends it): a
#            smoke test only, about a minute: configure, compile the KMC
#            kernels, build and run test_kokkos_reduce.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
what=${1:-all}
jobs=$(nproc)

configure() {  # configure DIR ARGS...: quiet unless it fails
  local dir=$1; shift
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" > "$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log"; echo "test-external-kokkos: configure of $dir failed" >&2; exit 1; }
}

kokkos4() {
  local dir=${PK_K4_BUILD_DIR:-build/k4} t0 rc
  echo "== Kokkos 4.6.01 (OpenMP + Serial, deprecated 4.x code off) through find_package =="
  t0=$(date +%s)
  bash scripts/fetch-kokkos4.sh
  echo "Kokkos 4.6.01 ready after $(( $(date +%s) - t0 )) s"
  t0=$(date +%s)
  configure "$dir" -DKokkos_ROOT="$here/third_party/kokkos4-install"
  grep -q "Kokkos: external 4\.6\.1" "$dir/configure.log" ||
    { cat "$dir/configure.log"; echo "test-external-kokkos: $dir did not pick Kokkos 4.6.1" >&2; exit 1; }
  set +e
  cmake --build "$dir" -j "$jobs" > "$dir/build.log" 2>&1
  rc=$?
  set -e
  if [[ $rc != 0 ]]; then
    grep -E "error|FAILED" "$dir/build.log" | head -40
    echo "test-external-kokkos: build against Kokkos 4.6.01 failed (exit $rc; $dir/build.log)" >&2
    exit "$rc"
  fi
  # Kokkos' headers come in as system headers, so a warning left names a line
  # of the project's sources ([[deprecated]] uses, and #warning of a
  # deprecated header).
  if grep -iE "warning:.*deprecat" "$dir/build.log"; then
    echo "test-external-kokkos: deprecation warnings against Kokkos 4.6.01 (above)" >&2
    exit 1
  fi
  echo "Kokkos 4.6.01 build: no deprecation warnings, built in $(( $(date +%s) - t0 )) s"
  t0=$(date +%s)
  set +e
  # Every test but those whose verdict does not depend on the Kokkos build: the Slurm jobscripts,
  # the reference-set preparation (RDKit + Open Babel), the RDKit-prep parity with Open Babel, the
  # receptor preparation next to Open Babel and the SDF writer (plain C++/RDKit, host scoring), and the
  # redocking statistics next to `vina` (the scorer's parity with vina, dock_vina_parity, stays).
  ctest --test-dir "$dir" -j "$jobs" -LE "slurm|kinetics" -E "^(dock_quality_vs_vina|prep_parity|prep_receptor|test_prep_sdf)$" \
    --output-on-failure > "$dir/ctest.log" 2>&1
  rc=$?
  set -e
  echo "Kokkos 4.6.01 ctest (all but slurm, kinetics, dock_quality_vs_vina, prep_parity, prep_receptor, test_prep_sdf): $(grep -E 'tests passed|tests failed' "$dir/ctest.log" | tail -1)" \
       "in $(( $(date +%s) - t0 )) s"
  if [[ $rc != 0 ]]; then
    cat "$dir/ctest.log"
    echo "test-external-kokkos: ctest against Kokkos 4.6.01 failed (exit $rc)" >&2
    exit "$rc"
  fi
}

debian() {
  local dir=build/external t0
  echo "== Debian's packaged Kokkos 3.4.01 (Serial) through find_package: compile and one test =="
  t0=$(date +%s)
  configure "$dir" -DPK_USE_EXTERNAL_KOKKOS=ON -DKokkos_DIR=/usr/lib/x86_64-linux-gnu/cmake/Kokkos
  cmake --build "$dir" -j "$jobs" --target pk_kmc_device test_kokkos_reduce > "$dir/build.log" 2>&1 ||
    { cat "$dir/build.log"; echo "test-external-kokkos: build against Debian's Kokkos failed" >&2; exit 1; }
  ctest --test-dir "$dir" -R '^test_kokkos_reduce$' --output-on-failure > "$dir/ctest.log" 2>&1 ||
    { cat "$dir/ctest.log"; echo "test-external-kokkos: test_kokkos_reduce against Debian's Kokkos failed" >&2; exit 1; }
  echo "Debian's Kokkos 3.4.01: configured, KMC kernels compiled, test_kokkos_reduce passed in $(( $(date +%s) - t0 )) s"
}

case $what in
  kokkos4) kokkos4 ;;
  debian) debian ;;
  all) kokkos4; debian ;;
  *) echo "usage: scripts/test-external-kokkos.sh [kokkos4|debian|all]" >&2; exit 2 ;;
esac
