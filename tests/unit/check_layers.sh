#!/usr/bin/env bash
# The source tree's layering (issue 18): only src/app/ sees the command line,
# and no include runs from a lower layer to a higher one.
#   1. Outside src/app/, no file includes <boost/program_options...>, "app/..."
#      or "cli/...", or names boost::program_options.
#   2. A folder includes only folders of its own layer or below (the table
#      below; a folder the table does not know counts as a stage, layer 5).
# Before it checks src/, it plants one violation of each rule in a scratch
# copy and insists both are caught, so the check itself cannot pass vacuously.
# Usage: check_layers.sh SOURCE_DIR
set -u
root=${1:?usage: check_layers.sh SOURCE_DIR}

# Layer of each folder under src/: lower layers never include higher ones.
layer_of() {
  case "$1" in
    core) echo 0 ;;
    comm | runtime) echo 1 ;;
    io) echo 2 ;;
    network | bench) echo 3 ;;
    prep | solve | kmc | dock) echo 4 ;;
    landscape | analysis | run) echo 5 ;;
    app) echo 9 ;;
    *) echo 5 ;;
  esac
}

# Prints one line per violation in the tree at $1 (a src/ folder); returns 1 if any.
check_tree() {
  local src=$1 bad=0 file rel folder line target
  while IFS= read -r file; do
    rel=${file#"$src"/}
    folder=${rel%%/*}
    [[ $rel == */* ]] || folder=.
    if [[ $folder != app ]]; then
      while IFS= read -r line; do
        echo "command-line code outside src/app/: src/$rel: $line"
        bad=1
      done < <(grep -nE '#[[:space:]]*include[[:space:]]*[<"](boost/program_options|app/|cli/)|boost::program_options' "$file")
    fi
    [[ $folder == . ]] && continue
    while IFS= read -r line; do
      [[ $line =~ \#[[:space:]]*include[[:space:]]*\"([a-z_]+)/ ]] || continue
      target=${BASH_REMATCH[1]}
      [[ -d $src/$target ]] || continue  # not a src/ folder (kernels, generated headers)
      if (($(layer_of "$target") > $(layer_of "$folder"))); then
        echo "include up the layers (src/$folder, layer $(layer_of "$folder") -> $target, layer $(layer_of "$target")): src/$rel: $line"
        bad=1
      fi
    done < <(grep -nE '#[[:space:]]*include[[:space:]]*"[a-z_]+/' "$file")
  done < <(find "$src" -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cu' \) | sort)
  return $bad
}

# Self-test: each planted violation must be reported.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src/dock" "$scratch/src/network" "$scratch/src/app" "$scratch/src/landscape"
printf '#include "core/error.hpp"\n' >"$scratch/src/network/ok.cpp"
printf '#include "network/ok.hpp"\n#include <boost/program_options.hpp>\n' >"$scratch/src/app/ok.cpp"
for planted in '#include <boost/program_options/variables_map.hpp>' '#include "app/cli.hpp"' '#include "cli/cli.hpp"' \
               'void f(const boost::program_options::variables_map&);' '#include "landscape/model.hpp"'; do
  printf '%s\n' "$planted" >"$scratch/src/dock/planted.cpp"
  if check_tree "$scratch/src" >/dev/null; then
    echo "FAIL: self-test: the check missed a planted violation in src/dock/: $planted"
    exit 1
  fi
done
rm "$scratch/src/dock/planted.cpp"
if ! out=$(check_tree "$scratch/src"); then
  echo "FAIL: self-test: the check flagged a clean tree:"
  echo "$out"
  exit 1
fi

if ! out=$(check_tree "$root/src"); then
  echo "$out"
  echo "FAIL: $(grep -c . <<<"$out") layering violation(s) under $root/src (see tests/unit/check_layers.sh)"
  exit 1
fi
echo "OK: src/ layering holds (Boost.Program_options and app/ only in src/app/; no include up the layers)"
