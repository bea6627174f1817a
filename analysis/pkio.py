"""Readers shared by the analysis scripts: PandaKinetics HDF5 outputs
(KMC run, solve, network, poses; layouts in docs/formats.md and
docs/pipeline.md). Only numpy and h5py."""
import h5py
import numpy as np

MACROSTATES = {0: "bound", 1: "unbound", 2: "other"}
COLOURS = {"bound": "tab:blue", "unbound": "tab:orange", "other": "tab:gray"}


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def kind(f):
    """What a file holds: 'kmc', 'solve', 'network', 'poses' or 'unknown'."""
    if text(f.attrs.get("format", "")) == "pandakinetics-poses":
        return "poses"
    if "results" in f and "walkers" in f["results"]:
        return "kmc"
    if "exact" in f:
        return "solve"
    if "network" in f:
        return "network"
    return "unknown"


def network(f):
    """The /network group as a dict of numpy arrays (states and edges)."""
    if "network" not in f:
        raise SystemExit(f"{f.filename}: no /network group")
    g = f["network"]
    n = len(g["states/id"])
    names = [text(x) for x in g["states/name"][:]] if "states/name" in g else [""] * n
    ids = g["states/id"][:]
    names = [nm if nm else str(i) for nm, i in zip(names, ids)]
    return {
        "id": ids,
        "name": names,
        "G": g["states/free_energy_kcal_per_mol"][:],
        "macrostate": np.array([MACROSTATES[int(m)] for m in g["states/macrostate"][:]]),
        "edge_from": g["edges/from"][:],
        "edge_to": g["edges/to"][:],
        "edge_kind": g["edges/kind"][:],
        "edge_value": g["edges/value"][:],
    }


def exact_group(path_or_file, extra=None):
    """The /exact group of the file itself or of `extra` (a solve output), or None."""
    for p in (path_or_file, extra):
        if p is None:
            continue
        f = p if isinstance(p, h5py.File) else h5py.File(p, "r")
        if "exact" in f:
            return f["exact"]
    return None


def parameter(f, name, default=None):
    if "parameters" in f and name in f["parameters"].attrs:
        return text(f["parameters"].attrs[name])
    return default


def walkers(f):
    return f["results/walkers"]


def kaplan_meier(times, observed):
    """Survival S(t) from times with censoring (observed False = censored at that time).
    Returns the step points (t, S(t)) just after each event time: at each
    distinct time, S is multiplied by 1 - deaths / (walkers still at risk),
    in time order (vectorized; a factor of exactly 1 where nothing died)."""
    order = np.argsort(times, kind="stable")
    t, obs = np.asarray(times)[order], np.asarray(observed, dtype=bool)[order]
    if len(t) == 0:
        return np.array([0.0]), np.array([1.0])
    uniq, first = np.unique(t, return_index=True)
    deaths = np.add.reduceat(obs.astype(np.int64), first)
    at_risk = len(t) - first
    s = np.cumprod(1.0 - deaths / at_risk)
    died = deaths > 0
    return np.concatenate(([0.0], uniq[died])), np.concatenate(([1.0], s[died]))


def bound_first_passages(f):
    """Walkers that did not start unbound: (time to unbound, observed) with censoring at the end."""
    w = walkers(f)
    fpt = w["first_passage_to_unbound_s"][:]
    end = w["observation_end_s"][:]
    keep = fpt != 0.0
    observed = fpt[keep] > 0
    return np.where(observed, fpt[keep], end[keep]), observed
