"""Fuzzing the newer surfaces: claim text, exercise answer and scenario files, scenario suites, the
explorer's query strings and the pages' links. Whatever the input, the result is an answer, a
PolicyEngineError (naming where) or a 4xx response; never a traceback. After each hostile input the
library still gives its known answers (no state is damaged). Time bounds are measured in bench/,
never asserted here.
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyengine as pe
from policyengine import registry
from policyengine.core.errors import PolicyEngineError
from policyengine.exercises.catalogue import exercise
from policyengine.exercises.report import grade
from policyengine.testing.suites import load_suite, run_case
from policyengine.web.safety import link_target

# 3/100 and 1/100 of the profile's examples: 60 and 20 under 'thorough'
FUZZ = settings(max_examples=max(1, settings.default.max_examples * 3 // 100), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
FEW = settings(FUZZ, max_examples=max(1, settings.default.max_examples // 100))
VOCAB = pe.vocabulary()
KNOWN = [({"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction"}, "biden-2022",
          "permitted", ("B22-2.destruction",)),
         ({"activity": "use", "mine": "anti_personnel", "persistence": "persistent", "location": "korean_dmz"},
          "biden-2022", "prohibited", ("B04-2",))]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.sampled_from(["use", "anti_personnel", "true", "B22-2", "\x1b[2J", "javascript:alert(1)",
                                     "<script>alert(1)</script>", "9999-12-31", "depends_on_reading", "-1"]))
hostile = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                       max_leaves=8)
claim_words = st.sampled_from(
    ["under", "biden-2022", "apii", "ottawa", "the", "2014", "policy", "on", "2023-01-01", ",", "all", "no", "some",
     "scenarios", "where", "activity", "is", "use", "transfer", "mine", "anti_personnel", "and", "or", "not",
     "self_destruct_days", "at", "least", "most", "30", "are", "permitted", "prohibited", "us", "permits",
     "prohibits", "stricter", "than", "was", "in", "force", "nonsense", "'", "\x00", "é"])


def still_right() -> None:
    """The known answers are unchanged: hostile input left no damaged state behind."""
    for scenario, policy, verdict, deciding in KNOWN:
        decision = pe.evaluate(scenario, policy=policy)
        assert (decision.verdict, decision.deciding_rules) == (verdict, deciding)


def answered_or_refused(call: Any) -> Any:
    """`call()`'s result, or None after a one-line PolicyEngineError; anything else fails the test."""
    try:
        return call()
    except PolicyEngineError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 1500
        return None


@pytest.mark.slow
class TestClaims:
    """Any claim text is answered or refused with a PolicyEngineError."""

    @FEW
    @given(words=st.lists(claim_words, max_size=24))
    def test_word_salad(self, words: list[str]) -> None:
        """Words of the claim language in any order."""
        claim = pe.claim

        answered_or_refused(lambda: claim(" ".join(words)))
        still_right()

    @FEW
    @given(text=st.text(max_size=300))
    def test_any_text(self, text: str) -> None:
        """Arbitrary text, control characters included."""
        claim = pe.claim

        answered_or_refused(lambda: claim(text))


class TestExerciseFiles:
    """Any answer or scenario file is graded or refused with a PolicyEngineError naming it."""

    @FUZZ
    @given(answers=st.dictionaries(st.sampled_from(["q01", "q02", "q03", "x"]), hostile, max_size=3))
    def test_exercise_05_answers(self, tmp_path_factory: Any, answers: dict) -> None:
        """Exercise 05 (positions on dates) with hostile answers."""
        path = tmp_path_factory.mktemp("ex") / "answers.yaml"
        path.write_text(yaml.safe_dump({"answers": answers}), encoding="utf-8")
        answered_or_refused(lambda: grade(exercise("05"), path, pe.bundled()))

    @FEW
    @given(answers=st.dictionaries(st.sampled_from(["q01", "q02", "x"]),
                                   st.one_of(hostile, st.fixed_dictionaries(
                                       {"answer": hostile, "provision": hostile, "claim": hostile})), max_size=2))
    def test_exercise_06_answers(self, tmp_path_factory: Any, answers: dict) -> None:
        """Exercise 06 (claims) with hostile answers, claims included."""
        path = tmp_path_factory.mktemp("ex") / "answers.yaml"
        path.write_text(yaml.safe_dump({"answers": answers}), encoding="utf-8")
        answered_or_refused(lambda: grade(exercise("06"), path, pe.bundled()))
        still_right()

    @FUZZ
    @given(doc=st.one_of(hostile, st.fixed_dictionaries({"scenarios": st.lists(
        st.one_of(hostile, st.dictionaries(st.sampled_from(VOCAB.names), hostile, max_size=4)), max_size=4)})))
    def test_exercise_02_scenarios(self, tmp_path_factory: Any, doc: Any) -> None:
        """Exercise 02 (scenarios telling two instruments apart) with hostile scenario lists."""
        path = tmp_path_factory.mktemp("ex") / "scenarios.yaml"
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
        answered_or_refused(lambda: grade(exercise("02"), path, pe.bundled()))
        still_right()


