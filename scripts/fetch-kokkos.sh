#!/usr/bin/env bash
# Fetch Kokkos 3.4.01 source from Debian's `trilinos` source package, verify it,
# apply the project's CUDA 13 / Hopper patch, and leave it in third_party/kokkos.
#
# Debian carries Kokkos only inside Trilinos (packages/kokkos of trilinos 13.2.0).
# The deb-src entry is derived from the mirror this machine already uses, and
# apt's state is kept in a private folder, so the system configuration is not
# touched. The result is cached: a second run does nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/third_party/kokkos}
cache=$here/third_party/cache
patch_file=$here/patches/kokkos-3.4.01-cuda13-hopper.patch
orig=trilinos_13.2.0.orig.tar.gz
# sha256 of the upstream tarball as Debian ships it (trilinos 13.2.0).
orig_sha256=0ddb47784ba7b8a6b9a07a4822b33be508feb4ccd54301b2a5d10c9e54524b90
stamp=$dest/.pk-fetched

if [[ -f $stamp ]] && [[ "$(cat "$stamp")" == "$(sha256sum "$patch_file" | cut -d' ' -f1)" ]]; then
  echo "fetch-kokkos: cached Kokkos source in $dest"
  exit 0
fi

mkdir -p "$cache"
if [[ ! -f $cache/$orig ]]; then
  apt_dir=$cache/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/parts" "$apt_dir/archives/partial"
  found=0
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    sed 's/^Types:.*/Types: deb-src/' "$f" > "$apt_dir/parts/$(basename "$f")"
    found=1
  done
  if [[ -f /etc/apt/sources.list ]] && grep -q '^deb ' /etc/apt/sources.list; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$apt_dir/parts/main.list"
    found=1
  fi
  if [[ $found == 0 ]]; then
    echo "fetch-kokkos: no apt sources found in /etc/apt; cannot derive a deb-src entry" >&2
    exit 1
  fi
  apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/none.list" -o "Dir::Etc::sourceparts=$apt_dir/parts"
            -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::archives=$apt_dir/archives"
            -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Sandbox::User=root")
  echo "fetch-kokkos: reading Debian source indices (private apt state in $apt_dir)"
  apt-get "${apt_opts[@]}" -qq update
  echo "fetch-kokkos: downloading the trilinos source package (~170 MB, once)"
  (cd "$cache" && apt-get "${apt_opts[@]}" -qq source --download-only trilinos=13.2.0-4)
fi

actual=$(sha256sum "$cache/$orig" | cut -d' ' -f1)
if [[ $actual != "$orig_sha256" ]]; then
  echo "fetch-kokkos: checksum mismatch for $cache/$orig" >&2
  echo "  expected $orig_sha256" >&2
  echo "  got      $actual" >&2
  exit 1
fi

echo "fetch-kokkos: extracting packages/kokkos"
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xzf "$cache/$orig" -C "$dest.tmp" --strip-components=3 --wildcards '*/packages/kokkos/*'
grep -q 'Kokkos_VERSION_MAJOR 3' "$dest.tmp/CMakeLists.txt" || { echo "fetch-kokkos: unexpected Kokkos version" >&2; exit 1; }
echo "fetch-kokkos: applying $(basename "$patch_file")"
patch -s -p1 -d "$dest.tmp" < "$patch_file"
mv "$dest.tmp" "$dest"
sha256sum "$patch_file" | cut -d' ' -f1 > "$stamp"
echo "fetch-kokkos: Kokkos 3.4.01 ready in $dest"
