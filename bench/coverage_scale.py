"""`policyengine test` (cases and provision coverage) against pytest on the same suite, at growing sizes.

    python bench/coverage_scale.py                      # 25,000 and 100,000 cases
    python bench/coverage_scale.py --cases 10000 40000

Each size is that many cases, cycling through the cases of biden-2022's own suite (so every case
passes), in suite files of at most 10,000 cases (a file is limited to 4 MiB) in a temporary
`scenarios/` folder; both runners are timed as
fresh processes, wall clock, one after the other. The acceptance line: `policyengine test` takes no
more than twice pytest's time, and its time per case stays flat as the cases grow (coverage is
near-linear in the cases). Figures go to stdout; nothing is asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_FILE = 10_000


def cases() -> list[str]:
    """The cases of the bundled biden-2022 suite, as one-line YAML mappings."""
    import yaml

    doc = yaml.safe_load((ROOT / "scenarios" / "suites" / "biden-2022.yaml").read_text(encoding="utf-8"))
    return [yaml.safe_dump(case, default_flow_style=True, width=10**6).strip() for case in doc["cases"]]


def timed(command: list[str], cwd: Path) -> float:
    """Wall-clock seconds of one run (its output discarded; a failure stops the benchmark)."""
    began = time.perf_counter()
    out = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{command[2:4]} failed ({out.returncode}): {out.stderr[-2000:]}")
    return time.perf_counter() - began


def main() -> int:
    """Write each suite, run both, print seconds, the ratio and microseconds per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[25_000, 100_000])
    args = parser.parse_args()
    pool = cases()
    print(f"{'cases':>8} {'policyengine test':>18} {'pytest':>8} {'ratio':>6} {'us/case (ours)':>15}")
    for count in args.cases:
        with tempfile.TemporaryDirectory(prefix="pe-coverage-bench-") as folder:
            where = Path(folder) / "scenarios"
            where.mkdir()
            for start in range(0, count, PER_FILE):
                lines = ["policy: biden-2022", "cases:"]
                lines += [f"  - {pool[i % len(pool)]}" for i in range(start, min(start + PER_FILE, count))]
                (where / f"part-{start // PER_FILE:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            ours = timed([sys.executable, "-m", "policyengine", "test", str(where)], Path(folder))
            theirs = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(where)],
                           Path(folder))
        print(f"{count:>8,} {ours:>17.1f}s {theirs:>7.1f}s {ours / theirs:>6.2f} {ours / count * 1e6:>15.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
