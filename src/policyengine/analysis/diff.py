"""Diff and compare two instruments over the whole scenario space.

`diff(a, b)` lists every change of verdict from `a` to `b` as compact classes: each a conjunction of
set-valued field conditions that cannot be widened, keyed by the verdict and deciding provisions on
both sides, with a witness scenario re-evaluated on both instruments. `compare(a, b)` gives the
four-way answer of Cedar's `analyze compare` and Zelkova over the scenarios each permits (equivalent,
more permissive, less permissive, incomparable); `implies(a, b)` asks whether whatever `a` permits,
`b` permits too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import Condition, describe_part, to_data
from ..core.decision import Decision
from ..core.outcomes import ALLOWING, Named, Verdict
from ..core.rendering import shown
from ..core.space import Space
from ..core.vocabulary import Value, show_value
from ..explanation.document import Block, Document, Line

if TYPE_CHECKING:
    from ..core.corpus import Corpus, PolicyRef
    from ..core.evaluation import Evaluator


@attrs.frozen
class Side:
    """One instrument's answer on a class: verdict and deciding provisions, with their quotes."""

    policy: str
    verdict: Verdict
    deciding: tuple[str, ...]
    quotes: tuple[str, ...] = ()

    def words(self) -> str:
        """`prohibited by B22-3`."""
        verdict = str(self.verdict).replace("_", " ")
        return f"{verdict} by {', '.join(self.deciding)}" if self.deciding else verdict

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"policy": self.policy, "verdict": str(self.verdict), "deciding_rules": list(self.deciding),
                "quotes": list(self.quotes)}


@shown("diff_class", "repr", "html")
@attrs.frozen
class DiffClass:
    """A class of scenarios on which the verdict changes in one way from `before` to `after`."""

    before: Side
    after: Side
    when: tuple[Condition, ...]
    witness: Mapping[str, Value] = attrs.field(eq=False)
    decisions: tuple[Decision, Decision] = attrs.field(eq=False, repr=False)

    def condition_words(self) -> str:
        """The class's conditions as text (`activity = use and location = elsewhere`), or `always`."""
        return " and ".join(describe_part(c) for c in self.when) or "always"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; `when` in the policy-file condition language."""
        return {"before": self.before.to_dict(), "after": self.after.to_dict(),
                "when": [to_data(c) for c in self.when], "text": self.condition_words(),
                "witness": {k: show_value(v) if isinstance(v, dt.date) else v for k, v in self.witness.items()}}


@shown("diff", "repr", "html", "rich")
@attrs.frozen
class Diff:
    """Every change of verdict from instrument `a` to instrument `b`."""

    a: str
    b: str
    on: dt.date | None
    classes: tuple[DiffClass, ...]
    cells: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"a": self.a, "b": self.b, "on": self.on.isoformat() if self.on else None,
                "cells_checked": self.cells, "classes": [c.to_dict() for c in self.classes]}

    def document(self) -> Document:
        """The diff as a document: a line per class with its conditions and witness."""
        lines = tuple(Line(f"{c.before.words()} -> {c.after.words()}",
                           (Line(f"when {c.condition_words()}"),
                            Line("e.g. " + " ".join(f"{k}={show_value(v)}" for k, v in c.witness.items()))))
                      for c in self.classes)
        on = f" on {self.on.isoformat()}" if self.on else ""
        summary = (f"{len(self.classes)} class{'es' if len(self.classes) != 1 else ''} of scenarios change verdict "
                   f"from {self.a} to {self.b}{on} ({self.cells} cells of the scenario space checked).")
        return Document(f"diff {self.a} -> {self.b}", summary,
                        (Block("changes", lines or (Line("no scenario changes verdict"),)),), self.to_dict())

    def __str__(self) -> str:
        return self.document().render()


class Answer(Named):
    """How the scenarios one instrument permits compare with another's."""

    EQUIVALENT = "equivalent"
    MORE_PERMISSIVE = "more_permissive"
    LESS_PERMISSIVE = "less_permissive"
    INCOMPARABLE = "incomparable"


@shown("counterexample", "repr")
@attrs.frozen
class Counterexample:
    """A scenario that one instrument permits and the other does not, with both decisions."""

    witness: Mapping[str, Value] = attrs.field(eq=False)
    decisions: tuple[Decision, Decision] = attrs.field(eq=False)

    def words(self) -> str:
        """`activity=use ...: a permitted by X; b prohibited by Y`."""
        scenario = " ".join(f"{k}={show_value(v)}" for k, v in self.witness.items())
        sides = "; ".join(f"{d.policy} {_side(d).words()}" for d in self.decisions)
        return f"{scenario}: {sides}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"witness": {k: show_value(v) if isinstance(v, dt.date) else v for k, v in self.witness.items()},
                "decisions": [_side(d).to_dict() for d in self.decisions]}


