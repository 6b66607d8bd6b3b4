"""A pytest plugin: every scenario suite under a folder named `scenarios` becomes one test per case.

Installed with policyengine (entry point `pytest11`), so in any project `pytest` collects
`scenarios/**/*.yaml` files that are suites (`policy` and `cases`); other YAML files are left alone.
Each case is an item named after its scenario label (`-k` selects by it), located at its line, and a
failing case reports expected against actual verdict and deciding provisions, and the why-not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .suites import Case, CaseResult

FOLDER = "scenarios"
SUFFIXES = (".yaml", ".yml")
#: the suite files this session has collected, so a second copy of the hook (a conftest that
#: re-exports this module, say) never collects one twice
CLAIMED = pytest.StashKey[set]()


def in_scenarios_folder(file_path: Path, root: Path) -> bool:
    """True when a folder named `scenarios` holds the file (looking below the root when it is under it)."""
    try:
        parts = file_path.relative_to(root).parts[:-1]
    except ValueError:
        parts = file_path.parts[:-1]
    return FOLDER in parts


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SuiteFile | None:
    """Collect a YAML suite under a `scenarios` folder; skip YAML files that are not suites."""
    if file_path.suffix not in SUFFIXES or not in_scenarios_folder(file_path, parent.config.rootpath):
        return None
    claimed = parent.config.stash.setdefault(CLAIMED, set())
    if file_path in claimed:
        return None
    claimed.add(file_path)
    from ..errors import PolicyEngineError
    from .runner import is_suite_file

    try:
        suite = is_suite_file(file_path)
    except PolicyEngineError:  # a suite that does not parse: collecting it reports the error
        suite = True
    return SuiteFile.from_parent(parent, path=file_path) if suite else None


class SuiteFile(pytest.File):
    """One suite file: an item per case."""

    def collect(self) -> Iterator[CaseItem]:
        """The cases, named by label (with the line where a label repeats in the file)."""
        from ..errors import PolicyEngineError
        from .coverage import shown_path
        from .suites import load_suite

        try:
            cases = load_suite(shown_path(str(self.path)))
        except PolicyEngineError as exc:
            raise self.CollectError(str(exc)) from None
        counts: dict[str, int] = {}
        for case in cases:
            counts[case.label] = counts.get(case.label, 0) + 1
        for case in cases:
            name = case.label if counts[case.label] == 1 else f"{case.label}[{line_of(case)}]"
            yield CaseItem.from_parent(self, name=name, case=case)


def line_of(case: Case) -> int:
    """The line of a case in its suite file."""
    tail = case.where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class CaseFailed(Exception):
    """A case whose answer differs from what its suite expects."""

    def __init__(self, result: CaseResult, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.result = result
        self.lines = lines


class CaseItem(pytest.Item):
    """One case of a suite: evaluate its scenario and compare with the expected verdict and provisions."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Run the case; raise CaseFailed with the readable difference if it fails."""
        from .runner import failure_lines, judge_of
        from .suites import run_case

        result = run_case(self.case)
        if not result.passed:
            raise CaseFailed(result, failure_lines(result, judge_of(self.case)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        """The expected/actual/why-not text for a failing case, and a library error as its one line."""
        from ..errors import PolicyEngineError

        if isinstance(excinfo.value, CaseFailed):
            case = self.case
            return "\n".join([f"{case.where}: {case.policy} {case.label} failed", *(
                f"  {line}" for line in excinfo.value.lines)])
        if isinstance(excinfo.value, PolicyEngineError):
            return f"{self.case.where}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The suite file, the case's line (0-based, as pytest counts) and `policy label`."""
        return self.path, max(line_of(self.case) - 1, 0), f"{self.case.policy} {self.case.label}"
