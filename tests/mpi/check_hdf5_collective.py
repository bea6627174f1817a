#!/usr/bin/env python3
"""Reads the file test_hdf5_collective wrote with h5py and h5dump, two readers
independent of the project's own HDF5 code, and checks every value."""
import subprocess
import sys

import h5py
import numpy as np

path, ranks = sys.argv[1], int(sys.argv[2])
expected = np.array([1000.0 * r + i for r in range(ranks) for i in range(r + 1)])
with h5py.File(path, "r") as f:
    assert list(f["h5md"].attrs["version"]) == [1, 1], f["h5md"].attrs["version"]
    assert f["h5md/creator"].attrs["name"] in (b"PandaKinetics", "PandaKinetics")
    values = f["observables/values"][...]
    assert np.array_equal(values, expected), (values, expected)
    assert f["observables/values"].attrs["unit"] in (b"kcal/mol", "kcal/mol")
    assert list(f["observables/rank"][...]) == list(range(ranks))
    assert int(f["parameters/ranks"][0]) == ranks
dump = subprocess.run(["h5dump", "-y", "-d", "/observables/values", path],
                      capture_output=True, text=True, check=True)
body = dump.stdout.split("DATA {", 1)[1].split("}", 1)[0]
numbers = [float(x) for x in body.replace(",", " ").split()]
assert np.array_equal(np.array(numbers), expected), (numbers, expected)
print(f"h5py and h5dump read {len(expected)} values written by {ranks} rank(s): OK")
