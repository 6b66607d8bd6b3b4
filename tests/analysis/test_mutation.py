"""Mutation test of the consistency check: mutants of the shipped instruments, and what fraction it catches.

Four kinds of mutant, made on the loaded model of each bundled file: an exception link dropped, a rule
duplicated under a new id, a condition widened (one conjunct removed) and a condition narrowed (a
list of values cut to its first). A mutant is caught when `check` reports a finding the original
does not have (a gap counts when the original addresses its witness). Mutants that change only which verdict a scenario gets, without making the
instrument inconsistent, are not catchable by a consistency check (they need scenario suites), so
the fraction is reported, not expected to be 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import attrs

import policyengine as pe
from policyengine.core import conditions
from policyengine.analysis.check import check
from policyengine.core.conditions import All, Any_, Condition
from policyengine.core.model import Policy, Rule

#: the share of mutants the check catches, measured when the check was written; a drop means it got weaker
FLOOR = 0.60


def _caught(original: Policy, mutant: Policy, before: Counter) -> bool:
    """True when the mutant has a finding the original lacks: a new gap is one the original addresses."""
    judge = pe.Evaluator.of(original)
    for finding in check(mutant, pe.vocabulary()):
        if finding.kind == "gap":
            if judge.evaluate(finding.witness).verdict != "not_addressed":
                return True
        elif (str(finding.kind), finding.rules, finding.when) not in before:
            return True
    return False


def _replace(policy: Policy, index: int, rule: Rule) -> Policy:
    rules = list(policy.rules)
    rules[index] = rule
    return attrs.evolve(policy, rules=tuple(rules))


def _narrowed(cond: Condition) -> Condition | None:
    """The condition with its first multi-valued `in` test cut to one value."""
    if isinstance(cond, conditions.Test) and cond.op == "in" and len(cond.values) > 1:
        return attrs.evolve(cond, values=cond.values[:1])
    if isinstance(cond, (All, Any_)):
        for i, part in enumerate(cond.parts):
            inner = _narrowed(part)
            if inner is not None:
                return type(cond)((*cond.parts[:i], inner, *cond.parts[i + 1:]))
    return None


def mutants(policy: Policy) -> Iterator[tuple[str, Policy]]:
    """Every mutant of one instrument, with its kind."""
    for i, rule in enumerate(policy.rules):
        if rule.exception_to:
            yield "dropped_exception", _replace(policy, i, attrs.evolve(rule, exception_to=()))
        copy = attrs.evolve(rule, id=f"{rule.id}.copy")
        yield "duplicated_rule", attrs.evolve(policy, rules=(*policy.rules, copy))
        cond = rule.condition
        if isinstance(cond, All) and len(cond.parts) > 1:
            for k in range(min(len(cond.parts), 3)):
                widened = All(cond.parts[:k] + cond.parts[k + 1:])
                yield "widened_condition", _replace(policy, i, attrs.evolve(rule, condition=widened))
        narrowed = _narrowed(cond)
        if narrowed is not None:
            yield "narrowed_condition", _replace(policy, i, attrs.evolve(rule, condition=narrowed))


class TestMutation:
    """The check catches a measured share of at least 200 mutants of the shipped files."""

    def test_caught_fraction(self, capsys):
        """Over all mutants of the ten instruments, the check reports something new for at least FLOOR of them."""
        made: Counter = Counter()
        caught: Counter = Counter()
        for policy in pe.bundled():
            before = Counter((str(f.kind), f.rules, f.when) for f in check(policy, pe.vocabulary()))
            for kind, mutant in mutants(policy):
                made[kind] += 1
                if _caught(policy, mutant, before):
                    caught[kind] += 1
        total, found = sum(made.values()), sum(caught.values())
        with capsys.disabled():
            print(f"\nmutation: {found} of {total} mutants caught ({found / total:.0%}); "
                  + ", ".join(f"{k} {caught[k]}/{made[k]}" for k in sorted(made)))
        assert total >= 200
        assert caught["duplicated_rule"] == made["duplicated_rule"]
        assert caught["dropped_exception"] > 0
        assert found / total >= FLOOR
