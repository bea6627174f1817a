#!/usr/bin/env python3
"""One line from `pandakinetics bench dock` JSON on stdin: wall time, best
score, chains and the stage times (stage_s). Used by the GPU-node scripts."""
import json
import sys

if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
    print(__doc__)
    sys.exit(0)
text = sys.stdin.read()
try:
    r = json.loads(text[text.index("{"):])
except ValueError:
    print("  bench dock printed no JSON:", text.strip()[-300:])
    sys.exit(1)
head = "  seed %s: dock_s %.3f, best %.3f kcal/mol, chains %d; " % (
    r["seed"], r["dock_s"], r["best_score_kcal_per_mol"], r["chains"])
print(head + ", ".join("%s %.3f" % kv for kv in r.get("stage_s", {}).items()))
