#!/usr/bin/env python3
"""Where analysis/report.py spends its time on a finished `pandakinetics run`
folder: the imports (report.py and the plot modules: numpy, h5py,
matplotlib), then each figure drawn alone. Seconds of wall time, printed.

    report_timing.py RUN_DIR
"""
import os
import sys
import time

t0 = time.perf_counter()
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis"))
import report  # noqa: E402
import plot_fpt  # noqa: E402
import plot_network  # noqa: E402
import plot_occupancy  # noqa: E402
import plot_poses  # noqa: E402
import plot_survival  # noqa: E402

d = sys.argv[1]
print(f"imports: {time.perf_counter() - t0:.3f} s")
out = os.path.join(d, "timing_probe")
os.makedirs(out, exist_ok=True)
for name, fn in [("survival", lambda p: plot_survival.draw(d + "/kmc.h5", d + "/solve.h5", p)),
                 ("occupancy", lambda p: plot_occupancy.draw(d + "/kmc.h5", d + "/solve.h5", p)),
                 ("fpt", lambda p: plot_fpt.draw(d + "/kmc.h5", d + "/solve.h5", p)),
                 ("network", lambda p: plot_network.draw(d + "/network.h5", p)),
                 ("poses", lambda p: plot_poses.draw(d + "/poses.h5", p))]:
    a = time.perf_counter()
    fn(os.path.join(out, name + ".png"))
    print(f"{name}.png: {time.perf_counter() - a:.3f} s")
print(f"total: {time.perf_counter() - t0:.3f} s")
