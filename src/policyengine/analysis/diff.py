"""Diff and compare two instruments over the whole scenario space.

`diff(a, b)` lists every change of verdict from `a` to `b` as compact classes: each a conjunction of
set-valued field conditions that cannot be widened, keyed by the verdict and deciding provisions on
both sides, with a witness scenario re-evaluated on both instruments. `compare(a, b)` gives the
four-way answer (equivalent, more permissive, less permissive, incomparable) by what each instrument
prohibits, scenario by scenario, and, as Cedar's `analyze compare` and Zelkova do, over the scenarios
each permits (see `orders`); `implies(a, b)` asks whether whatever `a` permits, `b` permits too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import Condition, describe_part, to_data
from ..core.decision import Decision
from ..core.outcomes import Named, Verdict
from ..core.rendering import shown
from ..core.space import Space
from ..core.vocabulary import Value, show_value
from ..core.words import plain
from ..explanation.document import Block, Document, Line
from .orders import Basis, counts, noun
from .witness import realism, realistic_witness

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
        verdict = plain(self.verdict)
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


@attrs.frozen
class VerdictChange:
    """One pair of verdicts of a diff: how many classes go from `before` to `after`, and the
    provisions deciding them on each side."""

    before: Verdict
    after: Verdict
    classes: int
    before_rules: tuple[str, ...]
    after_rules: tuple[str, ...]

    def words(self, a: str, b: str) -> str:
        """`prohibited -> permitted: 3 classes; trump-2020 T20-3 -> biden-2022 B22-3.korea`."""
        def side(policy: str, rules: tuple[str, ...]) -> str:
            return f"{policy} {', '.join(rules)}" if rules else f"{policy} none"

        count = f"{self.classes} class{'es' if self.classes != 1 else ''}"
        verdicts = f"{plain(self.before)} -> {plain(self.after)}"
        return f"{verdicts}: {count}; {side(a, self.before_rules)} -> {side(b, self.after_rules)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"before": str(self.before), "after": str(self.after), "classes": self.classes,
                "before_rules": list(self.before_rules), "after_rules": list(self.after_rules)}


def _provisions(sides: Any) -> tuple[str, ...]:
    return tuple(sorted({rule for side in sides for rule in side.deciding}))


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
                "cells_checked": self.cells, "summary": [v.to_dict() for v in self.changes],
                "classes": [c.to_dict() for c in self.classes]}

    @property
    def changes(self) -> tuple[VerdictChange, ...]:
        """The classes grouped by their pair of verdicts, most classes first: the diff at a glance."""
        groups: dict[tuple[Verdict, Verdict], list[DiffClass]] = {}
        for c in self.classes:
            groups.setdefault((c.before.verdict, c.after.verdict), []).append(c)
        out = [VerdictChange(before, after, len(found), _provisions(c.before for c in found),
                             _provisions(c.after for c in found))
               for (before, after), found in groups.items()]
        return tuple(sorted(out, key=lambda v: (-v.classes, v.before, v.after)))

    def document(self, summary_only: bool = False) -> Document:
        """The diff as a document: the summary (a line per pair of verdicts), then, unless
        `summary_only`, a line per class with its conditions and witness."""
        on = f" on {self.on.isoformat()}" if self.on else ""
        head = (f"{len(self.classes)} class{'es' if len(self.classes) != 1 else ''} of scenarios change verdict "
                f"from {self.a} to {self.b}{on} ({self.cells} cells of the scenario space checked).")
        if not self.classes:
            return Document(f"diff {self.a} -> {self.b}", head,
                            (Block("changes", (Line("no scenario changes verdict"),)),), self.to_dict())
        blocks = [Block("summary", tuple(Line(v.words(self.a, self.b)) for v in self.changes))]
        if not summary_only:
            blocks.append(Block("changes", tuple(
                Line(f"{c.before.words()} -> {c.after.words()}",
                     (Line(f"when {c.condition_words()}"),
                      Line("e.g. " + " ".join(f"{k}={show_value(v)}" for k, v in c.witness.items()))))
                for c in self.classes)))
        return Document(f"diff {self.a} -> {self.b}", head, tuple(blocks), self.to_dict())

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


@attrs.frozen
class Ordering:
    """`a` against `b` on one basis (see `orders`): the answer and a counterexample each way."""

    basis: Basis
    answer: Answer
    only_a: Counterexample | None  # prohibited (or permitted) by a, not by b
    only_b: Counterexample | None  # prohibited (or permitted) by b, not by a

    def words(self, a: str, b: str) -> list[str]:
        """The answer as a sentence, then the counterexamples."""
        what = "prohibits" if self.basis is Basis.PROHIBITIONS else "permits"
        head = {Answer.EQUIVALENT: f"{a} and {b} are equivalent: each {what} exactly what the other does",
                Answer.MORE_PERMISSIVE: f"{a} is more permissive than {b}",
                Answer.LESS_PERMISSIVE: f"{a} is less permissive than {b}",
                Answer.INCOMPARABLE: f"{a} and {b} are incomparable: each {what} something the other does not"}
        lines = [f"by what each {what}: {head[self.answer]}"]
        for policy, example in ((a, self.only_a), (b, self.only_b)):
            if example:
                lines.append(f"  {noun(self.basis)} by {policy} only: {example.words()}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"basis": str(self.basis), "answer": str(self.answer),
                "only_a": self.only_a.to_dict() if self.only_a else None,
                "only_b": self.only_b.to_dict() if self.only_b else None}


@shown("comparison", "repr", "html")
@attrs.frozen
class Comparison:
    """`a` compared with `b`, scenario by scenario: by what each prohibits (the answer) and by the set of
    scenarios each permits (`permissions`), each with a counterexample each way they differ."""

    a: str
    b: str
    prohibitions: Ordering
    permissions: Ordering
    cells: int

    @property
    def answer(self) -> Answer:
        """The answer by what each instrument prohibits."""
        return self.prohibitions.answer

    @property
    def only_a(self) -> Counterexample | None:
        """A scenario `a` prohibits and `b` does not."""
        return self.prohibitions.only_a

    @property
    def only_b(self) -> Counterexample | None:
        """A scenario `b` prohibits and `a` does not."""
        return self.prohibitions.only_b

    def words(self) -> str:
        """Both answers, each with its counterexamples."""
        return "\n".join([f"{self.a} against {self.b} ({self.cells} cells of the scenario space checked):",
                          *self.prohibitions.words(self.a, self.b), *self.permissions.words(self.a, self.b)])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: `answer`, `only_a` and `only_b` by prohibitions; `permissions` the other basis."""
        return {"a": self.a, "b": self.b, "cells_checked": self.cells, **self.prohibitions.to_dict(),
                "permissions": self.permissions.to_dict()}

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
         interpretation: Mapping[str, str] | None = None, examples: Sequence[Mapping[str, Value]] = ()) -> Diff:
    """Every change of verdict from `a` to `b` (ids of the corpus, loaded policies or files), over the
    whole scenario space or on one date. Each class's witness takes its values from `examples`
    (default: the named scenarios) and the vocabulary's typical values where the class allows them."""
    space, ja, jb, sa, sb = _space(a, b, on, corpus, interpretation)
    groups: dict[tuple, int] = {}
    for bit, cell in enumerate(space.cells):
        before, after = cell.outcomes
        if before.verdict != after.verdict:
            key = (before.verdict, before.deciding, after.verdict, after.deciding)
            groups[key] = groups.get(key, 0) | (1 << bit)
    classes = []
    examples = tuple(examples)
    for key, group in groups.items():
        for box in space.maximal_boxes(group):
            witness = realistic_witness(space, box, examples)
            decisions = (ja.evaluate(witness, sa), jb.evaluate(witness, sb))
            classes.append(DiffClass(Side(ja.policy.id, key[0], key[1], _quotes(ja, key[1], sa)),
                                     Side(jb.policy.id, key[2], key[3], _quotes(jb, key[3], sb)),
                                     space.conditions(box), witness, decisions))
    classes.sort(key=lambda c: (c.before.verdict, c.before.deciding, c.after.verdict, c.after.deciding))
    return Diff(ja.policy.id, jb.policy.id, space.fixed.get("date"), tuple(classes), len(space.cells))


