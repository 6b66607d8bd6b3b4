"""The per-rule trace of a decision: how each provision fared on the scenario.

For every provision of the instrument under the readings used: whether its condition holds, fails
or is left open by the scenario, which of its conditions fail or are open, which exceptions defeat
it, and whether it decided. Explanations, why-not, coverage and reports read the trace instead of
evaluating conditions again. A trace is built on first read, so a decision nobody inspects costs
nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

import attrs

from .conditions import All, Condition, evaluate, to_data
from .outcomes import Named
from .rendering import shown
from .vocabulary import Value, Vocabulary


class RuleStatus(Named):
    """Whether a provision's condition holds on the scenario."""

    HOLDS = "holds"
    FAILS = "fails"
    OPEN = "open"


def conjuncts(cond: Condition) -> tuple[Condition, ...]:
    """The top-level parts of a condition that must all hold."""
    return cond.parts if isinstance(cond, All) and cond.parts else (cond,)


@attrs.frozen
class RuleTrace:
    """How one provision fared: status, failing and open conditions, defeat, and whether it decided."""

    rule: str
    effect: str
    status: RuleStatus
    failing: tuple[Condition, ...] = ()
    open: tuple[Condition, ...] = ()
    defeated_by: tuple[str, ...] = ()
    deciding: bool = False
    conditions: tuple[tuple[Condition, bool | None], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; conditions in the policy-file condition language."""
        return {"rule": self.rule, "effect": self.effect, "status": str(self.status),
                "failing": [to_data(c) for c in self.failing], "open": [to_data(c) for c in self.open],
                "defeated_by": list(self.defeated_by), "deciding": self.deciding}


@shown("trace", "html")
class Trace(Sequence[RuleTrace]):
    """The rule traces of one decision, in file order, built on first read."""

    __slots__ = ("_build", "_rows")

    def __init__(self, build: Callable[[], tuple[RuleTrace, ...]] | None = None) -> None:
        self._build = build
        self._rows: tuple[RuleTrace, ...] | None = None if build else ()

    def _all(self) -> tuple[RuleTrace, ...]:
        if self._rows is None:
            assert self._build is not None
            self._rows = self._build()
        return self._rows

    @overload
    def __getitem__(self, index: int) -> RuleTrace: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[RuleTrace]: ...

    def __getitem__(self, index: int | slice) -> RuleTrace | Sequence[RuleTrace]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[RuleTrace]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"Trace({len(self)} rules)" if self._rows is not None or self._build else "Trace()"

    def rule(self, rule_id: str) -> RuleTrace | None:
        """The trace of one provision, or None when it is not part of the instrument under these readings."""
        return next((row for row in self._all() if row.rule == rule_id), None)


def build(rules: Sequence[Any], scenario: Mapping[str, Value], vocab: Vocabulary,
          deciding: Sequence[str], defeated: Mapping[str, Sequence[str]]) -> tuple[RuleTrace, ...]:
    """Trace `rules` (the instrument's, under the readings used) on the scenario."""
    decided = set(deciding)
    out = []
    for rule in rules:
        parts = tuple((part, evaluate(part, scenario, vocab)) for part in conjuncts(rule.condition))
        truth = evaluate(rule.condition, scenario, vocab)
        status = RuleStatus.OPEN if truth is None else RuleStatus.HOLDS if truth else RuleStatus.FAILS
        out.append(RuleTrace(
            rule=rule.id, effect=rule.effect, status=status,
            failing=tuple(p for p, t in parts if t is False) if status is RuleStatus.FAILS else (),
            open=tuple(p for p, t in parts if t is None), defeated_by=tuple(defeated.get(rule.id, ())),
            deciding=rule.id in decided, conditions=parts))
    return tuple(out)
