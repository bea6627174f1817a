#!/usr/bin/env python3
"""Writes the superbasin benchmark network (issue 17): 500 states, pose
flicker at 1e11-4e12 1/s inside the pocket, residence time of hours.

  python3 benchmarks/superbasin_network.py OUTDIR [--seed N]

Writes OUTDIR/states.csv and OUTDIR/edges.csv (Eyring edges: one
transition-state free energy per pair, so detailed balance holds):
  - pocket: 240 bound states, G in [-16, -14] kcal/mol, joined by a random
    spanning tree plus extra edges with barriers 0.2-3 kcal/mol above the
    higher end (4e10-4e12 1/s at 300 K);
  - exit channel: 200 other states in 10 clusters of 20 along the route out
    (G in [-3, -1], fast inside, 4-5 kcal/mol between clusters);
  - bulk: 60 unbound states (G in [-0.3, 0.3], exchanging at ~1e10 1/s);
  - the rate-limiting step: pocket -> first channel cluster through
    transition states at +6 kcal/mol (22 kcal/mol above the pocket floor).
`pandakinetics solve` gives the exact residence time (benchmarks/superbasin_bench.sh).
"""
import argparse
import os
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=17)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    states, edges = [], {}

    def add_state(g, macro, name):
        states.append((len(states) + 1, g, macro, name))
        return len(states)

    def add_edge(i, j, ts):
        key = (min(i, j), max(i, j))
        if key not in edges and i != j:
            edges[key] = ts

    def g_of(i):
        return states[i - 1][1]

    def cluster(ids, lo, hi, extra):
        for k in range(1, len(ids)):
            i, j = ids[rng.randrange(k)], ids[k]
            add_edge(i, j, max(g_of(i), g_of(j)) + rng.uniform(lo, hi))
        for _ in range(extra):
            i, j = rng.sample(ids, 2)
            add_edge(i, j, max(g_of(i), g_of(j)) + rng.uniform(lo, hi))

    pocket = [add_state(rng.uniform(-16, -14), "bound", f"pocket_{k}") for k in range(240)]
    cluster(pocket, 0.2, 3.0, 360)
    channel = []
    for c in range(10):
        ids = [add_state(rng.uniform(-3, -1), "other", f"channel_{c}_{k}") for k in range(20)]
        cluster(ids, 0.3, 2.0, 20)
        channel.append(ids)
    for c in range(9):  # consecutive clusters along the route
        for _ in range(3):
            i, j = rng.choice(channel[c]), rng.choice(channel[c + 1])
            add_edge(i, j, max(g_of(i), g_of(j)) + rng.uniform(4.0, 5.0))
    bulk = [add_state(rng.uniform(-0.3, 0.3), "unbound", f"bulk_{k}") for k in range(60)]
    cluster(bulk, 2.0, 2.5, 30)
    for _ in range(6):  # pocket -> channel entrance: the rate-limiting barrier
        add_edge(rng.choice(pocket), rng.choice(channel[0]), 6.0 + rng.uniform(0, 0.3))
    for _ in range(6):  # channel mouth -> bulk
        i, j = rng.choice(channel[-1]), rng.choice(bulk)
        add_edge(i, j, max(g_of(i), g_of(j)) + rng.uniform(3.0, 4.0))
    assert len(states) == 500
    with open(os.path.join(a.outdir, "states.csv"), "w") as f:
        f.write(f"# superbasin benchmark network, benchmarks/superbasin_network.py --seed {a.seed}\n")
        f.write("id,free_energy_kcal_per_mol,macrostate,name\n")
        for i, g, m, n in states:
            f.write(f"{i},{g:.6f},{m},{n}\n")
    with open(os.path.join(a.outdir, "edges.csv"), "w") as f:
        f.write("from,to,ts_free_energy_kcal_per_mol\n")
        for (i, j), ts in sorted(edges.items()):
            f.write(f"{i},{j},{ts:.6f}\n")
    print(f"wrote {a.outdir}/states.csv ({len(states)} states) and edges.csv ({len(edges)} Eyring pairs)")


if __name__ == "__main__":
    main()
