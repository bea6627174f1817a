#!/usr/bin/env python3
"""analysis/plot_landscape.py on a real solve output: with the state index
on the x axis (no /builder group) and with a /builder/states group (pocket
distances and layers) added to a copy; each run must write a PNG.

usage: check_plot_landscape.py PANDAKINETICS DATA_DIR ANALYSIS_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

pk, data, analysis = sys.argv[1:4]
work = tempfile.mkdtemp(prefix="check_landscape_")
solve = os.path.join(work, "solve.h5")
subprocess.run([pk, "solve", "--states", os.path.join(data, "states.csv"), "--edges", os.path.join(data, "edges.csv"),
                "--time-points", "4", "--output", solve], check=True, stdout=subprocess.DEVNULL)
script = os.path.join(analysis, "plot_landscape.py")
env = dict(os.environ, MPLBACKEND="Agg")


def png_written(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(path) > 10000


failures = 0
plain = os.path.join(work, "plain.png")
subprocess.run([sys.executable, script, solve, "--output", plain], check=True, env=env)
landscape = os.path.join(work, "landscape.h5")
shutil.copy(solve, landscape)
with h5py.File(landscape, "a") as f:
    n = len(f["network/states/id"])
    names = [x.decode() for x in f["network/states/name"][:]]
    layer = np.array([0 if nm.startswith("pose") else 2 if nm == "surface" else 3 if nm.startswith("bulk") else 1
                      for nm in names], dtype=np.int32)
    # As the landscape builder writes it: no row for the last (bulk) state.
    f["builder/states/pocket_distance_angstrom"] = np.linspace(0.0, 20.0, n - 1)
    f["builder/states/layer"] = layer[:-1]
built = os.path.join(work, "builder.png")
subprocess.run([sys.executable, script, landscape, "--tpt", solve, "--output", built], check=True, env=env)
for p in (plain, built):
    ok = png_written(p)
    print(("ok: " if ok else "FAIL: ") + f"{os.path.basename(p)} is a PNG")
    failures += not ok
shutil.rmtree(work)
sys.exit(1 if failures else 0)
