#!/usr/bin/env python3
"""Transition-path theory of `pandakinetics solve` against an independent
numpy/scipy computation.

Builds the generator from states.csv / edges.csv itself (Eyring rates
k = kappa k_B T/h exp(-(G_ts - G_i)/RT) with scipy.constants, association
edges scaled by [L] / 1 M), solves the stationary distribution, forward and
backward committors with numpy's LU, forms the reactive and net flux, and
compares with /exact/tpt of the solve output (1e-8 relative). On the
two-channel network the pathway decomposition must list the two channels,
the wider first, with numpy's channel fluxes; the TPT rate must equal the
exact solver's steady-state koff and 1 / (MFPT to unbound from the
distribution of entry points into the bound states).

usage: check_tpt.py PANDAKINETICS DATA_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import scipy.constants as sc

RTOL = 1e-8
T_K, KAPPA, CONC_M = 310.0, 0.5, 1e-3
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def close(got, want, what, rtol=RTOL):
    got, want = np.asarray(got, float), np.asarray(want, float)
    err = np.abs(got - want)
    bad = err > rtol * np.abs(want)
    worst = np.max(err / np.maximum(np.abs(want), 1e-300)) if want.size else 0.0
    check(got.shape == want.shape and not bad.any(), f"{what}: worst relative difference {worst:.2e} (limit {rtol:g})")


def read_csv(path):
    rows = []
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s and not s.startswith("#"):
                rows.append([x.strip() for x in s.split(",")])
    return rows[0], rows[1:]


def generator(data_dir):
    _, srows = read_csv(os.path.join(data_dir, "states.csv"))
    ids = [int(r[0]) for r in srows]
    g = np.array([float(r[1]) for r in srows])
    macro = np.array([r[2].lower() for r in srows])
    names = [r[3] for r in srows]
    index = {i: k for k, i in enumerate(ids)}
    header, erows = read_csv(os.path.join(data_dir, "edges.csv"))
    assert header[2] == "ts_free_energy_kcal_per_mol", header
    rt = sc.R * T_K / sc.calorie / 1000.0  # kcal/mol
    prefactor = KAPPA * sc.k * T_K / sc.h
    n = len(ids)
    k = np.zeros((n, n))
    for a, b, ts in erows:
        i, j, ts = index[int(a)], index[int(b)], float(ts)
        k[i, j] = prefactor * np.exp(-(ts - g[i]) / rt)
        k[j, i] = prefactor * np.exp(-(ts - g[j]) / rt)
    association = (macro[:, None] == "unbound") & (macro[None, :] != "unbound")
    k[association] *= CONC_M / 1.0
    return k, macro, names


def solve_committor(q, source, sink):
    """Probability to reach `sink` before `source` under generator q."""
    n = q.shape[0]
    inner = ~(source | sink)
    out = np.where(sink, 1.0, 0.0)
    out[inner] = np.linalg.solve(-q[np.ix_(inner, inner)], q[np.ix_(inner, sink)].sum(axis=1))
    return out


def numpy_tpt(k, bound, unbound):
    n = k.shape[0]
    q = k - np.diag(k.sum(axis=1))
    a = q.T.copy()
    a[-1, :] = 1.0  # pi Q = 0 with sum(pi) = 1 replacing the last balance equation
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    pi = np.linalg.solve(a, rhs)
    q_plus = solve_committor(q, bound, unbound)
    reversed_q = (pi[None, :] * q.T) / pi[:, None]  # k~_ij = pi_j k_ji / pi_i
    q_minus = solve_committor(reversed_q, unbound, bound)
    f = pi[:, None] * q_minus[:, None] * k * q_plus[None, :]
    np.fill_diagonal(f, 0.0)
    net = np.maximum(f - f.T, 0.0)
    total = net[bound, :].sum()
    rate = total / (pi * q_minus).sum()
    # 1 / MFPT to unbound from where the chain enters the bound states coming from unbound.
    entry = ((pi * (1.0 - q_minus))[~bound, None] * k[np.ix_(~bound, bound)]).sum(axis=0)
    keep = ~unbound
    mfpt = np.linalg.solve(-q[np.ix_(keep, keep)], np.ones(keep.sum()))
    mfpt_bound = mfpt[bound[keep]]
    return dict(pi=pi, q_plus=q_plus, q_minus=q_minus, net=net, total=total, rate=rate,
                rate_from_entry=entry.sum() / (entry @ mfpt_bound), entry_flux=entry.sum())


def main():
    pk, data_dir = sys.argv[1], sys.argv[2]
    k, macro, names = generator(data_dir)
    bound, unbound = macro == "bound", macro == "unbound"
    ref = numpy_tpt(k, bound, unbound)
    work = tempfile.mkdtemp(prefix="check_tpt_")
    out, js = os.path.join(work, "solve.h5"), os.path.join(work, "solve.json")
    cmd = [pk, "solve", "--states", os.path.join(data_dir, "states.csv"), "--edges", os.path.join(data_dir, "edges.csv"),
           "--temperature", str(T_K), "--kappa", str(KAPPA), "--concentration", str(CONC_M), "--time-points", "4",
           "--output", out, "--summary", js]
    run = subprocess.run(cmd, capture_output=True, text=True)
    print(run.stdout)
    if run.returncode != 0:
        print(run.stderr)
        sys.exit(f"FAIL: {' '.join(cmd)} exited with {run.returncode}")

    with h5py.File(out, "r") as h5:
        t = h5["/exact/tpt"]
        close(h5["/exact/stationary"][()], ref["pi"], "stationary distribution")
        close(t["forward_committor"][()], ref["q_plus"], "forward committor q+")
        close(t["backward_committor"][()], ref["q_minus"], "backward committor q-")
        close(t["backward_committor"][()], 1.0 - ref["q_plus"], "q- = 1 - q+ (Eyring networks are reversible)")
        net = np.zeros_like(ref["net"])
        net[t["reactive_flux/from"][()], t["reactive_flux/to"][()]] = t["reactive_flux/net_flux_per_s"][()]
        edges = ref["net"] > 0
        check(np.array_equal(net > 0, edges), f"net-flux edges: {int(edges.sum())} in numpy, {int((net > 0).sum())} in solve")
        close(net[edges], ref["net"][edges], "net flux per edge (1/s)")
        close(t["total_flux_per_s"][0], ref["total"], "total reactive flux F (1/s)")
        close(t["rate_per_s"][0], ref["rate"], "TPT rate k_AB (1/s)")
        close(t["rate_per_s"][0], h5["/exact/koff_renewal_per_s"][0], "k_AB = the exact solver's steady-state koff")
        close(t["rate_per_s"][0], ref["rate_from_entry"], "k_AB = 1 / MFPT to unbound from the bound-entry distribution")
        close(ref["entry_flux"], ref["total"], "numpy: flux unbound -> bound = flux bound -> unbound", 1e-10)
        check(t["rate_per_s"].attrs["unit"] in ("1/s", b"1/s"), "rate_per_s has unit 1/s")

        # The two channels: where each ends in the unbound states, numpy's net flux.
        idx = {name: i for i, name in enumerate(names)}
        channels = [[idx[s] for s in ("pose_a", "groove_in", "groove_out", "bulk_near")],
                    [idx[s] for s in ("pose_b", "tunnel_in", "tunnel_mid", "tunnel_out", "surface", "bulk_near")]]
        channel_flux = [ref["net"][c[-2], c[-1]] for c in channels]
        order = np.argsort(channel_flux)[::-1]
        states, offsets = t["pathways/states"][()], t["pathways/offsets"][()]
        paths = [list(states[offsets[p]:offsets[p + 1]]) for p in range(len(offsets) - 1)]
        flux = t["pathways/flux_per_s"][()]
        check(len(paths) == 2, f"two pathways listed (got {len(paths)}), shares {np.round(100 * flux / ref['total'], 2)} %")
        for rank, c in enumerate(order[:len(paths)]):
            check(paths[rank] == channels[c], f"pathway {rank + 1} is channel {c + 1}: {[names[s] for s in paths[rank]]}")
            close(flux[rank], channel_flux[c], f"pathway {rank + 1} flux (1/s)")
        close(flux.sum(), ref["total"], "the two pathways carry all of F")
        close(t["pathways/flux_fraction"][()], flux / ref["total"], "pathway flux fractions")

    with open(js) as f:
        summary = json.load(f)["tpt"]
    close(summary["total_flux_per_s"], ref["total"], "JSON total_flux_per_s")
    close(summary["rate_per_s"], ref["rate"], "JSON rate_per_s")
    check([p["names"] for p in summary["pathways"]] == [[names[s] for s in p] for p in paths], "JSON pathway names")
    check("pathway(s) carrying" in run.stdout and "1/s" in run.stdout, "stdout has the TPT summary with units")
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("all TPT checks passed")


if __name__ == "__main__":
    main()
