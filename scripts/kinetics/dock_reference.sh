#!/bin/bash
# Docks the three crystal ligands (redocking), then every ligand of the kinetics reference set
# (inputs/kinetics/reference.csv, prepared PDBQT under inputs/kinetics/prepared/; the series take turns)
# with `pandakinetics dock` in its series' box, one ligand at a time, and writes OUT/summary.csv and OUT/redocking.csv
# (scripts/kinetics/summarize_docking.py). A ligand whose poses.h5 and wall_time_s exist is not docked
# again (so an interrupted run resumes); --force docks everything again.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
pk=$repo/build/cpu/src/pandakinetics
prepared=$repo/inputs/kinetics/prepared
reference=$repo/inputs/kinetics/reference.csv
out=$repo/out/kinetics/docked
exhaustiveness=8
seed=1
num_modes=20
energy_range=5
only=""
series_order=""
force=0
crystal=1
python=${PK_PYTHON:-/usr/bin/python3}

usage() {
  cat <<EOF
usage: $0 [options]
  --pandakinetics FILE   the executable (default: $pk)
  --prepared DIR         prepared PDBQT (default: $prepared)
  --reference CSV        the reference set (default: $reference)
  --out DIR              output folder, one subfolder per ligand (default: $out)
  --exhaustiveness N     search effort, Vina's meaning (default: $exhaustiveness)
  --seed N               random seed (default: $seed)
  --num_modes N          poses kept per ligand (default: $num_modes)
  --energy_range E       kcal/mol above the best pose kept (default: $energy_range)
  --ligands ID,ID,...    dock only these ligand ids (crystal ligands: crystal_5lny, crystal_5tmn, crystal_3utu)
  --series S,S,...       dock these series one after the other, in this order (default: every series,
                         taking turns ligand by ligand)
  --no-crystal           skip the redocking of the crystal ligands
  --force                dock again ligands that already have results
Threads: OMP_NUM_THREADS (default 2). Each ligand: OUT/ID/{ID_out.pdbqt,ID_out.sdf,poses.h5,dock.json,
dock.log,wall_time_s,cpu_time_s}.
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --pandakinetics) pk=$2; shift 2 ;;
    --prepared) prepared=$2; shift 2 ;;
    --reference) reference=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --exhaustiveness) exhaustiveness=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --num_modes) num_modes=$2; shift 2 ;;
    --energy_range) energy_range=$2; shift 2 ;;
    --ligands) only=$2; shift 2 ;;
    --series) series_order=$2; shift 2 ;;
    --no-crystal) crystal=0; shift ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "dock_reference.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
done
[ -x "$pk" ] || { echo "dock_reference.sh: $pk is not an executable (build it or pass --pandakinetics)" >&2; exit 1; }
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
mkdir -p "$out"

# One job per line: id receptor ligand cx cy cz sx sy sz (series ligands, then the crystal ligands).
jobs=$("$python" - "$reference" "$prepared" "$crystal" "$series_order" <<'EOF'
import csv, sys
reference, prepared, crystal = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
order = [s for s in sys.argv[4].split(',') if s]
receptor = {'structures/5lny.pdb': '5lny', 'structures/5tmn_protein.pdb': '5tmn', 'structures/3utu_protein.pdb': '3utu'}
crystals, per_series = {}, {}
with open(reference, newline='') as f:
    for line, r in enumerate(csv.DictReader(f), start=2):
        if r['receptor_structure'] not in receptor:
            sys.exit(f'{reference}:{line}: unknown receptor {r["receptor_structure"]}')
        rec = receptor[r['receptor_structure']]
        box = ' '.join(r['box_' + k] for k in ('center_x', 'center_y', 'center_z', 'size_x', 'size_y', 'size_z'))
        per_series.setdefault(r['series'], []).append(
            f'{r["ligand_id"]} {prepared}/receptors/{rec}.pdbqt {prepared}/ligands/{r["ligand_id"]}.pdbqt {box}')
        crystals.setdefault(rec, box)
if crystal:
    for rec, box in crystals.items():
        print(f'crystal_{rec} {prepared}/receptors/{rec}.pdbqt {prepared}/crystal/{rec}_ligand.pdbqt {box}')
for s in order:
    if s not in per_series:
        sys.exit(f'{reference}: no series {s}')
    print('\n'.join(per_series[s]))
# Otherwise the series take turns, so a run stopped part way has covered all of them alike.
for i in range(0 if order else max(len(v) for v in per_series.values())):
    for series in sorted(per_series):
        if i < len(per_series[series]):
            print(per_series[series][i])
EOF
)

n=0
while read -r id receptor ligand cx cy cz sx sy sz; do
  if [ -n "$only" ] && [[ ",$only," != *",$id,"* ]]; then continue; fi
  dir=$out/$id
  if [ $force -eq 0 ] && [ -s "$dir/poses.h5" ] && [ -s "$dir/wall_time_s" ]; then
    echo "$id: done before ($(cat "$dir/wall_time_s") s), skipped"; continue
  fi
  [ -s "$receptor" ] && [ -s "$ligand" ] || { echo "dock_reference.sh: $id: missing $receptor or $ligand" >&2; exit 1; }
  mkdir -p "$dir"
  rm -f "$dir/wall_time_s" "$dir/cpu_time_s"
  start=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  if ! { time nice -n 10 "$pk" dock --receptor "$receptor" --ligand "$ligand" \
      --center_x "$cx" --center_y "$cy" --center_z "$cz" --size_x "$sx" --size_y "$sy" --size_z "$sz" \
      --exhaustiveness "$exhaustiveness" --seed "$seed" --num_modes "$num_modes" --energy_range "$energy_range" \
      --out "$dir/${id}_out.pdbqt" --out_sdf "$dir/${id}_out.sdf" --out_h5 "$dir/poses.h5" \
      --json "$dir/dock.json" < /dev/null > "$dir/dock.log" 2>&1 ; } 2> "$dir/cpu_times"; then
    echo "dock_reference.sh: $id: pandakinetics dock failed, see $dir/dock.log" >&2; exit 1
  fi
  end=$(date +%s.%N)
  awk '{ printf "%.2f\n", $1 + $2 }' "$dir/cpu_times" > "$dir/cpu_time_s"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }' > "$dir/wall_time_s"
  n=$((n + 1))
  echo "$id: docked in $(cat "$dir/wall_time_s") s wall, $(cat "$dir/cpu_time_s") s CPU (exhaustiveness $exhaustiveness, seed $seed, OMP_NUM_THREADS $OMP_NUM_THREADS)"
done <<< "$jobs"

echo "$n ligand(s) docked into $out"
"$python" "$here/summarize_docking.py" --reference "$reference" --prepared "$prepared" --docked "$out" \
  --exhaustiveness "$exhaustiveness" --seed "$seed"
