"""Reads the file test_network_h5 wrote with h5py, an independent HDF5 reader,
and compares it with the example inputs parsed here with Python's csv module
and numpy: layout, types, units and values of /network, /more/rates, /msm.

usage: check_network_h5.py FILE.h5 INPUTS_DIR
"""
import csv
import os
import sys

import h5py
import numpy as np

MACRO = {"bound": 0, "unbound": 1, "other": 2}


def rows(path):
    with open(path, newline="") as f:
        lines = [l for l in f if l.strip() and not l.lstrip().startswith("#")]
    return [[c.strip() for c in r] for r in csv.reader(lines)]


def states(path):
    header, *body = rows(path)
    assert header[:3] == ["id", "free_energy_kcal_per_mol", "macrostate"], header
    names = [r[3] if len(r) > 3 else "" for r in body]
    return ([int(r[0]) for r in body], [float(r[1]) for r in body], [MACRO[r[2].lower()] for r in body], names)


def check_states(g, ids, energies, macro, names):
    s = g["states"]
    assert s["id"].dtype == np.int64 and s["id"][()].tolist() == ids, s["id"][()]
    e = s["free_energy_kcal_per_mol"]
    assert e.dtype == np.float64 and e.attrs["unit"].decode() == "kcal/mol"
    assert e[()].tolist() == energies, e[()]
    m = s["macrostate"]
    assert m.dtype == np.int32 and m[()].tolist() == macro, m[()]
    assert "0 bound" in m.attrs["legend"].decode()
    assert s["name"].dtype.kind == "S", s["name"].dtype
    assert [x.decode() for x in s["name"][()]] == names, s["name"][()]


def check_edges(g, expected):
    """expected: list of (from_index, to_index, kind, value) in file order."""
    e = g["edges"]
    for d in ("from", "to", "kind"):
        assert e[d].dtype == np.int32, (d, e[d].dtype)
    assert e["value"].dtype == np.float64
    assert "kcal/mol" in e["value"].attrs["unit"].decode() and "1/s" in e["value"].attrs["unit"].decode()
    got = list(zip(e["from"][()].tolist(), e["to"][()].tolist(), e["kind"][()].tolist(), e["value"][()].tolist()))
    assert got == expected, (got, expected)


def main():
    path, inputs = sys.argv[1], sys.argv[2]
    with h5py.File(path, "r") as f:
        # /network: six_state, with the two changes the C++ test makes.
        ids, energies, macro, names = states(os.path.join(inputs, "six_state/states.csv"))
        names[2] = "a longer name than the others, with spaces"
        index = {i: k for k, i in enumerate(ids)}
        expected = []
        for a, b, ts in rows(os.path.join(inputs, "six_state/edges.csv"))[1:]:
            i, j = index[int(a)], index[int(b)]
            expected += [(i, j, 0, float(ts)), (j, i, 0, float(ts))]
        expected[2] = expected[2][:3] + (0.1 + 0.2,)
        expected[3] = expected[3][:3] + (0.1 + 0.2,)
        g = f["network"]
        assert g.attrs["lag_time_s"] == 0.0
        check_states(g, ids, energies, macro, names)
        check_edges(g, expected)

        ids, energies, macro, names = states(os.path.join(inputs, "explicit_rates/states.csv"))
        index = {i: k for k, i in enumerate(ids)}
        expected = [(index[int(a)], index[int(b)], 1, float(r))
                    for a, b, r in rows(os.path.join(inputs, "explicit_rates/edges.csv"))[1:]]
        check_states(f["more/rates"], ids, energies, macro, names)
        check_edges(f["more/rates"], expected)

        ids, energies, macro, names = states(os.path.join(inputs, "msm_four_state/states.csv"))
        p = np.load(os.path.join(inputs, "msm_four_state/transition.npy"))
        expected = [(i, j, 2, p[i, j]) for i in range(p.shape[0]) for j in range(p.shape[1]) if p[i, j] != 0]
        assert f["msm"].attrs["lag_time_s"] == 1e-9
        check_states(f["msm"], ids, energies, macro, names)
        check_edges(f["msm"], expected)
    print("h5py agrees with the inputs:", path)


if __name__ == "__main__":
    main()
