"""Shared fixtures: the bundled vocabulary, small purpose-built policy files written to tmp_path, and
claims checked once per session; the Hypothesis profiles and the tier each loads."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

import policyengine as pe
from policyengine import registry
from policyengine.analysis.claims import ClaimCase, ClaimOutcome

# the cache of the bundled instruments goes to a folder of the run's own, not the user's ~/.cache
os.environ.setdefault("POLICYENGINE_CACHE_DIR", tempfile.mkdtemp(prefix="policyengine-cache-"))

#: `pytester` runs a pytest session in this process (tests/testing/test_plugin.py)
pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).parent / "fixtures"
#: the claims from the news, which the plugin collects from scenarios/claims/ (each one a search of a space)
NEWS_CLAIMS = Path(__file__).resolve().parent.parent / "scenarios" / "claims"

#: The top of a minimal valid policy; `make_policy` adds in_force, scope, any extra keys and the rules.
HEADER = """\
id: test-policy
title: A purpose-built test policy
kind: executive_policy
binds_us: true
announced: 2020-01-01
sources:
  S1: {title: "Test source one", url: "https://example.org/s1", date: 2020-01-01, evidence: primary_seen}
  S2: {title: "Test source two", url: "https://example.org/s2", date: 2020-02-01, evidence: secondary}
"""
SCOPE = "{mine: [anti_personnel, mixed_system]}"
IN_FORCE = "{from: 2020-01-01, to: null}"


@pytest.fixture(scope="session")
def vocab():
    """The bundled scenario vocabulary (policies/vocabulary.yaml)."""
    return registry.vocabulary()


@pytest.fixture
def write_policy(tmp_path: Path) -> Callable[..., Path]:
    """Return `write_policy(text, name="policy.yaml")`: write dedented YAML to tmp_path, return the path."""

    def write(text: str, name: str = "policy.yaml") -> Path:
        """Write `text` (dedented) to tmp_path/name."""
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_policy(write_policy: Callable[..., Path]) -> Iterator[Callable[..., pe.Evaluator]]:
    """Return `make_policy(rules, extra="", scope=SCOPE, in_force=IN_FORCE)`: a loaded Evaluator.

    `rules` is the YAML list of rules (dedented), `extra` more top-level keys (resolution,
    definitions, interpretations ...), `scope` the scope condition, `in_force` the in_force mapping.
    """
    made: list[pe.Evaluator] = []

    def make(rules: str, extra: str = "", scope: str = SCOPE, in_force: str = IN_FORCE,
             name: str = "policy.yaml") -> pe.Evaluator:
        """Write the policy and load it with pe.load_policy."""
        text = (HEADER + f"in_force: {in_force}\nscope: {scope}\n" + textwrap.dedent(extra) + "rules:\n"
                + textwrap.indent(textwrap.dedent(rules), "  "))
        judge = pe.Evaluator.of(pe.load_policy(write_policy(text, name)))
        made.append(judge)
        return judge

    yield make
    for judge in made:  # release the C rulesets the tests compiled
        matcher = getattr(judge, "_matcher", None)
        if matcher is not None:
            matcher.close()


@pytest.fixture(scope="session")
def claims_checked() -> dict[ClaimCase, tuple[object, ClaimOutcome]]:
    """Each claim checked in this session, by its case: the corpus and the outcome."""
    return {}


@pytest.fixture
def check_each_claim_once(claims_checked: dict, monkeypatch: pytest.MonkeyPatch) -> Callable[[ModuleType], None]:
    """Return `once(module)`: the module's `run_claim` checks each claim once per session and corpus (the
    news claims take seconds, and several tests check what a command or a folder makes of them)."""

    def once(module: ModuleType) -> None:
        """Patch `module.run_claim` for this test."""
        real = module.run_claim

        def run_claim(case: ClaimCase, corpus: object) -> ClaimOutcome:
            if case not in claims_checked or claims_checked[case][0] is not corpus:
                claims_checked[case] = (corpus, real(case, corpus))
            return claims_checked[case][1]

        monkeypatch.setattr(module, "run_claim", run_claim)

    return once


# Hypothesis profiles (tests/README.md): `default` for `pytest`, `quick` for the fast tier (-m "not slow"),
# `thorough` (the counts the suite ran before it had tiers) and `dev` chosen with HYPOTHESIS_PROFILE.
# pytest_configure loads one before any test module is imported; a module that needs fewer examples
# than the profile's sets `max_examples` to a fixed fraction of `settings.default.max_examples`.
_DETERMINISTIC = {"deadline": None, "derandomize": True, "database": None,
                  "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("default", max_examples=100, **_DETERMINISTIC)
settings.register_profile("quick", max_examples=25, **_DETERMINISTIC)
settings.register_profile("thorough", max_examples=2000, **_DETERMINISTIC)
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive a browser (the `browser` fixture of tests/web), and the claims from the news in
    scenarios/claims/, are slow."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or item.path.is_relative_to(NEWS_CLAIMS):
            item.add_marker(pytest.mark.slow)


def pytest_configure(config: pytest.Config) -> None:
    """Load the Hypothesis profile HYPOTHESIS_PROFILE names; without it, 'quick' for the fast tier
    (`-m "not slow"`) and 'default' otherwise."""
    fast = "not slow" in (config.getoption("markexpr") or "")
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("quick" if fast else "default")
    os.environ["HYPOTHESIS_PROFILE"] = name  # for modules that read it (tests/analysis/test_diff.py)
    settings.load_profile(name)
