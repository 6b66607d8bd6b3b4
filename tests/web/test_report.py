"""The report file: one self-contained page under 1 MB whose matrix says what the library says."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.explanation.why import verdict_words
from policyengine.web import report
from policyengine.cli.app import main
from policyengine.testing.suites import NamedScenario, named_scenarios

MAX_BYTES = 1_000_000


class Resources(HTMLParser):
    """Collects every attribute that would make a browser load something, and the matrix cells."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str, str]] = []
        self.cells: dict[str, str] = {}
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "srcset", "poster", "data"):
            if values.get(name):
                self.loads.append((tag, name, values[name] or ""))
        if tag == "link" and values.get("href"):
            self.loads.append((tag, "href", values["href"] or ""))
        if tag in ("image", "use") and (values.get("href") or values.get("xlink:href")):
            self.loads.append((tag, "href", values.get("href") or values.get("xlink:href") or ""))
        self._cell = values.get("data-key") if tag == "td" else None

    def handle_data(self, data: str) -> None:
        if self._cell and data.strip():
            self.cells[self._cell] = data.strip()
            self._cell = None


@pytest.fixture(scope="module")
def page(report_file: Path) -> str:
    """The text of the report written by `policyengine report`."""
    return report_file.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(page: str) -> Resources:
    """The report, parsed."""
    parser = Resources()
    parser.feed(page)
    return parser


class TestSelfContained:
    """One file, under 1 MB, that loads nothing."""

    def test_under_one_megabyte(self, report_file: Path):
        """The acceptance line: one file under 1 MB."""
        assert report_file.stat().st_size < MAX_BYTES

    def test_loads_nothing(self, parsed: Resources, page: str):
        """No element loads a resource, no style imports one, and the page forbids network loads."""
        assert parsed.loads == []
        assert "@import" not in page and "url(" not in page
        assert "default-src 'none'" in page

    def test_command_reports_where_it_wrote(self, tmp_path, capsys):
        """`policyengine report --out FILE` writes the file and says so."""
        out = tmp_path / "r.html"
        assert main(["report", "--out", str(out)]) == 0
        assert out.is_file() and str(out) in "".join(capsys.readouterr().out.split())  # a long path wraps

    def test_with_includes_your_instrument(self, tmp_path):
        """`report --with FILE --out r.html` shows your policy file in the timeline and the matrix, with
        the answers the library gives it."""
        mine = Path(__file__).resolve().parents[1] / "fixtures" / "good" / "minimal.yaml"
        out = tmp_path / "r.html"
        assert main(["report", "--with", str(mine), "--out", str(out)]) == 0
        found = Resources()
        found.feed(out.read_text(encoding="utf-8"))
        corpus = pe.bundled().with_policy(mine)
        assert "good-minimal" in corpus and 'data-policy="good-minimal"' in out.read_text(encoding="utf-8")
        for scenario in named_scenarios(pe.vocabulary()).values():
            decision = pe.evaluate(dict(scenario.fields), policy="good-minimal", corpus=corpus)
            assert found.cells[f"{scenario.name}|good-minimal"] == verdict_words(decision.verdict, decision.reason)
        assert len(found.cells) == len(named_scenarios(pe.vocabulary())) * (len(pe.policies()) + 1)

    def test_missing_folder_is_an_error(self, tmp_path, capsys):
        """An --out in a folder that does not exist is a one-line error."""
        assert main(["report", "--out", str(tmp_path / "nope" / "r.html")]) == 2
        assert "no folder" in capsys.readouterr().err


class TestContent:
    """The matrix, the details and the timeline say what the library says."""

    def test_every_cell_matches_the_library(self, parsed: Resources):
        """Each scenario x instrument cell holds the verdict in words the instrument gives."""
        from policyengine.explanation.why import verdict_words

        assert len(parsed.cells) == len(named_scenarios(pe.vocabulary())) * len(pe.policies())
        for scenario in named_scenarios(pe.vocabulary()).values():
            for policy in pe.policies():
                decision = pe.evaluate(dict(scenario.fields), policy=policy.id)
                assert parsed.cells[f"{scenario.name}|{policy.id}"] == verdict_words(decision.verdict,
                                                                                     decision.reason)

    def test_details_hold_each_deciding_quote(self, page: str):
        """The data behind the click holds the quote and source of every deciding provision."""
        raw = re.search(r'<script type="application/json" id="details">(.*?)</script>', page, re.DOTALL).group(1)
        details = json.loads(raw)
        cell = details["cells"]["transfer-apl-for-destruction|biden-2022"]
        assert cell["rules"] == ["B22-2.destruction"] and cell["verdict"] == "permitted"
        deciding = [details["provisions"][key] for key, decides in cell["provisions"] if decides]
        citation = next(c for c in pe.evaluate(dict(named_scenarios(pe.vocabulary())["transfer-apl-for-destruction"].fields),
                                               policy="biden-2022").sources if c.rule == "B22-2.destruction")
        assert [(p["rule"], p["quote"], p["url"]) for p in deciding] == [("B22-2.destruction", citation.quote,
                                                                         citation.url)]

    def test_timeline_has_every_instrument_and_president(self, page: str):
        """The SVG names every instrument and every President."""
        svg = page[page.index("<svg"):page.index("</svg>")]
        for policy in pe.policies():
            assert f'data-policy="{policy.id}"' in svg
        for term in __import__("policyengine.core.timeline", fromlist=["presidencies"]).presidencies():
            assert term.name in svg

    @pytest.mark.slow
    def test_diffs_between_successive_instruments(self, page: str):
        """Each instrument is diffed against its successor, with every class pe.diff finds."""
        pairs = [(a.id, b.id) for b in pe.policies() for a in pe.policies() if a.id in b.replaces]
        assert ("trump-2020", "biden-2022") in pairs
        for before, after in pairs:
            start = page.index(f'<div class="diff" data-from="{before}" data-to="{after}">')
            section = page[start:page.index("</div>", start)]
            found = pe.diff(before, after)
            assert section.count("<tr><td class=") == len(found.classes)
            first = found.classes[0]
            assert f'<td class="v-{first.before.verdict}">{first.before.words()}</td>' in section

    @pytest.mark.slow
    def test_text_is_escaped(self, monkeypatch):
        """Text from the data files is autoescaped, in the page and in the embedded JSON."""
        evil = NamedScenario("evil", "<script>alert('x')</script> & </script>", {"activity": "use"})
        monkeypatch.setattr(report, "named_scenarios", lambda vocab: {"evil": evil})
        html = report.render_report(pe.bundled(), "2023-01-01")
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;" in html
        assert html.count("</script>") == 2  # the JSON block and the page script, nothing injected
