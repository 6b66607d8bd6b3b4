"""The explorer in a real browser: toggling a field updates every instrument's answer and the URL."""

from __future__ import annotations

import urllib.parse

import pytest

import policyengine as pe

UPDATE_WITHIN = 1.0  # seconds: the acceptance line of the explorer
APL_USE = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent", "location": "elsewhere"}


def verdict_of(driver, policy: str) -> str:
    """The verdict the page shows for one instrument."""
    return driver.find_element("css selector", f"tr[data-policy='{policy}'] td.verdict").get_attribute("data-verdict")


class TestToggle:
    """APL use: moving it from elsewhere to the Korean DMZ changes biden-2022's answer."""

    def test_location_to_korean_dmz_permits_under_biden_2022(self, browser, server, screenshot):
        """biden-2022 goes from prohibited (B22-3) to permitted (B22-6), as the library says, within a second."""
        from selenium.webdriver.support.select import Select
        from selenium.webdriver.support.ui import WebDriverWait

        before = pe.evaluate(APL_USE, policy="biden-2022")
        after = pe.evaluate({**APL_USE, "location": "korean_dmz"}, policy="biden-2022")
        assert (before.verdict, before.deciding_rules) == ("prohibited", ("B22-3",))
        assert (after.verdict, after.deciding_rules) == ("permitted", ("B22-6",))

        browser.get(f"{server}/?{urllib.parse.urlencode({**APL_USE, 'on': '2023-01-01'})}")
        assert verdict_of(browser, "biden-2022") == "prohibited"
        assert browser.find_element("css selector", "tr[data-policy='biden-2022'] td.rules").text == "B22-3"
        Select(browser.find_element("id", "f-location")).select_by_value("korean_dmz")
        from selenium.common.exceptions import StaleElementReferenceException

        # htmx may swap the row out between finding it and reading it: look again
        WebDriverWait(browser, UPDATE_WITHIN, poll_frequency=0.05,
                      ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: verdict_of(d, "biden-2022") == "permitted")
        assert browser.find_element("css selector", "tr[data-policy='biden-2022'] td.rules").text == "B22-6"
        position = browser.find_element("id", "position")
        assert position.get_attribute("data-verdict") == pe.evaluate_on(
            {**APL_USE, "location": "korean_dmz"}, "2023-01-01").verdict
        screenshot(browser, "explorer-korean-dmz")

    def test_url_holds_the_scenario(self, browser, server):
        """After a toggle the address bar holds the new scenario, and opening it shows the same answers."""
        from selenium.webdriver.support.select import Select
        from selenium.webdriver.support.ui import WebDriverWait

        browser.get(f"{server}/?{urllib.parse.urlencode(APL_USE)}")
        Select(browser.find_element("id", "f-location")).select_by_value("korean_dmz")
        WebDriverWait(browser, 10).until(lambda d: "location=korean_dmz" in d.current_url)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)
        assert query["location"] == ["korean_dmz"] and query["activity"] == ["use"]
        shared = browser.current_url
        browser.get("about:blank")
        browser.get(shared)
        assert verdict_of(browser, "biden-2022") == "permitted"
        assert Select(browser.find_element("id", "f-location")).first_selected_option.get_attribute("value") == \
            "korean_dmz"

    @pytest.mark.parametrize("policy", [p.id for p in pe.policies()])
    def test_every_instrument_is_shown(self, browser, server, policy):
        """Each instrument has a row with the verdict the library gives."""
        browser.get(f"{server}/?{urllib.parse.urlencode(APL_USE)}")
        assert verdict_of(browser, policy) == pe.evaluate(APL_USE, policy=policy).verdict
