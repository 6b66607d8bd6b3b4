"""Position claims answer exactly as `evaluate_on`, the one implementation of layering, over their space."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable

import pytest

import policyengine as pe
from policyengine import claim
from policyengine.analysis.claims import Answer, ClaimResult, parse_claim
from policyengine.analysis.claims.check import _question
from policyengine.core.outcomes import ALLOWING, Verdict
from policyengine.core.space import ValueClass

INHERITED_BAN = ("on 2022-06-21, US policy prohibits activity is use and mine is anti_vehicle and persistence is "
                 "persistent and location is elsewhere")
SILENT_TRANSFER = ("on 2026-01-15, US policy permits activity is transfer and mine is anti_personnel and purpose "
                   "is combat and recipient is state")
DATED = [INHERITED_BAN, SILENT_TRANSFER,
         "on 2016-03-01, US policy prohibits activity is use and mine is anti_personnel and location is elsewhere",
         "on 2021-03-01, US policy permits activity is use and mine is anti_personnel",
         "on 1997-06-01, US policy prohibits activity is use and mine is anti_personnel and persistence is "
         "non_persistent and self_destruct_days is at least 31"]
SAMPLES = 2  # scenarios drawn at random inside each cell
#: the claims whose spaces take seconds: the fast tier checks the last two of DATED
SLOW = tuple(DATED[:3])


@pytest.fixture(scope="module")
def checked() -> Callable[[str], ClaimResult]:
    """`checked(text)`: the checker's result for a claim, checked once for the module."""
    return functools.cache(claim)


def _value(spec_type: str, value_class: ValueClass, rng: random.Random):
    """A random value of one class of a field's values."""
    if value_class.values:
        return rng.choice(value_class.values)
    low = value_class.low if value_class.low is not None else value_class.high
    high = value_class.high if value_class.high is not None else low + 90
    return low + rng.randint(0, high - low) if spec_type == "integer" else value_class.representative


class TestIssueClaims:
    """The two dated claims the checker used to answer from its own layering."""

    @pytest.mark.slow  # its space takes seconds to search
    def test_an_inherited_ban_makes_the_claim_true(self, checked):
        """biden-2022 leaves trump-2020's ban on persistent anti-vehicle mines standing: TRUE, by T20 provisions."""
        found = checked(INHERITED_BAN)
        assert found.answer is Answer.TRUE
        assert found.provisions and all(r.startswith("T20-") for r in found.provisions)
        on = pe.evaluate_on({"activity": "use", "mine": "anti_vehicle", "persistence": "persistent",
                             "location": "elsewhere"}, "2022-06-21")
        assert on.verdict == "prohibited" and set(on.deciding_rules) <= set(found.provisions)

    @pytest.mark.slow  # its space takes seconds to search
    def test_a_treaty_permission_is_not_a_us_permission(self, checked):
        """Where US policy is silent, a treaty's permission does not make the claim true: FALSE under every
        reading, with the provisions of the example that shows it."""
        found = checked(SILENT_TRANSFER)
        assert found.answer is Answer.FALSE and found.example is not None and found.provisions
        assessment = found.example.assessment
        assert assessment.verdict not in ALLOWING
        assert tuple(found.provisions) == tuple(assessment.deciding_rules)


class TestAgreesWithEvaluateOn:
    """Over the whole space of a dated claim, each cell's position is evaluate_on's, and so is the answer."""

    @pytest.mark.parametrize("text", [pytest.param(t, marks=pytest.mark.slow) if t in SLOW else t for t in DATED])
    def test_every_cell_and_the_answer(self, text, checked):
        """Random scenarios drawn inside every cell get the cell's position from evaluate_on, under every
        reading; the claim's answer is the one those positions give."""
        corpus = pe.bundled()
        vocab = corpus.vocabulary
        parsed = parse_claim(text, vocab)
        question = _question(parsed, corpus)
        rng = random.Random(19)
        answers = []
        for selection in question.readings:
            space, key = question.build(dict(selection))
            verdicts = []
            for cell in space.cells:
                if cell.outcomes[-1].verdict != Verdict.PERMITTED:  # outside the claim's conditions
                    continue
                expected = key(cell)[0]
                verdicts.append(expected)
                for _ in range(SAMPLES):
                    scenario = {f: _value(vocab.fields[f].type, space.classes[f][rng.choice(sorted(chosen))], rng)
                                for f, chosen in cell.box.items()}
                    if vocab.contradiction(scenario) is not None:
                        continue
                    got = pe.evaluate_on(scenario, parsed.date, dict(selection))
                    assert got.verdict == expected, (selection, scenario)
            assert verdicts
            answers.append(any(v in ALLOWING for v in verdicts) if parsed.permits
                           else all(v == Verdict.PROHIBITED for v in verdicts))
        found = checked(text)
        if len(set(answers)) == 1:
            assert found.answer is (Answer.TRUE if answers[0] else Answer.FALSE)
        else:
            assert found.answer is Answer.DEPENDS_ON_READING
