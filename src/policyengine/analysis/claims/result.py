"""What the claim checker answers: TRUE, FALSE or DEPENDS ON READING, with the classes checked, the
provisions, and an example (a counterexample, or an instance) re-evaluated by the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ...core.decision import Assessment, Decision
from ...core.outcomes import Named, Reason
from ...core.rendering import shown
from ...core.vocabulary import Value, show_value
from ...core.words import plain, scenario_words


class Answer(Named):
    """What the claim checker says of a claim."""

    TRUE = "true"
    FALSE = "false"
    DEPENDS_ON_READING = "depends_on_reading"


@attrs.frozen
class Example:
    """A scenario with the decisions (or the US position) it gets: a counterexample or an instance."""

    scenario: Mapping[str, Value]
    decisions: tuple[Decision, ...] = ()
    assessment: Assessment | None = None

    @property
    def provisions(self) -> tuple[str, ...]:
        """The provisions that decide the example."""
        if self.assessment is not None:
            return tuple(self.assessment.deciding_rules)
        return tuple(dict.fromkeys(r for d in self.decisions for r in d.deciding_rules))

    def scenario_words(self) -> str:
        """`activity=use mine=anti_personnel`."""
        return scenario_words(self.scenario)

    def verdict_words(self) -> str:
        """`trump-2020: prohibited by T20-3` for each decision, or the US position."""
        if self.assessment is not None:
            a = self.assessment
            by = f" by {a.deciding_policy} ({', '.join(a.deciding_rules)})" if a.deciding_policy else ""
            return f"US position {plain_verdict(a.verdict)}{by}"
        return "; ".join(f"{d.policy}: {_decision_words(d)}" for d in self.decisions)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {"scenario": {k: show_value(v) for k, v in self.scenario.items()},
                               "provisions": list(self.provisions)}
        if self.assessment is not None:
            out["us_position"] = {"verdict": str(self.assessment.verdict),
                                  "deciding_policy": self.assessment.deciding_policy,
                                  "deciding_rules": list(self.assessment.deciding_rules)}
        else:
            out["decisions"] = [{"policy": d.policy, "verdict": str(d.verdict),
                                 "deciding_rules": list(d.deciding_rules)} for d in self.decisions]
        return out


@attrs.frozen
class ReadingAnswer:
    """The claim's answer under one choice of interpretation readings."""

    readings: Mapping[str, str]
    answer: Answer
    example: Example | None = None

    def words(self) -> str:
        """`o14-export=silent: FALSE (activity=...: ...)`."""
        chosen = ", ".join(f"{k}={v}" for k, v in self.readings.items()) or "default readings"
        extra = f" (e.g. {self.example.scenario_words()}: {self.example.verdict_words()})" if self.example else ""
        return f"{chosen}: {answer_label(self.answer)}{extra}"


@shown("claim_result", "html")
@attrs.frozen
class ClaimResult:
    """The answer to a claim, with what settles it."""

    text: str
    kind: str
    answer: Answer
    summary: str
    classes: int = 0
    provisions: tuple[str, ...] = ()
    example: Example | None = None
    example_role: str = ""  # counterexample | instance
    readings: tuple[ReadingAnswer, ...] = ()
    facts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.answer == Answer.TRUE

    def words(self) -> str:
        """The answer and its grounds, a few lines of text."""
        lines = [f"{answer_label(self.answer)}: {self.text}", f"  {self.summary}"]
        if self.classes:
            lines.append(f"  scenario classes checked: {self.classes}")
        if self.provisions:
            lines.append(f"  provisions: {', '.join(self.provisions)}")
        if self.example is not None:
            e = self.example
            lines.append(f"  {self.example_role} ({len(e.scenario)} fields): {e.scenario_words()}")
            lines.append(f"    {e.verdict_words()}")
        for reading in self.readings:
            lines.append(f"  under {reading.words()}")
        lines += [f"  {fact}" for fact in self.facts]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.words()

    def __repr__(self) -> str:
        cited = f" ({', '.join(self.provisions[:4])})" if self.provisions else ""
        return f"<ClaimResult {answer_label(self.answer)}{cited}: {self.text[:80]}>"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"claim": self.text, "kind": self.kind, "answer": str(self.answer), "summary": self.summary,
                "classes_checked": self.classes, "provisions": list(self.provisions),
                "example": self.example.to_dict() if self.example else None, "example_role": self.example_role,
                "readings": [{"readings": dict(r.readings), "answer": str(r.answer),
                              "example": r.example.to_dict() if r.example else None} for r in self.readings],
                "facts": list(self.facts)}


def _decision_words(decision: Decision) -> str:
    """`prohibited by T20-3`, or `not addressed (outside B22-1.apl)` for a scenario out of scope."""
    rules = ", ".join(decision.deciding_rules)
    if decision.reason == Reason.OUT_OF_SCOPE:
        return f"not addressed (outside {rules})" if rules else "not addressed (out of scope)"
    return f"{plain_verdict(decision.verdict)} by {rules}" if rules else plain_verdict(decision.verdict)


def class_count(n: int) -> str:
    """`1 class`, `12 classes`."""
    return f"{n} class{'' if n == 1 else 'es'}"


def answer_label(answer: Answer) -> str:
    """`TRUE`, `FALSE`, `DEPENDS ON READING`."""
    return plain(answer).upper()


def plain_verdict(verdict: str) -> str:
    """A verdict in words: `not addressed`."""
    return plain(verdict)
