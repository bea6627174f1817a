#!/usr/bin/env python3
"""Write a random reversible network as states.csv + edges.csv (Eyring edges).

Free energies uniform in [0, 3] kcal/mol, transition states 1.1..12.5 kcal/mol
above the higher endpoint, so that at 300 K the rates span ~1e3..1e12 1/s; a
random spanning tree keeps it connected. The first 5 states are bound, the
last 5 unbound. Usage: make_random_network.py N EXTRA_EDGES SEED OUTDIR
"""
import os
import random
import sys

n, extra, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)
g = [rng.uniform(0.0, 3.0) for _ in range(n)]
pairs = {(rng.randrange(i), i) for i in range(1, n)}
while len(pairs) < n - 1 + extra:
    a, b = rng.randrange(n), rng.randrange(n)
    if a != b:
        pairs.add((min(a, b), max(a, b)))
with open(os.path.join(out, "states.csv"), "w") as f:
    f.write("id,free_energy_kcal_per_mol,macrostate\n")
    for i in range(n):
        m = "bound" if i < 5 else ("unbound" if i >= n - 5 else "other")
        f.write(f"{i},{g[i]:.6f},{m}\n")
with open(os.path.join(out, "edges.csv"), "w") as f:
    f.write("from,to,ts_free_energy_kcal_per_mol\n")
    for a, b in sorted(pairs):
        f.write(f"{a},{b},{max(g[a], g[b]) + rng.uniform(1.1, 12.5):.6f}\n")
print(f"wrote {n} states and {len(pairs)} Eyring edges to {out}")
