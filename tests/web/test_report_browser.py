"""The report in a real browser: it opens from disk with networking blocked and makes no network
request, the matrix reads as the library answers, and a click on a cell shows the deciding provision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.testing.suites import named

SCENARIO = "transfer-apl-for-destruction"


def block_network(driver) -> None:
    """Take the browser offline (Chrome DevTools network emulation) before the page loads."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})


def requested_urls(driver) -> list[str]:
    """Every URL the page asked for, from the browser's performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.fixture
def opened(browser, report_file: Path):
    """The report opened from disk in an offline browser."""
    block_network(browser)
    browser.get(report_file.as_uri())
    return browser


class TestReportOffline:
    """The report is one file that needs nothing from the network."""

    def test_no_request_leaves_the_file(self, opened, report_file: Path):
        """Every request the page made was for the file itself (or inline data), none to the network."""
        opened.find_element("css selector", "#matrix-table")
        urls = requested_urls(opened)
        assert report_file.as_uri() in urls
        assert [u for u in urls if not u.startswith(("file:", "data:"))] == []

    def test_timeline_is_drawn(self, opened):
        """The SVG timeline has a bar per instrument and a band per President."""
        bars = opened.find_elements("css selector", "#timeline-svg g.instrument")
        assert [b.get_attribute("data-policy") for b in bars] == [p.id for p in pe.policies()]
        names = [g.find_element("css selector", "title").get_attribute("textContent")
                 for g in opened.find_elements("css selector", "#timeline-svg g.president")]
        assert any(name.startswith("Joseph R. Biden") for name in names)


class TestMatrix:
    """The scenarios x instruments matrix, read in the browser, says what the library says."""

    def test_row_matches_the_library(self, opened):
        """Each cell of a scenario's row holds the verdict in words that the instrument gives."""
        row = opened.find_element("css selector", f"tr[data-scenario='{SCENARIO}']")
        cells = row.find_elements("css selector", "td.cell")
        fields = dict(named(SCENARIO, pe.vocabulary()).fields)
        assert len(cells) == len(pe.policies())
        for td, policy in zip(cells, pe.policies()):
            decision = pe.evaluate(fields, policy=policy.id)
            assert td.get_attribute("data-policy") == policy.id
            assert td.text.replace(" ", "_").startswith(decision.verdict), (policy.id, td.text)
            assert f"v-{decision.verdict}" in td.get_attribute("class")

    def test_click_shows_the_deciding_provision(self, opened, screenshot):
        """A click on biden-2022's cell shows B22-2.destruction, its quote, its source and the explanation."""
        decision = pe.evaluate(dict(named(SCENARIO, pe.vocabulary()).fields), policy="biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("permitted", ("B22-2.destruction",))
        cell = opened.find_element("css selector", f"td[data-key='{SCENARIO}|biden-2022']")
        opened.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
        cell.click()
        panel = opened.find_element("css selector", "#detail")
        quotes = [q.text for q in panel.find_elements("css selector", "blockquote.quote")]
        citation = next(c for c in decision.sources if c.rule == "B22-2.destruction")
        assert f"\u201c{citation.quote}\u201d" in quotes
        assert "B22-2.destruction" in panel.text
        assert citation.source in panel.text and citation.url in panel.text
        assert "Under biden-2022 this is permitted, decided by B22-2.destruction." in panel.text
        path = screenshot(opened, "report-cell-clicked")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


class TestDiffs:
    """The changes from each instrument to its successor open on a click."""

    def test_trump_2020_to_biden_2022(self, opened):
        """Opening the trump-2020 -> biden-2022 section shows its classes, as pe.diff finds them."""
        section = opened.find_element("css selector", "div.diff[data-from='trump-2020'][data-to='biden-2022']")
        rows = section.find_elements("css selector", "table.changes tbody tr")
        assert not rows[0].is_displayed()
        summary = section.find_element("css selector", "summary")
        opened.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
        summary.click()
        found = pe.diff("trump-2020", "biden-2022")
        assert rows[0].is_displayed() and len(rows) == len(found.classes)
        first = found.classes[0]
        assert rows[0].text.startswith(f"{first.before.words()} {first.after.words()}")
