"""A pytest plugin: every scenario suite under a folder named `scenarios` becomes one test per case,
and every claim file one test per claim.

Installed with policyengine (entry point `pytest11`), so in any project `pytest` collects
`scenarios/**/*.yaml` files that are suites (`policy` and `cases`) or claim files (`claims`); other
YAML files are left alone. Each case or claim is an item named after its label (`-k` selects by it),
located at its line; a failing case reports expected against actual verdict and deciding provisions,
and the why-not; a failing claim, the answer the checker gave and its grounds.

This module lives outside the `policyengine` package so that loading the plugin, which pytest does in
every project, imports nothing of the library: `library` imports it when a YAML file under a
`scenarios` folder is collected.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from policyengine.analysis.claims.suite import ClaimCase
    from policyengine.testing.suites import Case

FOLDER = "scenarios"
SUFFIXES = (".yaml", ".yml")
#: the suite files this session has collected, so a second copy of the hook (a conftest that
#: re-exports this module, say) never collects one twice
CLAIMED = pytest.StashKey[set]()
#: suites and claim files pytest met outside a `scenarios` folder, not collected
OUTSIDE = pytest.StashKey[list]()


def library(name: str) -> Any:
    """The object `module:attribute` of policyengine, importing the module on first use."""
    module, attribute = name.split(":")
    return getattr(importlib.import_module(f"policyengine.{module}"), attribute)


def in_scenarios_folder(file_path: Path, root: Path) -> bool:
    """True when a folder named `scenarios` holds the file (looking below the root when it is under it)."""
    try:
        parts = file_path.relative_to(root).parts[:-1]
    except ValueError:
        parts = file_path.parts[:-1]
    return FOLDER in parts


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SuiteFile | ClaimFile | None:
    """Collect a YAML suite or claim file under a `scenarios` folder; skip other YAML files (noting
    suites and claim files found elsewhere, for the hint at the end of the session)."""
    if file_path.suffix not in SUFFIXES:
        return None
    if not in_scenarios_folder(file_path, parent.config.rootpath):
        if _looks_like_entries(file_path):
            parent.config.stash.setdefault(OUTSIDE, []).append(file_path)
        return None
    claimed = parent.config.stash.setdefault(CLAIMED, set())
    if file_path in claimed:
        return None
    claimed.add(file_path)
    error = library("core.errors:PolicyEngineError")
    try:
        if library("testing.runner:is_suite_file")(file_path):
            return SuiteFile.from_parent(parent, path=file_path)
    except error:  # a suite that does not parse: collecting it reports the error
        return SuiteFile.from_parent(parent, path=file_path)
    try:
        claims = library("analysis.claims.suite:is_claims_file")(file_path)
    except error:  # likewise a claim file
        claims = True
    return ClaimFile.from_parent(parent, path=file_path) if claims else None


def _looks_like_entries(file_path: Path) -> bool:
    """True when a YAML file's text has the top-level keys of a suite or a claim file."""
    try:
        text = file_path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return False
    return bool(re.search(r"^cases\s*:", text, re.MULTILINE) and re.search(r"^policy\s*:", text, re.MULTILINE)
                or re.search(r"^claims\s*:", text, re.MULTILINE))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Say how to collect the suites and claim files pytest met outside a `scenarios` folder."""
    found = session.config.stash.get(OUTSIDE, [])
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not found or reporter is None:
        return
    shown_paths = [os.path.relpath(p) for p in found]
    names = ", ".join(shown_paths[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    what = "looks like a scenario suite or claim file" if len(found) == 1 else \
        "look like scenario suites or claim files"
    reporter.write_line(f"policyengine: {names} {what}, but pytest collects these only inside a folder "
                        f"named `{FOLDER}`: move {'it' if len(found) == 1 else 'them'} into one (for example "
                        f"{FOLDER}/{found[0].name}), or run `policyengine test {shown_paths[0]}`")


def line_of(entry: Case | ClaimCase) -> int:
    """The line of a case or claim in its file."""
    tail = entry.where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class CaseFailed(Exception):
    """A case or claim whose answer differs from what its file expects."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class EntryItem(pytest.Item):
    """One case or claim: run it; a failure reads as its heading and what differed, without a traceback."""

    def __init__(self, *, entry: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entry = entry

    heading: Callable[[], str]  # the first line of a failure report: each kind of entry words its own
    title: Callable[[], str]  # what pytest shows beside the file and line

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        """The heading and what differed for a failing entry, and a library error as its one line."""
        if isinstance(excinfo.value, CaseFailed):
            return "\n".join([self.heading(), *(f"  {line}" for line in excinfo.value.lines)])
        if isinstance(excinfo.value, library("core.errors:PolicyEngineError")):
            return f"{self.entry.where}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The file, the entry's line (0-based, as pytest counts) and its title."""
        return self.path, max(line_of(self.entry) - 1, 0), self.title()


class CaseItem(EntryItem):
    """One case of a suite: evaluate its scenario and compare with the expected verdict and provisions."""

    def runtest(self) -> None:
        """Run the case; raise CaseFailed with expected against actual and the why-not if it fails."""
        corpus = library("registry:bundled")()
        result = library("testing.suites:run_case")(self.entry, corpus)
        if not result.passed:
            judge = library("testing.runner:judge_of")(self.entry, corpus)
            raise CaseFailed(library("testing.runner:failure_lines")(result, judge))

    def heading(self) -> str:
        """`file:line: policy label failed`."""
        return f"{self.entry.where}: {self.entry.policy} {self.entry.label} failed"

    def title(self) -> str:
        """`policy label`."""
        return f"{self.entry.policy} {self.entry.label}"


class ClaimItem(EntryItem):
    """One claim of a claim file: check it and compare with the expected answer and provisions."""

    def runtest(self) -> None:
        """Check the claim; raise CaseFailed with what disagreed and the checker's answer if it fails."""
        outcome = library("analysis.claims.suite:run_claim")(self.entry, library("registry:bundled")())
        if not outcome.passed:
            grounds = outcome.result.words().splitlines() if outcome.result is not None else []
            raise CaseFailed([*outcome.problems, *grounds])

    def heading(self) -> str:
        """`file:line: claim failed: "..."`."""
        return f"{self.entry.where}: claim failed: \"{self.entry.text}\""

    def title(self) -> str:
        """The claim's text."""
        return self.entry.text


class EntryFile(pytest.File):
    """A suite or claim file: an item per entry, named by its label (with the entry's line where a
    label repeats in the file)."""

    load: Callable[[str], list[Any]]  # the file's entries; a PolicyEngineError naming file:line if malformed

    def label(self, entry: Any) -> str:
        """The entry's item name before any line is added."""
        return entry.label

    item: type[EntryItem]  # the item class of an entry

    def collect(self) -> Iterator[EntryItem]:
        """The entries, each an item."""
        try:
            entries = self.load(library("testing.coverage:shown_path")(str(self.path)))
        except library("core.errors:PolicyEngineError") as exc:
            raise self.CollectError(str(exc)) from None
        labels = [self.label(entry) for entry in entries]
        for label, entry in zip(labels, entries):
            name = label if labels.count(label) == 1 else f"{label}[{line_of(entry)}]"
            yield self.item.from_parent(self, name=name, entry=entry)


class SuiteFile(EntryFile):
    """One suite file: an item per case."""

    def load(self, path: str) -> list[Any]:
        """The suite's cases."""
        return library("testing.suites:load_suite")(path, library("registry:bundled")())

    item = CaseItem


class ClaimFile(EntryFile):
    """One claim file: an item per claim (named `claim` where it has no label)."""

    def load(self, path: str) -> list[Any]:
        """The file's claims."""
        return library("analysis.claims.suite:load_claims_file")(path)

    def label(self, entry: Any) -> str:
        """The claim's label, or `claim`."""
        return entry.label or "claim"

    item = ClaimItem
