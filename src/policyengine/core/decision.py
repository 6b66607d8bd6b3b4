"""What an evaluation returns: a Decision (one instrument) and an Assessment (a date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .conditions import Condition, describe_part, to_data
from .outcomes import FlagKind, Reason, Verdict
from .rendering import shown
from .trace import Trace


def _reason(value: str | None) -> Reason | None:
    return None if value is None else Reason(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@shown("citation", "repr", "html")
def quoted(provision: str, words: str, paraphrase: bool = False) -> str:
    """`“words”`, or `paraphrase, not the words of APII-3: words` when they are not the provision's own."""
    return f"paraphrase, not the words of {provision}: {words}" if paraphrase else f"\u201c{words}\u201d"


@attrs.frozen
class Citation:
    """Where a provision comes from: quote, source, URL, date and evidence tag."""

    rule: str
    title: str
    quote: str
    source: str
    source_title: str
    url: str
    date: dt.date | None
    evidence: str
    confidence: str = "high"
    note: str = ""
    inherited_from: str | None = None
    #: the quoted words are not the provision's own; they are shown as a paraphrase, never in quotation marks
    paraphrase: bool = False

    def quoted(self) -> str:
        """The words in quotation marks, or marked as a paraphrase when they are not the provision's."""
        return quoted(self.rule, self.quote, self.paraphrase)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {k: _plain(v) for k, v in attrs.asdict(self).items()}


@shown("flag", "repr")
@attrs.frozen
class Flag:
    """Something a reader must know about a decision: low confidence, an interpretation, dates."""

    kind: FlagKind = attrs.field(converter=FlagKind)
    subject: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"kind": str(self.kind), "subject": self.subject, "message": self.message}


@shown("residual", "repr")
@attrs.frozen
class Residual:
    """One possible outcome of a conditional decision and the conditions under which it holds."""

    verdict: Verdict = attrs.field(converter=Verdict)
    deciding_rules: tuple[str, ...]
    when: tuple[tuple[Condition, ...], ...]  # alternatives, each a conjunction
    reason: Reason | None = attrs.field(default=None, converter=_reason)

    def describe(self) -> str:
        """The conditions as text, e.g. `authorization >= secretary_of_defense and ...`."""
        alternatives = [" and ".join(describe_part(c) for c in conj) or "always" for conj in self.when]
        if len(alternatives) == 1:
            return alternatives[0]
        return " or ".join(f"({a})" for a in alternatives)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; `when` is a list of alternatives in the policy-file condition language."""
        return {
            "verdict": self.verdict,
            "reason": self.reason,
            "deciding_rules": list(self.deciding_rules),
            "when": [[to_data(c) for c in conj] for conj in self.when],
            "text": self.describe(),
        }


@shown("decision", "repr", "str", "html", "rich")
@attrs.frozen
class Decision:
    """The answer of one instrument to one scenario, with the provisions that decided it."""

    verdict: Verdict
    reason: Reason | None
    policy: str
    deciding_rules: tuple[str, ...]
    applicable_rules: tuple[str, ...] = ()
    defeated_rules: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    residual: tuple[Residual, ...] = ()
    flags: tuple[Flag, ...] = ()
    sources: tuple[Citation, ...] = ()
    scenario: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    interpretation: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    #: how each provision fared on the scenario, built on first read
    trace: Trace = attrs.field(factory=Trace, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the field names of the design contract (section 6)."""
        return {
            "verdict": self.verdict,
            "reason": self.reason,
            "policy": self.policy,
            "deciding_rules": list(self.deciding_rules),
            "applicable_rules": list(self.applicable_rules),
            "defeated_rules": {k: list(v) for k, v in self.defeated_rules.items()},
            "residual": [r.to_dict() for r in self.residual],
            "flags": [f.to_dict() for f in self.flags],
            "sources": [c.to_dict() for c in self.sources],
            "scenario": {k: _plain(v) for k, v in self.scenario.items()},
            "interpretation": dict(self.interpretation),
        }


@shown("layer", "repr", "html")
@attrs.frozen
class Layer:
    """One instrument in force on a date, how it sits in the layering, and its decision."""

    policy: str
    role: str  # executive | supplement | statute | treaty | not_binding
    binds_us: bool
    decision: Decision
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"policy": self.policy, "role": self.role, "binds_us": self.binds_us, "note": self.note,
                "decision": self.decision.to_dict()}


@shown("assessment", "repr", "str", "html", "rich")
@attrs.frozen
class Assessment:
    """Everything in force on a date, each instrument's decision, and the overall US position."""

    date: dt.date
    verdict: Verdict = attrs.field(converter=Verdict)
    deciding_policy: str | None
    deciding_rules: tuple[str, ...]
    layers: tuple[Layer, ...]
    president: str = ""
    scenario: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    def layer(self, policy: str) -> Layer:
        """The layer of one instrument; KeyError if it was not in force."""
        for layer in self.layers:
            if layer.policy == policy:
                return layer
        raise KeyError(policy)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "date": self.date.isoformat(),
            "verdict": self.verdict,
            "deciding_policy": self.deciding_policy,
            "deciding_rules": list(self.deciding_rules),
            "president": self.president,
            "layers": [layer.to_dict() for layer in self.layers],
            "scenario": {k: _plain(v) for k, v in self.scenario.items()},
        }