def _quotes(judge: Evaluator, ids: tuple[str, ...], selection: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(judge.citation(i, selection).quote for i in ids)


def _counted(space: Space, index: int, basis: Basis) -> int:
    return sum(1 << bit for bit, cell in enumerate(space.cells) if counts(basis, cell.outcomes[index].verdict))


def _example(space: Space, cells: int, ja: Evaluator, jb: Evaluator, sa: dict, sb: dict,
             examples: Sequence[Mapping[str, Value]]) -> Counterexample | None:
    """The most realistic witness of the widest boxes covering `cells`, with both decisions."""
    if not cells:
        return None
    witnesses = [realistic_witness(space, box, examples) for box in space.maximal_boxes(cells)]
    witness = max(witnesses, key=lambda w: realism(space, w))
    return Counterexample(witness, (ja.evaluate(witness, sa), jb.evaluate(witness, sb)))


def _ordering(space: Space, basis: Basis, ja: Evaluator, jb: Evaluator, sa: dict, sb: dict,
              examples: Sequence[Mapping[str, Value]]) -> Ordering:
    ca, cb = _counted(space, 0, basis), _counted(space, 1, basis)
    only_a, only_b = ca & ~cb, cb & ~ca
    # by prohibitions, the one that prohibits less is the more permissive; by permissions, the one that permits more
    more, less = (only_b, only_a) if basis is Basis.PROHIBITIONS else (only_a, only_b)
    answer = (Answer.EQUIVALENT if not only_a and not only_b else Answer.MORE_PERMISSIVE if not less
              else Answer.LESS_PERMISSIVE if not more else Answer.INCOMPARABLE)
    return Ordering(basis, answer, _example(space, only_a, ja, jb, sa, sb, examples),
                    _example(space, only_b, ja, jb, sa, sb, examples))


def compare(a: PolicyRef, b: PolicyRef, on: str | dt.date | None = None, *, corpus: Corpus,
            interpretation: Mapping[str, str] | None = None,
            examples: Sequence[Mapping[str, Value]] = ()) -> Comparison:
    """Whether `a` is equivalent to `b`, more or less permissive, or incomparable: by what each prohibits
    (`answer`) and by the set of scenarios each permits (`permissions`), with counterexamples (realistic
    as `diff`'s witnesses are)."""
    space, ja, jb, sa, sb = _space(a, b, on, corpus, interpretation)
    examples = tuple(examples)
    return Comparison(ja.policy.id, jb.policy.id, _ordering(space, Basis.PROHIBITIONS, ja, jb, sa, sb, examples),
                      _ordering(space, Basis.PERMISSIONS, ja, jb, sa, sb, examples), len(space.cells))


def implies(a: PolicyRef, b: PolicyRef, on: str | dt.date | None = None, *, corpus: Corpus,
            interpretation: Mapping[str, str] | None = None,
            examples: Sequence[Mapping[str, Value]] = ()) -> Implication:
    """True when every scenario `a` permits (`permitted` or `required`), `b` permits too; else a
    counterexample (the permission-set basis of `compare`)."""
    found = compare(a, b, on, corpus=corpus, interpretation=interpretation, examples=examples)
    return Implication(found.a, found.b, found.permissions.only_a is None, found.permissions.only_a)
