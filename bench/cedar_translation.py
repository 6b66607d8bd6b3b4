"""A policyengine instrument translated to Cedar, and Cedar's answer mapped back to a decision.

The translation is mechanical, from the loaded policy model, under the instrument's default readings:

* the scope becomes one policy (`permit ... when { <scope> }`), listed first;
* every rule version that holds under the default readings becomes one policy whose condition is
  the rule's own condition (its dates included) and the negation of each rule that is an exception
  to it, so a provision stands in Cedar exactly when it applies and nothing defeats it;
* scenario values are encoded as the engine encodes them: ordered enumerations as their rank,
  dates as day numbers, everything else as itself.

Cedar then answers which provisions stand (its `reasons`). The last step, standing provisions ->
verdict, is the same few lines policyengine applies after durable_rules (prohibitions alone
prohibit; otherwise `required` before `permitted`; both kinds standing is a conflict). Cedar's own
forbid-overrides-permit is not used for that step because a denial lists only the forbids, and a
conflict must name both sides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policyengine.core.conditions import All, Any_, Condition, Defined, Not, Test
from policyengine.core.engine import encode_value
from policyengine.core.model import Policy
from policyengine.core.semantics import NO_RULE, OUT_OF_SCOPE, scope_definition_ids
from policyengine.core.vocabulary import Vocabulary


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


def condition(cond: Condition, vocab: Vocabulary) -> str:
    """One condition as a Cedar expression over `context`."""
    if isinstance(cond, Test):
        field = f"context.{cond.field}"
        values = [_literal(encode_value(vocab, cond.field, v)) for v in cond.values]
        if cond.op == "in":
            return "(" + " || ".join(f"{field} == {v}" for v in values) + ")"
        if cond.op == "not_in":
            return "(" + " && ".join(f"{field} != {v}" for v in values) + ")"
        return f"({field} {'>=' if cond.op == 'gte' else '<='} {values[0]})"
    if isinstance(cond, All):
        return "(" + " && ".join(condition(p, vocab) for p in cond.parts) + ")" if cond.parts else "true"
    if isinstance(cond, Any_):
        return "(" + " || ".join(condition(p, vocab) for p in cond.parts) + ")" if cond.parts else "false"
    if isinstance(cond, Not):
        return f"(!{condition(cond.part, vocab)})"
    assert isinstance(cond, Defined)
    return condition(cond.body, vocab)


class CedarInstrument:
    """One instrument as a Cedar policy set, with the request encoding and the mapping back."""

    def __init__(self, policy: Policy, vocab: Vocabulary) -> None:
        import cedarpy  # the [bench] extra

        self.policy = policy
        self.vocab = vocab
        selection = policy.default_selection
        self.rules = [r for r in policy.rules if r.holds_under(selection)]
        texts = [f"permit(principal, action, resource) when {{ {condition(policy.scope, vocab)} }};"]
        for rule in self.rules:
            parts = [condition(rule.condition, vocab)]
            parts += [f"(!{condition(e.condition, vocab)})" for e in self.rules if rule.id in e.exception_to]
            texts.append(f"permit(principal, action, resource) when {{ {' && '.join(parts)} }};")
        self.source = "\n".join(texts)
        self._cedarpy = cedarpy
        self._policies = cedarpy.PolicySet.from_str(self.source)
        self._entities = cedarpy.Entities.from_json_str("[]")

    def request(self, scenario: Mapping[str, Any]) -> dict:
        """The Cedar request for a complete scenario (every vocabulary field given)."""
        context = {name: encode_value(self.vocab, name, scenario[name]) for name in self.vocab.fields}
        return {"principal": 'User::"analyst"', "action": 'Action::"decide"', "resource": 'Scenario::"s"',
                "context": context}

    def authorize(self, request: dict) -> Any:
        """Cedar's answer for one request (pre-parsed policies and entities: Cedar's fastest path)."""
        return self._cedarpy.is_authorized(request, self._policies, self._entities)

    def decision(self, answer: Any) -> tuple[str, str | None, tuple[str, ...]]:
        """(verdict, reason, deciding rule ids) from Cedar's answer."""
        if answer.diagnostics.errors:
            raise RuntimeError(f"Cedar reported errors: {answer.diagnostics.errors}")
        standing_index = sorted(int(r[len("policy"):]) for r in answer.diagnostics.reasons)
        if not standing_index or standing_index[0] != 0:
            return "not_addressed", OUT_OF_SCOPE, scope_definition_ids(self.policy)
        standing = [self.rules[i - 1] for i in standing_index[1:]]
        if not standing:
            return "not_addressed", NO_RULE, ()
        effects = {r.effect for r in standing}
        ids = tuple(dict.fromkeys(r.id for r in standing))
        if effects == {"prohibited"}:
            return "prohibited", None, ids
        if "prohibited" not in effects:
            verdict = "required" if "required" in effects else "permitted"
            return verdict, None, tuple(dict.fromkeys(r.id for r in standing if r.effect == verdict))
        if self.policy.resolution == "prohibition_overrides":
            return "prohibited", "prohibition_overrides", tuple(
                dict.fromkeys(r.id for r in standing if r.effect == "prohibited"))
        return "conflict", None, ids
