"""docs/sources.md and docs/vocabulary.md cover every source id, field and value the library uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyengine.registry import policies, vocabulary

DOCS = Path(__file__).resolve().parents[2] / "docs"


def source_rows() -> dict[str, str]:
    """The rows of the sources table of docs/sources.md, by id."""
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| ([A-Za-z0-9.-]+) \|.*$", text, flags=re.MULTILINE)}


class TestSources:
    """Every source a policy file cites is documented with a web address and its evidence grade."""

    @pytest.mark.parametrize("policy", policies(), ids=lambda p: p.id)
    def test_every_source_is_documented(self, policy) -> None:
        """Each source id of the policy has a row naming its URL and evidence grade."""
        rows = source_rows()
        for sid, source in policy.sources.items():
            assert sid in rows, f"{policy.id}: {sid} missing from docs/sources.md"
            assert source.url.split(" ; ")[0] in rows[sid]
            assert source.evidence.replace("_", " ") in rows[sid] or "news article only" in rows[sid]

    @pytest.mark.parametrize("policy", policies(), ids=lambda p: p.id)
    def test_every_provision_is_listed_under_its_source(self, policy) -> None:
        """The "used for" column names every rule, definition and not-rule that cites the source."""
        rows = source_rows()
        cited = [(r.id, r.source.id) for r in policy.rules] + [(d.id, d.source.id) for d in policy.definitions]
        cited += [(n.id, n.source.id) for n in policy.not_rules if n.source]
        for rid, sid in cited:
            assert re.search(rf"[ ,]{re.escape(rid)}(,| \|)", rows[sid]), f"{rid} not listed under {sid}"

    @pytest.mark.parametrize("policy", policies(), ids=lambda p: p.id)
    def test_every_url_is_a_web_address(self, policy) -> None:
        """No source address is a local path."""
        for sid, source in policy.sources.items():
            for url in source.url.split(" ; "):
                assert url.startswith("http"), f"{policy.id} {sid}: {url}"

    def test_open_questions_are_all_listed(self) -> None:
        """Q1 to Q20, E1 to E27 and U1 to U6 each have a row."""
        rows = source_rows()
        for prefix, count in (("Q", 20), ("E", 27), ("U", 6)):
            assert all(f"{prefix}{n}" in rows for n in range(1, count + 1)), prefix


class TestVocabularyReference:
    """docs/vocabulary.md describes every field and every value."""

    def test_every_field_and_value(self) -> None:
        """Each field appears as a row, each enum value inside it."""
        text = (DOCS / "vocabulary.md").read_text(encoding="utf-8")
        for name, spec in vocabulary().fields.items():
            row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
            assert row is not None, name
            assert " ".join(spec.description.split()) in row, f"{name}: description differs from vocabulary.yaml"
            for value in spec.values:
                assert f"`{value}`: {spec.value_descriptions[value]}" in row, (name, value)


ROOT = DOCS.parent
ROW_CITATION = re.compile(r"\brows? \d+", re.IGNORECASE)


class TestNoTableRowCitations:
    """A user has only the project: notes, explanations and docs cite provisions, sources, questions and
    named scenarios, never the scenario table's rows by number."""

    @pytest.mark.parametrize("path", sorted([*ROOT.glob("policies/**/*.yaml"), *ROOT.glob("scenarios/**/*.yaml"),
                                             *ROOT.glob("docs/*.md"), ROOT / "README.md"]),
                             ids=lambda p: str(p.relative_to(ROOT)))
    def test_no_row_numbers(self, path: Path) -> None:
        """No line cites a row by number; the structured `brief: {row: N, ...}` of a case is metadata."""
        cited = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if ROW_CITATION.search(line) and "brief: {row:" not in line]
        assert cited == []
