"""Fuzzing: whatever the policy file or the scenario, the library answers or raises PolicyEngineError.

Policy files are fuzzed three ways: arbitrary bytes, arbitrary YAML-ish text, and a valid policy with
one value anywhere replaced by a hostile one (lists, mappings, huge or odd numbers, control
characters, extreme dates, deep nesting). Scenarios and interpretations are fuzzed through
`pe.evaluate`, `pe.evaluate_many` and the command line's field=value parser. A policy that loads
must decide like the reference evaluator. Example counts are capped so that CI stays fast.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyengine as pe
from policyengine.cli import app as cli
from policyengine.core.errors import PolicyEngineError, ScenarioError
from policyengine.testing.strategies import scenarios

# 3/40 of the profile's examples: 150 under 'thorough'
FUZZ = settings(max_examples=max(1, settings.default.max_examples * 3 // 40),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
BASE = yaml.safe_load((Path(__file__).parent.parent / "fixtures" / "good" / "full.yaml").read_text(encoding="utf-8"))
VOCAB = pe.vocabulary()

hostile_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**17, max_value=10**40),
    st.floats(allow_nan=True), st.text(max_size=30),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x9f), max_size=10),
    st.sampled_from(["--5", "1e3", "0x10", " 30 ", "use\n", "\x1b[2J", "0001-01-01", "9999-12-31",
                     "anti_personnel", "use", "S1", "F-1", "high", "low", "prohibited"]),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
)
hostile = st.recursive(hostile_scalars,
                       lambda inner: st.one_of(st.lists(inner, max_size=4),
                                               st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                       max_leaves=12)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside a loaded YAML document."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += paths(value, (*prefix, index))
    return out


BASE_PATHS = paths(BASE)[1:]


def replaced(doc: Any, path: tuple, value: Any) -> Any:
    """A copy of `doc` with the value at `path` replaced."""
    out = copy.deepcopy(doc)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def loads_or_fails_cleanly(path: Path) -> pe.Evaluator | None:
    """Load with pe.load_policy: the evaluator, or None after a PolicyEngineError naming the file."""
    try:
        return pe.Evaluator.of(pe.load_policy(path))
    except PolicyEngineError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert "\n" not in str(exc) and len(str(exc)) < 1500
        return None


def decides_like_the_reference(judge: pe.Evaluator) -> None:
    """A few complete scenarios: the engine (memo and every-call) and the reference agree."""
    for activity in ("use", "destroy", "transfer"):
        for mine in ("anti_personnel", "mixed_system"):
            scenario = VOCAB.validate({
                "activity": activity, "mine": mine, "authorization": "president", "self_destruct_days": 30,
                "detectable": True, "delivery": "hand_emplaced", "condition": "serviceable",
                "date": dt.date(2021, 1, 1), "location": "elsewhere", "persistence": "non_persistent"})
            if not judge.is_complete(scenario):
                continue
            want = judge.evaluate(scenario, matcher="reference")
            for matcher in ("auto", "engine"):
                got = judge.evaluate(scenario, matcher=matcher)
                assert (got.verdict, got.deciding_rules) == (want.verdict, want.deciding_rules)


class TestPolicyFiles:
    """Any policy file loads, or fails in one PolicyEngineError that names it; never a traceback."""

    @FUZZ
    @given(data=st.binary(max_size=400))
    def test_arbitrary_bytes(self, tmp_path_factory: Any, data: bytes) -> None:
        """Bytes of any kind (binary, non-UTF-8, NUL) end cleanly."""
        path = tmp_path_factory.mktemp("fuzz") / "policy.yaml"
        path.write_bytes(data)
        loads_or_fails_cleanly(path)

    @FUZZ
    @given(text=st.text(alphabet=st.sampled_from(list("{}[]:,-&*!|>'\"#\n ?%@`ab1\t")), max_size=200))
    def test_arbitrary_yaml_syntax(self, tmp_path_factory: Any, text: str) -> None:
        """Text made of YAML's special characters (anchors, aliases, tags, flow, block) ends cleanly."""
        path = tmp_path_factory.mktemp("fuzz") / "policy.yaml"
        path.write_text(text, encoding="utf-8")
        loads_or_fails_cleanly(path)

    @pytest.mark.slow
    @FUZZ
    @given(where=st.sampled_from(BASE_PATHS), value=hostile)
    def test_one_hostile_value(self, tmp_path_factory: Any, where: tuple, value: Any) -> None:
        """A valid policy with one value replaced loads and decides like the reference, or fails cleanly,
        and `policyengine check` says the same."""
        path = tmp_path_factory.mktemp("fuzz") / "policy.yaml"
        path.write_text(yaml.safe_dump(replaced(BASE, where, value), allow_unicode=False), encoding="utf-8")
        judge = loads_or_fails_cleanly(path)
        assert cli.main(["check", str(path)]) == (0 if judge is not None else 2)
        if judge is not None:
            decides_like_the_reference(judge)
            judge.matcher.close()


class TestScenarios:
    """Any scenario or interpretation is decided, or refused with a ScenarioError; never a traceback."""

    @pytest.mark.slow
    @FUZZ
    @given(scenario=st.dictionaries(st.one_of(st.sampled_from(VOCAB.names), st.text(max_size=10)),
                                    hostile, max_size=8),
           policy=st.sampled_from(["biden-2022", "ottawa", "clinton-1996"]))
    def test_hostile_scenarios(self, scenario: dict, policy: str) -> None:
        """Unknown fields, wrong types, huge numbers and odd dates end in a ScenarioError."""
        try:
            decision = pe.evaluate(scenario, policy)
        except ScenarioError:
            return
        assert decision.verdict in ("permitted", "prohibited", "required", "not_addressed", "conflict", "conditional")

    @FUZZ
    @given(interpretation=hostile)
    def test_hostile_interpretations(self, interpretation: Any) -> None:
        """An interpretation of any shape is used or refused with a ScenarioError."""
        try:
            pe.evaluate({"activity": "use", "mine": "anti_personnel"}, "biden-2022", interpretation)
        except ScenarioError:
            pass

    @FUZZ
    @given(pairs=st.lists(st.text(max_size=20), max_size=5))
    def test_command_line_pairs(self, pairs: list[str]) -> None:
        """field=value words of any text parse or fail with a ScenarioError."""
        try:
            VOCAB.parse_pairs(pairs)
        except ScenarioError:
            pass

    @pytest.mark.slow
    @FUZZ
    @given(batch=st.lists(scenarios(), min_size=1, max_size=5))
    def test_evaluate_many_equals_one_by_one(self, batch: list[dict]) -> None:
        """evaluate_many gives the decisions evaluate gives, in order."""
        many = list(pe.evaluate_many(batch, "trump-2020"))
        single = [pe.evaluate(s, "trump-2020") for s in batch]
        assert [(d.verdict, d.deciding_rules) for d in many] == [(d.verdict, d.deciding_rules) for d in single]
