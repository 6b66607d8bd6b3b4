"""The report and the explorer on a phone (390 px) and a laptop (1280 px): every verdict's text is
visible and unclipped (its text's bounding box lies inside its cell and inside the page), nothing
overlaps, and on a phone the explorer's form comes before its results. Screenshots of each width are
saved as test artifacts."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

import policyengine as pe

WIDTHS = {"phone": 390, "laptop": 1280}
APL_USE = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent", "location": "elsewhere"}

#: For each element matching the selector: its text's box (a DOM Range over its contents), its own
#: box, and whether the text overflows it; then a problem per element whose text is empty, has no
#: area, leaves its box, or overlaps the text of another.
CLIPPED = """
const selector = arguments[0];
const problems = [];
const boxes = [];
for (const el of document.querySelectorAll(selector)) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const text = range.getBoundingClientRect();
  const own = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const label = (el.getAttribute("data-key") || el.closest("tr").getAttribute("data-policy") || "") + ": " +
                el.textContent.trim();
  if (!el.textContent.trim() || text.width < 1 || text.height < 1 || style.visibility !== "visible") {
    problems.push("invisible " + label);
    continue;
  }
  if (text.left < own.left - 1 || text.right > own.right + 1 || text.top < own.top - 1 ||
      text.bottom > own.bottom + 1 || el.scrollWidth > el.clientWidth + 1) {
    problems.push("clipped " + label + " text " + JSON.stringify(text) + " cell " + JSON.stringify(own));
  }
  boxes.push([label, text]);
}
for (let i = 1; i < boxes.length; i++) {
  const [a, ra] = boxes[i - 1], [b, rb] = boxes[i];
  if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1) {
    problems.push("overlap " + a + " / " + b);
  }
}
return problems;
"""


def emulate(driver, width: int) -> None:
    """Make the page `width` CSS pixels wide, as a phone (touch, viewport meta) below 600 px."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})


def page_fits(driver) -> bool:
    """True when the page itself does not scroll sideways (only a table inside it may)."""
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def box(driver, selector: str) -> dict:
    """The bounding box of the first element matching `selector`."""
    return driver.execute_script("return document.querySelector(arguments[0]).getBoundingClientRect().toJSON()",
                                 selector)


@pytest.mark.parametrize("device", WIDTHS)
def test_report_matrix_reads_at_every_width(browser, report_file: Path, screenshot, device):
    """Every matrix cell's verdict is visible and unclipped, no two overlap, and the page does not
    scroll sideways: on a phone the matrix scrolls inside its own box, its first column fixed."""
    width = WIDTHS[device]
    emulate(browser, width)
    browser.get(report_file.as_uri())
    cells = browser.find_elements("css selector", "td.cell")
    assert len(cells) >= len(pe.policies()) * 10
    assert browser.execute_script(CLIPPED, "td.cell") == []
    assert page_fits(browser)
    matrix = box(browser, ".matrix-wrap")
    assert matrix["width"] >= min(width, 1280) * 0.6  # never collapsed to nothing
    if width < 600:
        detail = box(browser, "#detail")
        assert detail["top"] >= matrix["bottom"] - 1  # the panel goes under the matrix
        first = box(browser, "tr[data-scenario] th.scenario")
        browser.execute_script("document.querySelector('.matrix-wrap').scrollLeft = 400")
        assert box(browser, "tr[data-scenario] th.scenario")["left"] == pytest.approx(first["left"], abs=1)
        browser.execute_script("document.querySelector('.matrix-wrap').scrollLeft = 0")
    screenshot(browser, f"report-{width}px")
    browser.execute_script("document.querySelector('#matrix').scrollIntoView()")
    screenshot(browser, f"report-{width}px-matrix")


@pytest.mark.parametrize("device", WIDTHS)
def test_explorer_reads_at_every_width(browser, server, screenshot, device):
    """Every instrument's verdict is visible and unclipped, the page does not scroll sideways, and on
    a phone the form comes before (above) the results."""
    width = WIDTHS[device]
    emulate(browser, width)
    browser.get(f"{server}/?{urllib.parse.urlencode({**APL_USE, 'on': '2023-01-01'})}")
    verdicts = browser.find_elements("css selector", "#instruments td.verdict")
    assert len(verdicts) == len(pe.policies())
    assert browser.execute_script(CLIPPED, "#instruments td.verdict") == []
    assert page_fits(browser)
    form, results = box(browser, "#scenario-form"), box(browser, "#results")
    if width < 600:
        assert form["bottom"] <= results["top"] + 1 and results["width"] >= width * 0.8
    else:
        assert form["right"] <= results["left"] + 1  # side by side
    screenshot(browser, f"explorer-{width}px")


def test_explorer_address_leaves_out_empty_fields(browser, server):
    """After a toggle the address holds only the fields that are set (and the date), no empty ones."""
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/?{urllib.parse.urlencode(APL_USE)}")
    Select(browser.find_element("id", "f-location")).select_by_value("korean_dmz")
    WebDriverWait(browser, 10).until(lambda d: "location=korean_dmz" in d.current_url)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query, keep_blank_values=True)
    assert all(value != [""] for value in query.values()), browser.current_url
    assert set(query) <= {*APL_USE, "on"} and query["location"] == ["korean_dmz"]
    assert len(browser.current_url) < 200
