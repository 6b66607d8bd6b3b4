"""Every case of every scenario suite: its standard explanation names each deciding provision with a source.

For each case of `policyengine.testing.suites.all_cases(pe.bundled())` the decision is explained with `pe.explain` at the
standard level; the text must name every deciding provision with its quote and the URL, title and date
of its source (low confidence marked), or, when no provision decides, say so. Cases are discovered
from scenarios/suites, so a new suite or case is covered without editing this module.
"""

from __future__ import annotations

import pytest

import policyengine as pe
from policyengine import registry
from policyengine.explanation.why import verdict_words
from policyengine.testing.suites import Case, all_cases

pytestmark = pytest.mark.slow  # every case of every suite explained

CASES = all_cases(pe.bundled())


def flat(text: str) -> str:
    """The text with every run of whitespace made one space (undoes the wrapping at 100 columns)."""
    return " ".join(text.split())


def case_id(case: Case) -> str:
    """`biden-2022:transfer-apl-for-destruction@biden-2022.yaml:12`."""
    return f"{case.policy}:{case.label}@{case.where.rsplit('/', 1)[-1]}"


def test_there_are_cases_for_every_suite_instrument():
    """The suites hold cases, at least for biden-2022 and trump-2020."""
    assert {"biden-2022", "trump-2020"} <= {case.policy for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_explanation_names_its_deciding_provisions_and_sources(case: Case):
    """The explanation states the verdict and cites each deciding provision in full, or says none applies."""
    decision = pe.evaluate(case.fields, policy=case.policy, interpretation=case.interpretation or None)
    text = pe.explain(decision)
    words = flat(text)
    verdict = verdict_words(decision.verdict, decision.reason).upper()
    assert text.splitlines()[0] == f"{case.policy}: {verdict}"
    judge = registry.evaluator(case.policy)
    for rule in decision.deciding_rules:
        cited = judge.citation(rule, decision.interpretation)
        assert f"- {rule} " in words, rule
        assert flat(cited.quoted()) in words, rule  # in quotation marks, or marked as a paraphrase
        assert cited.url in words, rule
        assert flat(cited.source_title) in words, rule
        if cited.date:
            assert cited.date.isoformat() in words, rule
        if cited.confidence == "low":
            assert "LOW CONFIDENCE" in words, rule
    if not decision.deciding_rules:
        assert decision.verdict == "not_addressed"
        assert ("no provision of the instrument applies" in words
                or "it falls outside what the instrument covers" in words), words
