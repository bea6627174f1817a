"""Independent checks of a built binding landscape (h5py + numpy + scipy only).

Usage: check_landscape.py NET.h5 SOLVE.h5 states.csv edges.csv
"""
import sys

import h5py
import numpy as np
import scipy.constants as sc
import scipy.sparse as sp
import scipy.sparse.linalg as spl

net_path, solve_path, states_csv, edges_csv = sys.argv[1:5]
fails = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        fails.append(what)


f = h5py.File(net_path, "r")
b = f["builder"]
st = b["states"]
layer = st["layer"][:]
n = len(layer)
T = float(b.attrs["temperature_K"])
kappa = float(b.attrs["kappa"])
check(int(b.attrs["landscape"]) == 1, "the file says it is a landscape")
counts = [int((layer == l).sum()) for l in range(3)]
print(f"layers: pocket {counts[0]}, channel {counts[1]}, surface {counts[2]} states")
check(counts[1] + counts[2] > 0 and counts[2] > 0, "channel and surface states were generated")
G = f["network/states/free_energy_kcal_per_mol"][:]
macro = f["network/states/macrostate"][:]
check(len(G) == n + 1, "one network state per built state plus unbound")
# Macrostates: pocket states bound (0), the others other (2), the last unbound (1).
check(all((macro[i] == 0) == (layer[i] == 0) for i in range(n)) and macro[n] == 1, "pocket states are the bound macrostate")
# Bulk connections only from surface states, which are the ones with few contacts.
e = b["edges"]
a_, b_, bulk = e["a"][:], e["b"][:], e["bulk"][:]
check(all(layer[a_[k]] == 2 for k in range(len(a_)) if bulk[k]), "only surface states exchange with the bulk")
check(all(bulk[k] == (b_[k] == n) for k in range(len(a_))), "bulk edges are the edges to unbound")
# Berg-Purcell: n patches of radius a on a sphere of radius R take k_D n a / (n a + pi R) together.
assoc = e["association_per_M_per_s"][:][bulk == 1]
R = float(b.attrs["encounter_radius_angstrom"])
kD = float(b.attrs["k_diffusion_per_M_per_s"])
D = 6e-10
kD_indep = 4 * np.pi * D * R * 1e-10 * sc.N_A * 1e3
check(abs(kD / kD_indep - 1) < 1e-9, f"k_D = 4 pi D R N_A = {kD:.4e} 1/(M s) with R = {R:.2f} Å")
pa = 1.0
npatch = len(assoc)
# The ligand's side: its contact patch faces the receptor in a / (a + pi r_L) of the encounters, r_L the
# equivalent-sphere radius sqrt(5/3 <|x - c|^2>) of the heavy atoms of the file's first pose.
with h5py.File("poses.h5", "r") as pf:
    lg = next(iter(pf["ligands"].values()))
    elem = [x.decode() if isinstance(x, bytes) else str(x) for x in lg["element"][:]]
    xyz = lg["coordinates_angstrom"][0][[k for k, el in enumerate(elem) if el != "H"]]
r_lig = np.sqrt(5 / 3 * np.mean(np.sum((xyz - xyz.mean(axis=0)) ** 2, axis=1)))
f_lig = pa / (pa + np.pi * r_lig)
check(abs(float(b.attrs["ligand_orientation_factor"]) / f_lig - 1) < 1e-9,
      f"ligand orientation factor a / (a + pi r_L) = {f_lig:.4f} with r_L = {r_lig:.2f} Å")
total = f_lig * kD * npatch * pa / (npatch * pa + np.pi * R)
check(abs(assoc.sum() / total - 1) < 1e-9, f"association rates sum to the Berg-Purcell total {total:.4e} 1/(M s)")
check(assoc.max() < kD, "no state associates at the diffusion limit k_D")
# Rates from the network group (Eyring, both directions share a transition state).
src, dst = f["network/edges/from"][:], f["network/edges/to"][:]
ts = f["network/edges/value"][:]
rt = sc.R / 4184 * T
pref = kappa * sc.k * T / sc.h
k = pref * np.exp(-(ts - G[src]) / rt)
rate = {(int(i), int(j)): kk for i, j, kk in zip(src, dst, k)}
worst = 0.0
for (i, j), kij in rate.items():
    kji = rate[(j, i)]
    worst = max(worst, abs(np.log(kij / kji) + (G[j] - G[i]) / rt))
check(worst < 1e-9, f"detailed balance k_ij/k_ji = exp(-(G_j-G_i)/RT) (worst log error {worst:.1e})")
# Connectivity: every state reaches unbound.
adj = {i: set() for i in range(n + 1)}
for i, j in rate:
    adj[i].add(j)
seen, todo = {n}, [n]
while todo:
    s = todo.pop()
    for t in adj[s]:
        if t not in seen:
            seen.add(t)
            todo.append(t)
check(len(seen) == n + 1, "every state reaches the unbound state")
# Exact koff from the bound (Boltzmann over pocket states) with scipy's sparse solver, against solve.
N = n + 1
rows, cols, vals = [], [], []
for (i, j), kij in rate.items():
    rows += [i, i]
    cols += [j, i]
    vals += [kij, -kij]
Q = sp.csr_matrix((vals, (rows, cols)), shape=(N, N))
keep = np.arange(n)
# Rates span ~40 decades here: solve with each row divided by its total exit rate (I - P form). Unscaled,
# spsolve was 1e-3 off on this network; scaled, it agrees with a 50-digit mpmath LU to ~1e-6.
A = -Q[keep][:, keep]
out_rate = np.asarray(-Q.diagonal()[:n])
m = spl.spsolve((sp.diags(1 / out_rate) @ A).tocsc(), 1 / out_rate)
w = np.where(layer == 0, np.exp(-(G[:n] - G[:n].min()) / rt), 0.0)
w /= w.sum()
koff = 1.0 / (w @ m)
s = h5py.File(solve_path, "r")
koff_solve = float(s["exact/koff_per_s"][()])
check(abs(koff / koff_solve - 1) < 1e-5, f"koff {koff:.4e} 1/s (scipy) = solve's {koff_solve:.4e} 1/s")
print(f"kon (solve) = {float(s['exact/kon_per_M_per_s'][()]):.4e} 1/(M s)")
sys.exit(1 if fails else 0)