@shown("comparison", "repr", "html")
@attrs.frozen
class Comparison:
    """`a` compared with `b` over the scenarios each permits, with a counterexample each way they differ."""

    a: str
    b: str
    answer: Answer
    only_a: Counterexample | None  # permitted by a, not by b
    only_b: Counterexample | None  # permitted by b, not by a
    cells: int

    def words(self) -> str:
        """One sentence with the answer, then the counterexamples."""
        head = {Answer.EQUIVALENT: f"{self.a} and {self.b} permit exactly the same scenarios",
                Answer.MORE_PERMISSIVE: f"{self.a} is more permissive than {self.b}",
                Answer.LESS_PERMISSIVE: f"{self.a} is less permissive than {self.b}",
                Answer.INCOMPARABLE: f"{self.a} and {self.b} are incomparable: each permits something the other "
                                     f"does not"}[self.answer]
        lines = [f"{head} ({self.cells} cells of the scenario space checked)."]
        if self.only_a:
            lines.append(f"permitted by {self.a} only: {self.only_a.words()}")
        if self.only_b:
            lines.append(f"permitted by {self.b} only: {self.only_b.words()}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"a": self.a, "b": self.b, "answer": str(self.answer), "cells_checked": self.cells,
                "only_a": self.only_a.to_dict() if self.only_a else None,
                "only_b": self.only_b.to_dict() if self.only_b else None}

    def __str__(self) -> str:
        return self.words()


@shown("implication", "repr", "html")
@attrs.frozen
class Implication:
    """Whether everything `a` permits `b` permits too, with a counterexample when not."""

    a: str
    b: str
    holds: bool
    counterexample: Counterexample | None

    def __bool__(self) -> bool:
        return self.holds


def _side(decision: Decision) -> Side:
    return Side(decision.policy, decision.verdict, decision.deciding_rules, tuple(c.quote for c in decision.sources))


def _space(a: PolicyRef, b: PolicyRef, on: str | dt.date | None, corpus: Corpus,
           interpretation: Mapping[str, str] | None) -> tuple[Space, Evaluator, Evaluator, dict, dict]:
    ja, jb = corpus.resolve(a), corpus.resolve(b)
    readings = dict(interpretation or {})
    sa, sb = ({**j.policy.default_selection, **{k: v for k, v in readings.items() if k in j.policy.interpretations}}
              for j in (ja, jb))
    ja.selection(sa)
    jb.selection(sb)
    fixed = {"date": corpus.vocabulary.fields["date"].coerce(on, "--on")} if on is not None else {}
    return Space((ja.policy, jb.policy), corpus.vocabulary, (sa, sb), fixed), ja, jb, sa, sb


def diff(a: PolicyRef, b: PolicyRef, on: str | dt.date | None = None, *, corpus: Corpus,
         interpretation: Mapping[str, str] | None = None) -> Diff:
    """Every change of verdict from `a` to `b` (ids of the corpus, loaded policies or files), over the
    whole scenario space or on one date."""
    space, ja, jb, sa, sb = _space(a, b, on, corpus, interpretation)
    groups: dict[tuple, int] = {}
    for bit, cell in enumerate(space.cells):
        before, after = cell.outcomes
        if before.verdict != after.verdict:
            key = (before.verdict, before.deciding, after.verdict, after.deciding)
            groups[key] = groups.get(key, 0) | (1 << bit)
    classes = []
    for key, group in groups.items():
        for box in space.maximal_boxes(group):
            witness = space.witness(box)
            decisions = (ja.evaluate(witness, sa), jb.evaluate(witness, sb))
            classes.append(DiffClass(Side(ja.policy.id, key[0], key[1], _quotes(ja, key[1], sa)),
                                     Side(jb.policy.id, key[2], key[3], _quotes(jb, key[3], sb)),
                                     space.conditions(box), witness, decisions))
    classes.sort(key=lambda c: (c.before.verdict, c.before.deciding, c.after.verdict, c.after.deciding))
    return Diff(ja.policy.id, jb.policy.id, space.fixed.get("date"), tuple(classes), len(space.cells))


def _quotes(judge: Evaluator, ids: tuple[str, ...], selection: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(judge.citation(i, selection).quote for i in ids)


def _permitted(space: Space, index: int) -> int:
    return sum(1 << bit for bit, cell in enumerate(space.cells) if cell.outcomes[index].verdict in ALLOWING)


def _example(space: Space, cells: int, ja: Evaluator, jb: Evaluator, sa: dict, sb: dict) -> Counterexample | None:
    if not cells:
        return None
    first = (cells & -cells).bit_length() - 1
    witness = space.witness(space.cells[first].box)
    return Counterexample(witness, (ja.evaluate(witness, sa), jb.evaluate(witness, sb)))


def compare(a: PolicyRef, b: PolicyRef, on: str | dt.date | None = None, *, corpus: Corpus,
            interpretation: Mapping[str, str] | None = None) -> Comparison:
    """Whether `a` permits the same scenarios as `b`, more, fewer, or neither (with counterexamples)."""
    space, ja, jb, sa, sb = _space(a, b, on, corpus, interpretation)
    pa, pb = _permitted(space, 0), _permitted(space, 1)
    only_a, only_b = pa & ~pb, pb & ~pa
    answer = (Answer.EQUIVALENT if not only_a and not only_b else Answer.MORE_PERMISSIVE if not only_b
              else Answer.LESS_PERMISSIVE if not only_a else Answer.INCOMPARABLE)
    return Comparison(ja.policy.id, jb.policy.id, answer, _example(space, only_a, ja, jb, sa, sb),
                      _example(space, only_b, ja, jb, sa, sb), len(space.cells))


def implies(a: PolicyRef, b: PolicyRef, on: str | dt.date | None = None, *, corpus: Corpus,
            interpretation: Mapping[str, str] | None = None) -> Implication:
    """True when every scenario `a` permits, `b` permits too; else a counterexample."""
    found = compare(a, b, on, corpus=corpus, interpretation=interpretation)
    return Implication(found.a, found.b, found.only_a is None, found.only_a)
