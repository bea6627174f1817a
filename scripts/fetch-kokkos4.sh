#!/usr/bin/env bash
# scripts/fetch-kokkos4.sh [PREFIX]: build and install Kokkos 4.6.01 (OpenMP +
# Serial, Release, deprecated 4.x code off) from the tarball kept in vendor/,
# after verifying its SHA-256. The project then builds against it through
# find_package (-DKokkos_ROOT=PREFIX), the way a user builds against a
# cluster's Kokkos 4.x module.
#
# Cached: a second run with the same tarball and options does nothing.
# Nothing is downloaded; vendor/README.md says where the tarball comes from.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
version=4.6.01
tarball=$here/vendor/kokkos-$version.tar.gz
sha256=5a489dcb580d845b2681672554592701e9ad5d1c2fbc6e4786d0851a62343e48
prefix=${1:-$here/third_party/kokkos4-install}
src=$here/third_party/kokkos4-src
build=$here/third_party/kokkos4-build
options=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17
         -DKokkos_ENABLE_OPENMP=ON -DKokkos_ENABLE_SERIAL=ON
         -DKokkos_ENABLE_DEPRECATED_CODE_4=OFF -DKokkos_ENABLE_DEPRECATION_WARNINGS=ON
         -DKokkos_ENABLE_TESTS=OFF -DKokkos_ENABLE_EXAMPLES=OFF -DKokkos_ENABLE_BENCHMARKS=OFF)
# The stamp records what was installed: tarball checksum and options.
want="$sha256 ${options[*]}"
stamp=$prefix/.pk-installed

if [[ -f $stamp ]] && [[ "$(cat "$stamp")" == "$want" ]]; then
  echo "fetch-kokkos4: cached Kokkos $version in $prefix"
  exit 0
fi

if [[ ! -f $tarball ]]; then
  echo "fetch-kokkos4: $tarball is missing (it is committed in vendor/; see vendor/README.md)" >&2
  exit 1
fi
actual=$(sha256sum "$tarball" | cut -d' ' -f1)
if [[ $actual != "$sha256" ]]; then
  echo "fetch-kokkos4: checksum mismatch for $tarball" >&2
  echo "  expected $sha256" >&2
  echo "  got      $actual" >&2
  exit 1
fi

# Only a prefix this script made (it holds our stamp) or an empty one is replaced.
if [[ -d $prefix && ! -f $stamp ]] && [[ -n "$(ls -A "$prefix")" ]]; then
  echo "fetch-kokkos4: $prefix exists and was not installed by this script; choose an empty prefix" >&2
  exit 1
fi
echo "fetch-kokkos4: extracting $(basename "$tarball")"
rm -rf "$src" "$build"
[[ -f $stamp ]] && rm -rf "$prefix"
mkdir -p "$src"
tar -xzf "$tarball" -C "$src" --strip-components=1
grep -q 'Kokkos_VERSION_MAJOR 4' "$src/CMakeLists.txt" || { echo "fetch-kokkos4: unexpected Kokkos version in $tarball" >&2; exit 1; }

echo "fetch-kokkos4: configuring (OpenMP + Serial, Release, Kokkos_ENABLE_DEPRECATED_CODE_4=OFF)"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S "$src" -B "$build" "${generator[@]}" -DCMAKE_INSTALL_PREFIX="$prefix" "${options[@]}" \
      > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
rm -f "$build.configure.log"
echo "fetch-kokkos4: building with $(nproc) jobs"
start=$(date +%s)
cmake --build "$build" -j "$(nproc)"
cmake --install "$build" > /dev/null
echo "$want" > "$stamp"
echo "fetch-kokkos4: Kokkos $version installed in $prefix (built in $(( $(date +%s) - start )) s)"
