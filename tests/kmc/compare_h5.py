#!/usr/bin/env python3
"""compare_h5.py A.h5 B.h5: every dataset of the result groups must be
bitwise identical (NaN equal to NaN). Exit 1 and name the first difference."""
import sys

import h5py
import numpy as np

GROUPS = ["network", "results", "estimates", "replicas", "trajectories"]


def datasets(f):
    out = {}
    for g in GROUPS:
        if g in f:
            f[g].visititems(lambda name, obj: out.__setitem__(f"{g}/{name}", obj[...])
                            if isinstance(obj, h5py.Dataset) else None)
    return out


with h5py.File(sys.argv[1], "r") as fa, h5py.File(sys.argv[2], "r") as fb:
    a, b = datasets(fa), datasets(fb)
if sorted(a) != sorted(b):
    print("different dataset lists:", sorted(set(a) ^ set(b)))
    sys.exit(1)
for name in sorted(a):
    x, y = a[name], b[name]
    same = x.shape == y.shape and x.dtype == y.dtype and (
        np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y))
    if not same:
        print(f"{name} differs: {x[:5] if x.ndim else x} vs {y[:5] if y.ndim else y}")
        sys.exit(1)
print(f"{len(a)} datasets bitwise identical")
