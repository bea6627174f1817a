#!/bin/bash
# Builds the binding landscape (`pandakinetics network` in the landscape mode) of every docked ligand of
# the kinetics reference set (scripts/kinetics/dock_reference.sh wrote DOCKED/<id>/poses.h5), one after
# the other, timing each, and writes OUT/calibration.csv (series, ligand_id, koff_per_s, network) for
# `pandakinetics calibrate --reference`. The landscape settings are the defaults documented in
# docs/landscape.md; extra `network` options can follow `--`. A ligand whose network.h5 and wall_time_s
# exist is not built again (--force builds everything again).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
pk=$repo/build/cpu/src/pandakinetics
prepared=$repo/inputs/kinetics/prepared
reference=$repo/inputs/kinetics/reference.csv
docked=$repo/out/kinetics/docked
out=$repo/out/kinetics/landscapes
force=0
only=""
python=${PK_PYTHON:-/usr/bin/python3}
# The landscape: 32 rays, a state every 2 Å up to 16 Å out; neighbours within 3 Å (RMSD or centroid);
# 4 images per path, 20 BFGS steps per image; unconnected dead ends dropped.
settings=(--channel-rays 32 --channel-step 2 --channel-length 16 --edge-rmsd 3 --edge-centroid 3
          --images 4 --relax-steps 20 --drop-unconnected)

usage() {
  cat <<USAGE
usage: $0 [options] [-- extra network options]
  --pandakinetics FILE   the executable (default: $pk)
  --prepared DIR         prepared receptors (default: $prepared)
  --reference CSV        the reference set (default: $reference)
  --docked DIR           docking results, one subfolder per ligand (default: $docked)
  --out DIR              output folder (default: $out)
  --ligands ID,ID,...    build only these ligands (calibration.csv still lists every ligand)
  --force                build again landscapes that exist
Default landscape options: ${settings[*]}
USAGE
}
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pandakinetics) pk=$2; shift 2 ;;
    --prepared) prepared=$2; shift 2 ;;
    --reference) reference=$2; shift 2 ;;
    --docked) docked=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --ligands) only=$2; shift 2 ;;
    --force) force=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build_landscapes.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
done
[ -x "$pk" ] || { echo "build_landscapes.sh: $pk is not an executable" >&2; exit 1; }
mkdir -p "$out"
jobs=$("$python" - "$reference" <<'PY'
import csv, sys
receptor = {'structures/5lny.pdb': '5lny', 'structures/5tmn_protein.pdb': '5tmn', 'structures/3utu_protein.pdb': '3utu'}
with open(sys.argv[1], newline='') as f:
    for line, r in enumerate(csv.DictReader(f), start=2):
        if r['receptor_structure'] not in receptor:
            sys.exit(f'{sys.argv[1]}:{line}: unknown receptor {r["receptor_structure"]}')
        print(r['series'], r['ligand_id'], r['koff_per_s'], receptor[r['receptor_structure']])
PY
)
csv=$out/calibration.csv.tmp.$$
echo "series,ligand_id,koff_per_s,network" > "$csv"
while read -r series id koff rec; do
  dir=$out/$id
  echo "$series,$id,$koff,$id/network.h5" >> "$csv"
  if [ -n "$only" ] && [[ ",$only," != *",$id,"* ]]; then continue; fi
  if [ $force -eq 0 ] && [ -s "$dir/network.h5" ] && [ -s "$dir/wall_time_s" ]; then
    echo "$id: built before ($(cat "$dir/wall_time_s") s), skipped"; continue
  fi
  [ -s "$docked/$id/poses.h5" ] || { echo "build_landscapes.sh: $id: no $docked/$id/poses.h5 (dock first)" >&2; exit 1; }
  mkdir -p "$dir"
  rm -f "$dir/wall_time_s"
  start=$(date +%s.%N)
  if ! "$pk" network "$docked/$id/poses.h5" --receptor "$prepared/receptors/$rec.pdbqt" "${settings[@]}" "${extra[@]}" \
      --output "$dir/network.h5" --summary "$dir/network.json" > "$dir/network.log" 2>&1; then
    echo "build_landscapes.sh: $id: pandakinetics network failed, see $dir/network.log" >&2; exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }' > "$dir/wall_time_s"
  echo "$id: $(grep -m1 '^network:' "$dir/network.log" | cut -c1-90) in $(cat "$dir/wall_time_s") s"
done <<< "$jobs"
mv "$csv" "$out/calibration.csv"
echo "wrote $out/calibration.csv"
