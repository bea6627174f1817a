#!/usr/bin/env python3
"""The sparse exact solver against scipy: solve_sparse_tool writes a random
network (its rate matrix, start distributions) and what the solver computed
from it; scipy.sparse.linalg.spsolve (SuperLU) recomputes the stationary
distribution, the MFPTs to the bound and unbound states, the committor and
koff/kon from the rate matrix alone. (A plain row-scaled spsolve with one
refinement in double disagrees with the dense solver by 2e-7 on the
landscape's MFPTs: its unit diagonal rounds the exit rates away; the
reference below refines against the subtraction-free residual.) Two networks above the dense limit: a
3000-state landscape (detailed balance) and a 1000-state random network
without it (the stationary distribution then comes from the LU too).

Usage: check_sparse_scipy.py SOLVE_SPARSE_TOOL
"""
import subprocess
import sys
import tempfile

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

TOLERANCE = 1e-8


def load(d, name):
    return np.loadtxt(f"{d}/{name}.txt", ndmin=1)


def solve_scaled(w, keep, b):
    """(diag(s) - W)_KK x = b on the states `keep` (s: every state's exit
    rate), rows divided by s (rates over many decades), refined against the
    residual written as sum_j W_ij (x_i - x_j) + exit_i x_i in long double,
    which keeps the exit rates that a unit diagonal rounds away."""
    s = np.asarray(w.sum(axis=1)).ravel()[keep]
    inner = sp.csr_matrix(w[keep][:, keep])
    outside = np.setdiff1d(np.arange(w.shape[0]), keep)
    out = np.asarray(w[keep][:, outside].sum(axis=1)).ravel()  # exit rates, summed without cancellation
    a = sp.diags(1.0 / s) @ (sp.diags(s) - inner)
    lu = spla.splu(sp.csc_matrix(a))
    rows = np.repeat(np.arange(len(keep)), np.diff(inner.indptr))
    wl = inner.data.astype(np.longdouble)
    x = lu.solve(b / s)
    for _ in range(4):
        xl = x.astype(np.longdouble)
        lhs = np.zeros(len(keep), dtype=np.longdouble)
        np.add.at(lhs, rows, wl * (xl[rows] - xl[inner.indices]))
        lhs += out.astype(np.longdouble) * xl
        r = (b.astype(np.longdouble) - lhs) / s
        x = x + lu.solve(r.astype(np.float64))
    return x


def check(name, got, want, floor=0.0):
    got, want = np.asarray(got), np.asarray(want)
    err = np.abs(got - want)
    bad = err > TOLERANCE * np.abs(want) + floor
    worst = np.max(err / (np.abs(want) + floor + 1e-300))
    print(f"{name}: {len(want)} values, worst relative difference {worst:.2e}")
    if bad.any():
        i = int(np.argmax(bad))
        raise SystemExit(f"FAIL {name}: entry {i}: solver {got[i]!r}, scipy {want[i]!r}")


def verify(tool, family, n, seed):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([tool, "dump", family, str(n), str(seed), d], check=True)
        raw = np.loadtxt(f"{d}/rates.txt", skiprows=1, ndmin=2)
        with open(f"{d}/rates.txt") as f:
            size = int(f.readline())
        rows, cols, vals = raw[:, 0].astype(int), raw[:, 1].astype(int), raw[:, 2]
        off = rows != cols
        w = sp.csr_matrix((vals[off], (rows[off], cols[off])), shape=(size, size))
        exit_rate = np.asarray(w.sum(axis=1)).ravel()
        q = w - sp.diags(exit_rate)  # the generator
        macro = load(d, "macrostate")
        scalars = load(d, "scalars")
        koff, kon, conc = scalars[0], scalars[1], scalars[5]
        bound, unbound = macro == scalars[6], macro == scalars[7]
        print(f"{family}: {size} states, {w.nnz} edges, {bound.sum()} bound, {unbound.sum()} unbound")

        # Stationary: pi Q = 0 with the last balance equation replaced by sum(pi) = 1.
        a = sp.lil_matrix(q.T)
        a[size - 1, :] = np.ones(size)
        rhs = np.zeros(size)
        rhs[size - 1] = 1.0
        pi = spla.spsolve(sp.csc_matrix(a), rhs)
        check("stationary", load(d, "stationary"), pi, 1e-12 * pi.max())

        moments = {}
        for target, label in ((unbound, "mfpt_to_unbound"), (bound, "mfpt_to_bound")):
            keep = np.flatnonzero(~target)
            m = np.zeros(size)
            m[keep] = solve_scaled(w, keep, np.ones(len(keep)))
            check(label, load(d, label), m)
            moments[label] = m

        keep = np.flatnonzero(~bound & ~unbound)
        into_bound = np.asarray(w[keep][:, np.flatnonzero(bound)].sum(axis=1)).ravel()
        c = bound.astype(float)
        c[keep] = solve_scaled(w, keep, into_bound)
        check("committor_to_bound", load(d, "committor_to_bound"), c, 1e-14)

        check("koff", [koff], [1.0 / (load(d, "start_bound") @ moments["mfpt_to_unbound"])])
        check("kon", [kon], [1.0 / (load(d, "start_unbound") @ moments["mfpt_to_bound"] * conc)])


def main():
    tool = sys.argv[1]
    verify(tool, "landscape", 3000, 7)
    verify(tool, "random", 1000, 9)
    print("PASS")


if __name__ == "__main__":
    main()
