"""The explorer over HTTP: loopback by default, every instrument answers, the query is the scenario."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

import policyengine as pe
from policyengine.cli.app import build_parser

APL_USE = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent", "location": "korean_dmz"}


def get(url: str) -> tuple[int, str]:
    """Status and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def verdicts(html: str) -> dict[str, str]:
    """Instrument -> verdict shown on the page."""
    return dict(re.findall(r'<tr data-policy="([^"]+)">.*?data-verdict="([^"]+)"', html, re.DOTALL))


class TestServe:
    """`policyengine serve` answers on 127.0.0.1 with the library's answers."""

    def test_loopback_by_default(self):
        """Without --host the explorer binds 127.0.0.1, on port 8000 unless --port says otherwise."""
        args = build_parser().parse_args(["serve"])
        assert (args.host, args.port) == ("127.0.0.1", 8000)
        assert build_parser().parse_args(["serve", "--port", "8765"]).port == 8765

    def test_every_instrument_answers(self, server):
        """Each instrument's row shows the verdict the library gives for the scenario in the query."""
        status, html = get(f"{server}/?{urllib.parse.urlencode(APL_USE)}")
        assert status == 200
        assert verdicts(html) == {p.id: pe.evaluate(APL_USE, policy=p.id).verdict for p in pe.policies()}

    def test_us_position_on_the_date(self, server):
        """The US position is the one evaluate_on gives for the date in the query."""
        status, html = get(f"{server}/?{urllib.parse.urlencode({**APL_USE, 'on': '2023-01-01'})}")
        expected = pe.evaluate_on(APL_USE, "2023-01-01")
        assert status == 200
        assert f'id="position" data-verdict="{expected.verdict}"' in html
        assert f"under {expected.deciding_policy}" in html

    def test_a_reading_changes_the_answer(self, server):
        """Choosing the literal reading of b22-2-korea makes the ROK transfer prohibited by B22-2."""
        fields = {"activity": "transfer", "mine": "anti_personnel", "location": "south_korea",
                  "purpose": "defense_of_korea"}
        _, default = get(f"{server}/?{urllib.parse.urlencode(fields)}")
        _, literal = get(f"{server}/?{urllib.parse.urlencode({**fields, 'reading.b22-2-korea': 'literal'})}")
        expected = pe.evaluate(fields, policy="biden-2022", interpretation={"b22-2-korea": "literal"})
        assert (expected.verdict, expected.deciding_rules) == ("prohibited", ("B22-2",))
        assert verdicts(default)["biden-2022"] == pe.evaluate(fields, policy="biden-2022").verdict
        assert verdicts(literal)["biden-2022"] == "prohibited"
        assert '<option value="literal" title=' in literal and "selected>literal</option>" in literal

    def test_unknown_reading_is_reported(self, server):
        """A reading an interpretation does not have is a 400 listing the readings it has."""
        status, html = get(f"{server}/?activity=use&reading.b22-2-korea=bogus")
        assert status == 400 and "expected one of: framing, literal" in html

    def test_every_field_has_a_control(self, server):
        """Every field of the vocabulary can be set on the page."""
        _, html = get(f"{server}/")
        for name in pe.vocabulary().names:
            assert f'name="{name}"' in html

    def test_bad_value_is_reported_with_the_choices(self, server):
        """An unknown value in the address is a 400 page listing the valid values."""
        status, html = get(f"{server}/?mine=bogus")
        assert status == 400
        assert "unknown value &#39;bogus&#39; for field &#39;mine&#39;" in html and "anti_vehicle" in html

    def test_date_before_any_instrument(self, server):
        """A date before the first instrument says so instead of an empty position."""
        _, html = get(f"{server}/?activity=use&on=1980-01-01")
        assert "no instrument was in force on 1980-01-01" in html

    def test_htmx_is_served_from_the_package(self, server):
        """The page loads htmx, and the few lines that keep empty fields out of the address, from the
        explorer itself; htmx is the vendored file."""
        _, html = get(f"{server}/")
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
        assert scripts == ["/static/htmx.min.js", "/static/explorer.js"]
        status, body = get(f"{server}/static/htmx.min.js")
        assert status == 200 and "htmx" in body[:2000]
        status, body = get(f"{server}/static/explorer.js")
        assert status == 200 and "htmx:configRequest" in body


def test_your_own_policy_file_beside_the_instruments(serve_with):
    """`serve --with FILE` shows a policy file of your own beside the bundled instruments."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "fixtures" / "good" / "minimal.yaml"
    with serve_with("--with", str(path)) as base:
        _, html = get(f"{base}/?activity=use&mine=anti_personnel")
    assert verdicts(html)["good-minimal"] == "prohibited"
    assert set(verdicts(html)) == {"good-minimal", *(p.id for p in pe.policies())}


def test_missing_extra_is_a_clear_error(monkeypatch):
    """Without Starlette the command says which extra to install."""
    import importlib
    import sys

    for name in [name for name in sys.modules if name.split(".")[0] == "starlette"] + ["starlette"]:
        monkeypatch.setitem(sys.modules, name, None)  # an earlier test may have imported its submodules
    monkeypatch.delitem(sys.modules, "policyengine.web.asgi", raising=False)
    with pytest.raises(pe.PolicyEngineError, match=r"\[serve\]"):
        importlib.import_module("policyengine.web.asgi")
