"""Time the scenario-space analyses: `policyengine diff` of every pair of the ten instruments.

    python bench/analysis.py [--json]

Prints the wall time of all 45 diffs (in one process, the instruments loaded first), the classes
and cells they produce, and the slowest pair. The target (issue 8) is under 10 s in total on the
project's 2-core machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time

import policyengine as pe
from policyengine.analysis.diff import diff


def main() -> None:
    """Run the diffs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = pe.bundled()
    for judge in corpus.evaluators.values():
        judge.classes  # noqa: B018  (load and partition before timing)
    pairs = list(itertools.combinations(corpus.ids, 2))
    times, classes, cells = {}, 0, 0
    start = time.perf_counter()
    for a, b in pairs:
        t0 = time.perf_counter()
        found = diff(a, b, corpus=corpus)
        times[f"{a} {b}"] = time.perf_counter() - t0
        classes += len(found.classes)
        cells += found.cells
    total = time.perf_counter() - start
    slowest = max(times, key=times.__getitem__)
    figures = {"diff_pairs": len(pairs), "diff_all_pairs_s": round(total, 3), "diff_classes": classes,
               "diff_cells": cells, "diff_slowest_pair": slowest, "diff_slowest_s": round(times[slowest], 3)}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"diff of all {len(pairs)} pairs: {total:.2f} s (target < 10 s); {classes} classes over "
              f"{cells} cells; slowest {slowest} {times[slowest] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
