"""The reference evaluator, the executable spec of ARCHITECTURE.md section 5.

Applicability: a rule applies when its condition (its `when` and its dates) holds. Defeat: an
applicable rule is defeated when an applicable rule lists it in `exception_to`. Combination: the
undefeated rules of one effect decide together (cumulative); different effects are a `conflict`
unless the instrument declares `prohibition_overrides`; `required` implies permitted; no rule is
`not_addressed`; outside `scope` is `not_addressed` with reason `out_of_scope`. Partial evaluation
(splitting a scenario's open fields on classes of values) lives in `space`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from .conditions import definitions_of, evaluate
from .model import Policy, Rule
from .outcomes import Reason, Verdict
from .vocabulary import Value, Vocabulary

OUT_OF_SCOPE = Reason.OUT_OF_SCOPE
NO_RULE = Reason.NO_RULE_APPLIES
OVERRIDE = Reason.PROHIBITION_OVERRIDES


@attrs.frozen
class Outcome:
    """What combining the applicable rules of one instrument gives."""

    verdict: Verdict
    reason: Reason | None
    deciding: tuple[str, ...]
    applicable: tuple[str, ...] = ()
    defeated: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def key(self) -> tuple[str, str | None, tuple[str, ...]]:
        """Verdict, reason and deciding rules: what tells two outcomes apart."""
        return (self.verdict, self.reason, self.deciding)


def scope_definition_ids(policy: Policy) -> tuple[str, ...]:
    """The definitions the instrument's scope rests on (cited when a scenario falls outside it)."""
    return tuple(dict.fromkeys(d.definition for d in definitions_of(policy.scope)))


def combine(policy: Policy, applicable: Sequence[Rule], in_scope: bool) -> Outcome:
    """Resolve defeat and combine effects over the applicable rules of one instrument."""
    if not in_scope:
        return Outcome(Verdict.NOT_ADDRESSED, OUT_OF_SCOPE, scope_definition_ids(policy))
    ids = tuple(dict.fromkeys(r.id for r in applicable))
    defeated: dict[str, list[str]] = {}
    for rule in applicable:
        for target in rule.exception_to:
            if target in ids:
                defeated.setdefault(target, []).append(rule.id)
    standing = [r for r in applicable if r.id not in defeated]
    defeats = tuple((k, tuple(v)) for k, v in defeated.items())
    if not standing:
        return Outcome(Verdict.NOT_ADDRESSED, NO_RULE, (), ids, defeats)
    effects = {r.effect for r in standing}
    if effects == {"prohibited"}:
        return Outcome(Verdict.PROHIBITED, None, _ids(standing), ids, defeats)
    if "prohibited" not in effects:
        verdict = Verdict.REQUIRED if "required" in effects else Verdict.PERMITTED
        return Outcome(verdict, None, _ids(r for r in standing if r.effect == verdict), ids, defeats)
    if policy.resolution == OVERRIDE:
        return Outcome(Verdict.PROHIBITED, OVERRIDE, _ids(r for r in standing if r.effect == "prohibited"), ids,
                       defeats)
    return Outcome(Verdict.CONFLICT, None, _ids(standing), ids, defeats)


def _ids(rules: Iterable[Rule]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.id for r in rules))


def active_rules(policy: Policy, selection: Mapping[str, str]) -> tuple[Rule, ...]:
    """The rules of the instrument under these interpretation readings."""
    return tuple(r for r in policy.rules if r.holds_under(selection))


def match(rules: Sequence[Rule], scenario: Mapping[str, Value], vocab: Vocabulary) -> list[Rule]:
    """The reference matcher: the rules whose condition certainly holds for the scenario."""
    return [r for r in rules if evaluate(r.condition, scenario, vocab) is True]