class TestSuites:
    """Any case in a scenario suite is run or refused with a SuiteError naming its line."""

    @FUZZ
    @given(case=st.dictionaries(st.sampled_from(["scenario", "verdict", "deciding", "reason", "outcomes", "brief",
                                                 "interpretation", "with", "confidence", "name", "note"]),
                                hostile, max_size=6))
    def test_hostile_case(self, tmp_path_factory: Any, case: dict) -> None:
        """Each key of a case holding any value."""
        case = {"scenario": "transfer-apl-for-destruction", "verdict": "permitted", **case}
        path = tmp_path_factory.mktemp("suite") / "suite.yaml"
        path.write_text(yaml.safe_dump({"policy": "biden-2022", "cases": [case]}), encoding="utf-8")
        cases = answered_or_refused(lambda: load_suite(path, registry.bundled()))
        for loaded in cases or ():
            run_case(loaded, registry.bundled())


def asgi_get(app: Any, target: str, host: str = "127.0.0.1:8000") -> tuple[int, dict[str, str], str]:
    """One GET through the ASGI app (no network): status, headers and body."""
    parts = urllib.parse.urlsplit(target)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": urllib.parse.unquote(parts.path) or "/", "raw_path": (parts.path or "/").encode("latin-1"),
             "query_string": parts.query.encode("latin-1"), "root_path": "", "headers": [(b"host", host.encode())],
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000)}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def app() -> Any:
    """The explorer as an ASGI app bound (for its Host check) to 127.0.0.1:8000."""
    pytest.importorskip("starlette")
    from policyengine.web.asgi import create_app

    return create_app(registry.bundled(), "127.0.0.1", 8000)


query_keys = st.one_of(st.sampled_from([*VOCAB.names, "on", "reading.b22-2-korea", "reading.nothing"]),
                       st.text(max_size=8))
query_values = st.one_of(st.text(max_size=12), st.sampled_from(
    ["use", "anti_personnel", "persistent", "3", "-1", "1e99", "true", "2023-01-01", "0001-01-01", "literal"]))


class TestExplorer:
    """Any query string gets 200 or a 4xx with the security headers, and no script URL as a link."""

    @FUZZ
    @given(query=st.dictionaries(query_keys, query_values, max_size=6))
    def test_hostile_queries(self, app: Any, query: dict[str, str]) -> None:
        """Unknown fields, wrong values, contradictions, odd dates and readings."""
        status, headers, body = asgi_get(app, "/?" + urllib.parse.urlencode(query))
        assert status == 200 or 400 <= status < 500, body[:500]
        assert "content-security-policy" in headers
        assert not [h for h in re.findall(r'href="([^"]*)"', body) if not h.startswith(("http", "/", "#"))]
        still_right()

    @FUZZ
    @given(raw=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=80))
    def test_raw_query_strings(self, app: Any, raw: str) -> None:
        """A query string of any printable characters, unparsed."""
        status, _, body = asgi_get(app, "/?" + urllib.parse.quote(raw, safe="=&%+;"))
        assert status == 200 or 400 <= status < 500, body[:500]

    @FUZZ
    @given(host=st.text(max_size=30))
    def test_any_host_header(self, app: Any, host: str) -> None:
        """A Host header other than the bound address is answered 400, never 5xx."""
        status, _, _ = asgi_get(app, "/static/htmx.min.js", host=host.encode("utf-8", "replace").decode("latin-1"))
        assert status == (200 if host.lower() in ("127.0.0.1:8000", "localhost:8000", "127.0.0.1", "localhost")
                          else 400)


class TestLinks:
    """A source URL becomes a link only when it is an absolute http or https address."""

    @FUZZ
    @given(url=st.one_of(st.text(max_size=40), st.from_regex(r"\A[ \t]*[a-zA-Z]{1,10}:[^\n]{0,20}\Z")))
    def test_only_web_addresses_are_links(self, url: str) -> None:
        """Whatever the text, the link target is empty or an http(s) address with a host and no quote,
        space or control character that could leave the attribute."""
        target = link_target(url)
        if target:
            parts = urllib.parse.urlsplit(target)
            assert parts.scheme.lower() in ("http", "https") and parts.netloc
            assert not re.search(r"[\x00-\x20\"'<>`\\\\]", target)

    @FEW
    @given(url=st.text(max_size=30), title=st.text(max_size=30), quote=st.text(min_size=1, max_size=30))
    def test_hostile_source_in_the_explorer(self, tmp_path_factory: Any, url: str, title: str, quote: str) -> None:
        """A policy whose source has any URL, title and quote renders with no link but http(s) ones and
        no markup from the file."""
        from policyengine.web.serve import page

        base = yaml.safe_load((Path(__file__).parents[1] / "fixtures" / "good" / "full.yaml").read_text())
        for spec in base["sources"].values():
            spec.update(url=url, title=title)
        for rule in base["rules"]:
            rule["quote"] = quote
        path = tmp_path_factory.mktemp("fuzz") / "policy.yaml"
        path.write_text(yaml.safe_dump(base), encoding="utf-8")
        corpus = answered_or_refused(lambda: registry.bundled().with_policy(str(path)))
        if corpus is None:
            return
        html, status = page({"activity": "use", "mine": "anti_personnel"}, corpus)
        assert status == 200
        assert not [h for h in re.findall(r'href="([^"]*)"', html) if not h.startswith(("http", "/", "#"))]
        for text in (url, title, quote):
            if "<" in text:
                assert text not in html
