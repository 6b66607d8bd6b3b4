"""A pytest plugin: every scenario suite under a folder named `scenarios` becomes one test per case,
and every claim file one test per claim.

Installed with policyengine (entry point `pytest11`), so in any project `pytest` collects
`scenarios/**/*.yaml` files that are suites (`policy` and `cases`) or claim files (`claims`); other
YAML files are left alone. Each case or claim is an item named after its label (`-k` selects by it),
located at its line; a failing case reports expected against actual verdict and deciding provisions,
and the why-not; a failing claim, the answer the checker gave and its grounds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..claims.suite import ClaimCase
    from .suites import Case

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


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SuiteFile | ClaimFile | None:
    """Collect a YAML suite or claim file under a `scenarios` folder; skip other YAML files."""
    if file_path.suffix not in SUFFIXES or not in_scenarios_folder(file_path, parent.config.rootpath):
        return None
    claimed = parent.config.stash.setdefault(CLAIMED, set())
    if file_path in claimed:
        return None
    claimed.add(file_path)
    from ..claims.suite import is_claims_file
    from ..errors import PolicyEngineError
    from .runner import is_suite_file

    try:
        if is_suite_file(file_path):
            return SuiteFile.from_parent(parent, path=file_path)
    except PolicyEngineError:  # a suite that does not parse: collecting it reports the error
        return SuiteFile.from_parent(parent, path=file_path)
    try:
        claims = is_claims_file(file_path)
    except PolicyEngineError:  # likewise a claim file
        claims = True
    return ClaimFile.from_parent(parent, path=file_path) if claims else None


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
        for name, case in zip(item_names([c.label for c in cases], cases), cases):
            yield CaseItem.from_parent(self, name=name, case=case)


class ClaimFile(pytest.File):
    """One claim file: an item per claim."""

    def collect(self) -> Iterator[ClaimItem]:
        """The claims, named by label (`claim` where a claim has none; with the line where names repeat)."""
        from ..claims.suite import load_claims_file
        from ..errors import PolicyEngineError
        from .coverage import shown_path

        try:
            claims = load_claims_file(shown_path(str(self.path)))
        except PolicyEngineError as exc:
            raise self.CollectError(str(exc)) from None
        for name, claim in zip(item_names([c.label or "claim" for c in claims], claims), claims):
            yield ClaimItem.from_parent(self, name=name, claim=claim)


def item_names(labels: list[str], entries: list[Any]) -> list[str]:
    """Each label, with the entry's line added where the label repeats in the file."""
    return [label if labels.count(label) == 1 else f"{label}[{line_of(entry)}]"
            for label, entry in zip(labels, entries)]


def line_of(entry: Case | ClaimCase) -> int:
    """The line of a case or claim in its file."""
    tail = entry.where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class CaseFailed(Exception):
    """A case or claim whose answer differs from what its file expects."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
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
            raise CaseFailed(failure_lines(result, judge_of(self.case)))

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


class ClaimItem(pytest.Item):
    """One claim of a claim file: check it and compare with the expected answer and provisions."""

    def __init__(self, *, claim: ClaimCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim

    def runtest(self) -> None:
        """Check the claim; raise CaseFailed with what disagreed and the checker's answer if it fails."""
        from ..claims.suite import run_claim

        outcome = run_claim(self.claim)
        if not outcome.passed:
            grounds = outcome.result.words().splitlines() if outcome.result is not None else []
            raise CaseFailed([*outcome.problems, *grounds])

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        """What disagreed and the checker's answer, and a library error as its one line."""
        from ..errors import PolicyEngineError

        if isinstance(excinfo.value, CaseFailed):
            return "\n".join([f"{self.claim.where}: claim failed: \"{self.claim.text}\"",
                              *(f"  {line}" for line in excinfo.value.lines)])
        if isinstance(excinfo.value, PolicyEngineError):
            return f"{self.claim.where}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The claim file, the claim's line (0-based, as pytest counts) and its text."""
        return self.path, max(line_of(self.claim) - 1, 0), self.claim.text
