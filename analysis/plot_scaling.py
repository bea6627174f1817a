#!/usr/bin/env python3
"""Strong and weak scaling efficiency curves from scaling rows.

Reads the CSV files written by jobscripts/strong-scaling.sbatch,
jobscripts/weak-scaling.sbatch or benchmarks/run_benchmarks (columns `ranks`
and `steps_per_s`; several rows for one rank count are reduced to their
median) and draws, for each, the throughput and the parallel efficiency

    efficiency(N) = steps_per_s(N) / (N * steps_per_s(1))

which for strong scaling (the same total work on every rank count) equals
T(1) / (N T(N)), and for weak scaling (fixed work per rank) is the throughput
per rank relative to one rank. A dashed line marks the targets given with
--strong-target / --weak-target (at --strong-target-ranks / all rank counts).

    plot_scaling.py --strong strong.csv --weak weak.csv --output scaling.png [--json eff.json]
"""
import argparse
import csv
import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    """{ranks: median steps/s} from a scaling CSV; exits with a message on bad input."""
    by_ranks = {}
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            missing = {"ranks", "steps_per_s"} - set(reader.fieldnames or [])
            if missing:
                sys.exit(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
            for line, row in enumerate(reader, start=2):
                try:
                    n, s = int(row["ranks"]), float(row["steps_per_s"])
                except ValueError:
                    sys.exit(f"{path}:{line}: ranks must be an integer and steps_per_s a number")
                if n < 1 or not s > 0:
                    sys.exit(f"{path}:{line}: expected ranks >= 1 and steps_per_s > 0")
                by_ranks.setdefault(n, []).append(s)
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}")
    if 1 not in by_ranks:
        sys.exit(f"{path}: no row for 1 rank: efficiencies are relative to one rank")
    return {n: statistics.median(v) for n, v in sorted(by_ranks.items())}


def efficiency(throughput):
    base = throughput[1]
    return {n: s / (n * base) for n, s in throughput.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--strong", help="CSV of the strong-scaling rows")
    p.add_argument("--weak", help="CSV of the weak-scaling rows")
    p.add_argument("--output", required=True, help="PNG to write")
    p.add_argument("--json", help="also write the efficiencies as JSON")
    p.add_argument("--title", default="PandaKinetics KMC scaling")
    p.add_argument("--strong-target", type=float, default=0.80)
    p.add_argument("--strong-target-ranks", type=int, default=8)
    p.add_argument("--weak-target", type=float, default=0.85)
    a = p.parse_args()
    series = [(k, path) for k, path in (("strong", a.strong), ("weak", a.weak)) if path]
    if not series:
        p.error("give --strong and/or --weak")
    fig, (ax_t, ax_e) = plt.subplots(1, 2, figsize=(10, 4))
    report = {}
    for kind, path in series:
        t = load(path)
        e = efficiency(t)
        report[kind] = {"source": path, "ranks": list(t), "steps_per_s": list(t.values()),
                        "efficiency": list(e.values())}
        ranks = list(t)
        ax_t.plot(ranks, list(t.values()), "o-", label=kind)
        ax_e.plot(ranks, list(e.values()), "o-", label=kind)
        for n, v in e.items():
            print(f"{kind:6s} {n:4d} ranks: {t[n]:.4g} steps/s, efficiency {v:.3f}")
    ax_t.set_xscale("log", base=2)
    ax_t.set_yscale("log")
    ax_t.set_xlabel("MPI ranks")
    ax_t.set_ylabel("KMC steps/s (all ranks)")
    ax_t.set_title("throughput")
    ax_t.legend()
    ax_e.set_xscale("log", base=2)
    ax_e.set_ylim(0, 1.15)
    ax_e.axhline(1.0, color="grey", lw=0.8)
    if "strong" in report:
        ax_e.plot([a.strong_target_ranks], [a.strong_target], "v", color="C0", alpha=0.6,
                  label=f"strong target {a.strong_target:.0%} at {a.strong_target_ranks}")
    if "weak" in report:
        ax_e.axhline(a.weak_target, color="C1", ls="--", lw=0.8, label=f"weak target {a.weak_target:.0%}")
    ax_e.set_xlabel("MPI ranks")
    ax_e.set_ylabel("parallel efficiency")
    ax_e.set_title("efficiency = S(N) / (N S(1))")
    ax_e.legend(fontsize=8)
    fig.suptitle(a.title)
    fig.tight_layout()
    fig.savefig(a.output, dpi=120)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
