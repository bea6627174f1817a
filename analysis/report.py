#!/usr/bin/env python3
"""One HTML report of a run: the estimates table read from the JSON
summary of `pandakinetics analyze` (every number in the table is that
file's number, printed to 6 significant digits and kept in full in the
cell's data-value attribute), and the plots of this folder's scripts:
bound-state survival with the exact curve, occupancy versus time,
first-passage-time histograms, the network with its free energies, the
landscape with its unbinding pathways (when --exact holds /exact/tpt) and,
when a poses file is given, the docked poses' scores.

    report.py --summary analysis.json [--kmc run.h5] [--exact solve.h5]
              [--network network.h5] [--poses poses.h5] --output-dir report/

--kmc defaults to the first run's file in the summary; --network to the
KMC file (its /network group). Writes <output-dir>/report.html and the PNGs
next to it. The figures are drawn in parallel, each in a forked process
(--jobs, default: the CPUs this process may run on, at most one per figure).

`pandakinetics run` starts this script with --serve FD before it docks, so
that Python and its modules load while the pipeline computes: the script
then reads one report's arguments per line (a JSON list) from the socket FD,
writes "ok SECONDS" or "failed SECONDS" back for each, and exits at the end
of the input.
"""
import argparse
import html
import json
import math
import os
import sys
import time
import traceback

import plot_fpt
import plot_landscape
import plot_network
import plot_occupancy
import plot_poses
import plot_survival

QUANTITIES = [
    ("koff_per_s", "k<sub>off</sub>", "1/s"),
    ("kon_per_M_per_s", "k<sub>on</sub>", "1/(M s)"),
    ("residence_time_s", "residence time 1/k<sub>off</sub>", "s"),
    ("kd_M", "K<sub>d</sub> = k<sub>off</sub>/k<sub>on</sub>", "M"),
    ("dG_kcal_per_mol", "&Delta;G = RT ln(K<sub>d</sub>/1 M)", "kcal/mol"),
    ("mfpt_bound_to_unbound_s", "MFPT bound &rarr; unbound", "s"),
    ("mfpt_unbound_to_bound_s", "MFPT unbound &rarr; bound", "s"),
]


