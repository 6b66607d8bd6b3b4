"""A hostile policy file in a real browser: its script payloads (in titles, quotes, notes and
`javascript:` source URLs) neither run nor open a dialog, in the explorer or in the report, while the
pages' own scripts still work."""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any


EVIL = Path(__file__).parents[1] / "fixtures" / "repro3" / "evil-2022-html-js.yaml"
SCENARIO = {"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction"}
LATE = 0.5  # seconds each page's last check waits for a dialog a payload opened late
PROBE = "return [window.__pwned || null, Array.from(document.scripts).map(s => s.src || s.type || 'inline')];"


def no_dialog(driver: Any, wait: float = 0.0) -> bool:
    """True when no alert, confirm or prompt is open, waiting up to `wait` seconds for a late one.

    A dialog opened by a click is open when the click returns; one opened later (a timer) is found by
    a later check or fails the next command, so only each page's last check waits."""
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        if wait:
            WebDriverWait(driver, wait).until(expected_conditions.alert_is_present())
        driver.switch_to.alert.dismiss()
    except (TimeoutException, NoAlertPresentException):
        return True
    return False


def click_everything(driver: Any, selector: str) -> int:
    """Click each element matching `selector` (scrolled into view), checking for a dialog after each;
    the count clicked."""
    count = 0
    for element in driver.find_elements("css selector", selector):
        driver.execute_script("arguments[0].scrollIntoView(); arguments[0].click();", element)
        assert no_dialog(driver), f"a dialog opened after clicking {element.get_attribute('outerHTML')[:80]}"
        count += 1
    return count


class TestExplorer:
    """`policyengine serve --with evil.yaml`: no payload runs, the page still updates."""

    def test_no_script_runs(self, browser, serve_with, screenshot) -> None:
        """Opening every provision and clicking every source opens no dialog; only htmx is loaded."""
        from selenium.webdriver.support.select import Select
        from selenium.webdriver.support.ui import WebDriverWait

        with serve_with("--with", str(EVIL)) as base:
            browser.get(f"{base}/?{urllib.parse.urlencode(SCENARIO)}")
            assert no_dialog(browser)
            assert browser.find_element("css selector", "tr[data-policy='evil-2022']")
            for details in browser.find_elements("css selector", "tr[data-policy='evil-2022'] details"):
                browser.execute_script("arguments[0].open = true;", details)
            assert click_everything(browser, "tr[data-policy='evil-2022'] .url") > 0
            assert not browser.find_elements("css selector", "a[href^='javascript']")
            pwned, scripts = browser.execute_script(PROBE)
            assert pwned is None and sorted(urllib.parse.urlsplit(s).path for s in scripts) == [
                "/static/explorer.js", "/static/htmx.min.js"]  # the page's own scripts only
            before = browser.current_url
            Select(browser.find_element("id", "f-location")).select_by_value("korean_dmz")  # htmx runs under the CSP
            WebDriverWait(browser, 10).until(lambda d: d.current_url != before)
            assert no_dialog(browser, wait=LATE)
            screenshot(browser, "explorer-hostile-file")


class TestReport:
    """`policyengine report --with evil.yaml` opened from disk: no payload runs, the panel still works."""

    def test_no_script_runs(self, browser, evil_report, screenshot) -> None:
        """Clicking every cell of the hostile instrument and every source shown opens no dialog, and
        the detail panel (the page's own, hashed script) shows each provision."""
        browser.get(evil_report.as_uri())
        assert no_dialog(browser)
        cells = browser.find_elements("css selector", "td.cell[data-key$='|evil-2022']")
        assert cells
        for cell in cells:
            browser.execute_script("arguments[0].scrollIntoView(); arguments[0].click();", cell)
            assert no_dialog(browser)
            assert browser.find_element("id", "detail").text.startswith("evil-2022")
            click_everything(browser, "#detail .url")
        assert no_dialog(browser, wait=LATE)
        assert not browser.find_elements("css selector", "a[href^='javascript']")
        pwned, scripts = browser.execute_script(PROBE)
        assert pwned is None and scripts == ["application/json", "inline"]
        screenshot(browser, "report-hostile-file")
