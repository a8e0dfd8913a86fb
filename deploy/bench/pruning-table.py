#!/usr/bin/env python3
"""Prints an experiment.json (spark-zero compare-pruning) as a Markdown table: test accuracy, mean
and sample standard deviation over seeds, per arm (metric/keep) and kept fraction, the full data
as the reference. Usage: deploy/bench/pruning-table.py OUT/experiment.json"""
import json
import statistics
import sys

runs = json.load(open(sys.argv[1]))["runs"]
cells = {}
for r in runs:
    cells.setdefault((r["metric"], r["keep"], r["fraction"]), []).append(r["test_accuracy"] * 100)


def cell(values):
    if not values:
        return "—"
    sd = statistics.stdev(values) if len(values) > 1 else float("nan")
    return f"{statistics.mean(values):.2f} ± {sd:.2f} (n={len(values)})"


fractions = sorted({f for (m, k, f) in cells if m != "none"})
arms = []
for (m, k, f) in cells:
    if m != "none" and (m, k) not in arms:
        arms.append((m, k))
print("| arm | " + " | ".join(f"{f:.0%} kept" for f in fractions) + " |")
print("|---|" + "---|" * len(fractions))
for m, k in arms:
    print(f"| {m} {k} | " + " | ".join(cell(cells.get((m, k, f), [])) for f in fractions) + " |")
print(f"| all data (100%) | {cell(cells.get(('none', 'all', 1.0), []))} |" + " |" * (len(fractions) - 1))