def cell(v, fmt="{:.6g}"):
    """A table cell holding a number from the JSON (null: not defined)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return '<td data-value="null">&ndash;</td>'
    if isinstance(v, bool):
        return f'<td data-value="{str(v).lower()}">{"yes" if v else "no"}</td>'
    return f'<td data-value="{v!r}">{fmt.format(v)}</td>'


def estimates_table(run):
    rows = []
    for c in run["conditions"]:
        rows.append(f'<h3>T = {c["temperature_K"]:.2f} K, [L] = {c["concentration_M"]:.4g} M: {c["replicas"]} replicas, '
                    f'{c["unbinding_events"]:.0f} unbinding and {c["binding_events"]:.0f} binding events, '
                    f'{c["walkers_still_bound"]:.0f} walkers still bound at the end</h3>')
        rows.append('<table class="estimates"><tr><th>quantity</th><th>unit</th><th>KMC</th><th>95% CI low</th>'
                    '<th>95% CI high</th><th>CI method</th><th>exact</th><th>(KMC &minus; exact)/exact</th>'
                    '<th>exact in CI</th></tr>')
        for key, label, unit in QUANTITIES:
            e = c[key]
            rows.append(f'<tr data-key="{key}"><td>{label}</td><td>{unit}</td>{cell(e["value"])}{cell(e["ci95_low"])}'
                        f'{cell(e["ci95_high"])}<td>{html.escape(e["ci_method"])}</td>{cell(e.get("exact"))}'
                        f'{cell(e.get("relative_difference"), "{:+.3%}")}{cell(e.get("exact_within_ci95"))}</tr>')
        rows.append("</table>")
    return "\n".join(rows)


def extra_tables(summary):
    out = []
    if summary.get("selectivity"):
        out.append('<h2>Kinetic selectivity</h2><table class="selectivity"><tr><th>ligand on</th><th>reference</th>'
                   '<th>T (K)</th><th>&tau;/&tau;<sub>ref</sub></th><th>95% CI low</th><th>95% CI high</th>'
                   '<th>K<sub>d</sub>/K<sub>d,ref</sub></th><th>95% CI low</th><th>95% CI high</th></tr>')
        for s in summary["selectivity"]:
            r, k = s["residence_time_ratio"], s["kd_ratio"]
            out.append(f'<tr><td>{html.escape(s["label"])}</td><td>{html.escape(s["reference"])}</td>'
                       f'{cell(s["temperature_K"])}{cell(r["value"])}{cell(r["ci95_low"])}{cell(r["ci95_high"])}'
                       f'{cell(k["value"])}{cell(k["ci95_low"])}{cell(k["ci95_high"])}</tr>')
        out.append("</table>")
    if summary.get("eyring"):
        out.append('<h2>Eyring fit of k<sub>off</sub>(T)</h2><table class="eyring"><tr><th>run</th><th>temperatures (K)</th>'
                   '<th>&Delta;H<sup>&Dagger;</sup> (kcal/mol)</th><th>95% CI</th><th>&Delta;S<sup>&Dagger;</sup> '
                   '(cal/(mol K))</th><th>95% CI</th></tr>')
        for e in summary["eyring"]:
            h, s = e["dH_activation_kcal_per_mol"], e["dS_activation_cal_per_mol_K"]
            temps = ", ".join(f"{t:g}" for t in e["temperature_K"])
            out.append(f'<tr><td>{html.escape(e["label"])}</td><td>{temps}</td>{cell(h["value"])}'
                       f'<td>[{h["ci95_low"]:.4g}, {h["ci95_high"]:.4g}]</td>{cell(s["value"])}'
                       f'<td>[{s["ci95_low"]:.4g}, {s["ci95_high"]:.4g}]</td></tr>')
        out.append("</table>")
    return "\n".join(out)


def default_jobs():
    """The CPUs this process may run on (its affinity mask, as Slurm sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def draw_all(tasks, jobs):
    """Draws each (path, fn) task: fn(path). With jobs > 1, up to `jobs` at a
    time in forked children (the modules are already loaded, so a child
    costs a few milliseconds); the first failure, in task order, is raised
    with the child's message."""
    if jobs <= 1 or len(tasks) <= 1 or not hasattr(os, "fork"):
        for path, fn in tasks:
            fn(path)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    running, failed = {}, {}
    pending = list(enumerate(tasks))
    while pending or running:
        while pending and len(running) < jobs:
            k, (path, fn) = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    fn(path)
                except SystemExit as e:  # the plot scripts' "cannot draw this" messages
                    print(e.code if isinstance(e.code, str) else f"{path}: exit {e.code}", file=sys.stderr)
                    code = 1
                except BaseException:
                    traceback.print_exc()
                    code = 1
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
            running[pid] = (k, path)
        pid, status = os.wait()
        if pid in running:
            k, path = running.pop(pid)
            if status != 0:
                failed[k] = path
    if failed:
        raise SystemExit(f"report.py: drawing {failed[min(failed)]} failed (message above)")


def build(summary_path, kmc, exact, network, poses, outdir, jobs=1):
    summary = json.load(open(summary_path))
    if not summary.get("runs"):
        raise SystemExit(f"{summary_path}: no runs (is it the JSON of pandakinetics analyze?)")
    kmc = kmc or summary["runs"][0]["file"]
    os.makedirs(outdir, exist_ok=True)
    figures = [("survival.png", "Bound-state survival S(t): KMC (Kaplan-Meier, censored walkers included) and exact",
                lambda out: plot_survival.draw(kmc, exact, out)),
               ("occupancy.png", "Occupancy of the macrostates versus time",
                lambda out: plot_occupancy.draw(kmc, exact, out)),
               ("fpt.png", "First-passage-time histograms", lambda out: plot_fpt.draw(kmc, exact, out)),
               ("network.png", "The network with its free energies and transition states",
                lambda out: plot_network.draw(network or kmc, out))]
    if exact and plot_landscape.has_tpt(exact):
        figures.append(("landscape.png", "The landscape: states by distance from the pocket and free energy, barriers, "
                        "and the dominant unbinding pathways (transition-path theory, share of the reactive flux)",
                        lambda out: plot_landscape.draw(network or exact, out, tpt=exact)))
    if poses:
        figures.append(("poses.png", "Docked poses' scores", lambda out: plot_poses.draw(poses, out)))
    draw_all([(os.path.join(outdir, name), fn) for name, _, fn in figures], jobs)
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>PandaKinetics report</title>',
             "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse;margin:8px 0}"
             "td,th{border:1px solid #bbb;padding:3px 7px;text-align:right}th{background:#eee}"
             "img{max-width:100%}</style></head><body>",
             "<h1>PandaKinetics report</h1>",
             f"<p>Summary: <code>{html.escape(summary_path)}</code> ({html.escape(summary.get('program', '?'))}, "
             f"{summary.get('bootstrap_resamples', '?')} bootstrap resamples over replicas, 95% percentile intervals). "
             "Rates from a docking-score network are estimates, good for ranking, selectivity and orders of magnitude."
             "</p>"]
    for run in summary["runs"]:
        parts.append(f'<h2>{html.escape(run["label"])}: {html.escape(run["file"])}</h2>'
                     f'<p>{run["states"]} states ({html.escape(run["network"])}), {run["replicas"]} replicas &times; '
                     f'{run["walkers_per_replica"]} walkers, horizon {run["time_horizon_s"]:.4g} s, &kappa; = {run["kappa"]:g}. '
                     f'Exact values: {html.escape(run["exact_source"])}.</p>')
        parts.append(estimates_table(run))
    parts.append(extra_tables(summary))
    parts.append("<h2>Figures</h2>")
    for name, caption, _ in figures:
        parts.append(f'<figure><img src="{name}" alt="{html.escape(caption)}"><figcaption>{html.escape(caption)}'
                     "</figcaption></figure>")
    parts.append("</body></html>")
    path = os.path.join(outdir, "report.html")
    with open(path + ".tmp", "w") as fh:
        fh.write("\n".join(parts))
    os.replace(path + ".tmp", path)
    return path, [n for n, _, _ in figures]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--summary", required=True, help="JSON written by pandakinetics analyze --output")
    p.add_argument("--kmc", help="KMC output file (default: the first run's file in the summary)")
    p.add_argument("--exact", help="pandakinetics solve output (exact curves)")
    p.add_argument("--network", help="file whose /network is drawn (default: the KMC file)")
    p.add_argument("--poses", help="poses HDF5 file (pandakinetics dock --out_h5)")
    p.add_argument("--output-dir", default="report", help="folder for report.html and the PNGs (default report)")
    p.add_argument("--jobs", type=int, default=0,
                   help="figures drawn at once, each in a forked process (default 0: the CPUs this process may use)")
    a = p.parse_args(argv)
    jobs = a.jobs if a.jobs > 0 else default_jobs()
    path, figs = build(a.summary, a.kmc, a.exact, a.network, a.poses, a.output_dir, jobs)
    print(f"wrote {path} with {len(figs)} figures: {', '.join(figs)}", flush=True)


def serve(fd):
    """Reports on request: one JSON list of arguments per line from socket
    `fd`, answered by "ok SECONDS" or "failed SECONDS" (wall time of that
    report). Ends at the end of the input."""
    import socket
    sock = socket.socket(fileno=fd)
    requests, answers = sock.makefile("r"), sock.makefile("w")
    for line in requests:
        t0 = time.perf_counter()
        try:
            main(json.loads(line))
            ok = True
        except SystemExit as e:
            ok = e.code in (None, 0)
            if not ok:
                print(e.code if isinstance(e.code, str) else f"report.py: exit {e.code}", file=sys.stderr, flush=True)
        except Exception:
            traceback.print_exc()
            ok = False
        answers.write(f"{'ok' if ok else 'failed'} {time.perf_counter() - t0:.6f}\n")
        answers.flush()
    # The caller waits for this process to end: skip the interpreter's
    # teardown of matplotlib and friends (every file is already written).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        sys.exit(serve(int(sys.argv[2])))
    sys.exit(main())
