"""Across instruments: one scenario under every instrument, and when the US executive answer changed.

Each instrument is evaluated over its period of force, split where its own dated provisions change
the answer (obama-2014's step b, bush-2004's end-2010 sunset). The executive position at each
boundary is the most restrictive answer of the executive policies then in force (supplements
included); a sentence marks each change of verdict, naming the provisions on both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..core.decision import Decision, Layer
from ..core.evaluation import readings_mapping
from ..core.model import Policy
from ..core.outcomes import FlagKind, Verdict
from ..core.rendering import shown
from ..core.timeline import in_force, overall, with_inherited
from ..core.vocabulary import Value, show_value
from ..core.words import scenario_words, verdict_words
from ..explanation.document import Block, Document, Line
from ..explanation.why import citation_line

if TYPE_CHECKING:
    from ..core.corpus import Corpus

DAY = dt.timedelta(days=1)


@attrs.frozen
class Period:
    """An instrument's answer over a stretch of its period of force (`end` exclusive, None = open)."""

    policy: str
    start: dt.date
    end: dt.date | None
    decision: Decision


@attrs.frozen
class Shift:
    """A change of the executive answer on a date, with the decisions on both sides."""

    date: dt.date
    before: Decision | None
    before_policies: tuple[str, ...]
    after: Decision | None
    after_policies: tuple[str, ...]
    #: the bans the deciding permissions are exceptions to, when every one of them is an exception
    excepted_from: tuple[str, ...] = ()

    def sentence(self) -> str:
        """`2022-06-21: biden-2022 B22-2.destruction excepted it from B22-2 (permitted); before, trump-2020 did not address it`.

        A permission that follows silence changed nothing: an exception to a new ban "excepted it from"
        the ban, any other permission "left it permitted (not affected)"; only one that follows a ban
        or a condition "made it permitted"."""
        verb = "made it"
        after = self.after
        if after is not None and after.verdict == Verdict.PERMITTED and (self.before is None or
                                                                   self.before.verdict == Verdict.NOT_ADDRESSED):
            verb = "left it"
        side = _side(after, self.after_policies, verb)
        if after is not None and after.verdict == Verdict.PERMITTED and self.excepted_from:
            rules = ", ".join(after.deciding_rules)
            side = f"{after.policy} {rules} excepted it from {', '.join(self.excepted_from)} (permitted)"
        elif verb == "left it":
            side += " (not affected)"
        return f"{self.date.isoformat()}: {side}; before, {_side(self.before, self.before_policies, 'had it')}"


def _side(decision: Decision | None, policies: tuple[str, ...], verb: str) -> str:
    if not policies:
        return "no executive policy was in force"
    if decision is None or decision.verdict == Verdict.NOT_ADDRESSED:
        return f"{' and '.join(policies)} did not address it"
    rules = " " + ", ".join(decision.deciding_rules) if decision.deciding_rules else ""
    return f"{decision.policy}{rules} {verb} {verdict_words(decision.verdict, decision.reason)}"


def _excepted_from(decision: Decision | None, corpus: Corpus) -> tuple[str, ...]:
    """The provisions the deciding rules are exceptions to, if every deciding rule is an exception."""
    if decision is None or not decision.deciding_rules or decision.policy not in corpus:
        return ()
    policy = corpus.evaluator(decision.policy).policy
    targets: dict[str, None] = {}
    for rule_id in decision.deciding_rules:
        versions = policy.rules_named(rule_id)
        if not versions or not all(r.exception_to for r in versions):
            return ()
        targets.update(dict.fromkeys(t for r in versions for t in r.exception_to))
    return tuple(targets)


def _kind(policy: Policy) -> str:
    return "not binding" if not policy.binds_us else policy.kind.replace("executive_policy", "executive")


def provisions(decision: Decision) -> str:
    """The deciding provisions, each inherited one with the instrument it came from."""
    inherited = {c.rule: c.inherited_from for c in decision.sources if c.inherited_from}
    return ", ".join(f"{i} (from {inherited[i]})" if i in inherited else i for i in decision.deciding_rules)


def _flags(decision: Decision) -> str:
    names = [f.subject for f in decision.flags if f.kind == FlagKind.INTERPRETATION]
    if any(f.kind == FlagKind.LOW_CONFIDENCE for f in decision.flags):
        names.append("low confidence")
    return ", ".join(names)


def _citations(found: list[Period]) -> tuple[Line, ...]:
    seen: dict[tuple[str, str], Line] = {}
    for period in found:
        for citation in period.decision.sources:
            line = citation_line(citation)
            seen.setdefault((period.policy, citation.rule), Line(f"{period.policy}: {line.text}", line.children))
    return tuple(seen.values())


def periods(scenario: Mapping[str, Value], interpretation: Mapping[str, str] | None,
            corpus: Corpus) -> list[Period]:
    """Every instrument's answer, split where its dated provisions change it."""
    out = []
    for judge in corpus.evaluators.values():
        policy = judge.policy
        cuts = sorted({c.low for c in judge.classes.get("date", ()) if c.low is not None
                       and policy.in_force_from < c.low and (policy.in_force_to is None or c.low < policy.in_force_to)})
        starts = [policy.in_force_from, *cuts]
        own = {k: v for k, v in (interpretation or {}).items() if k in policy.interpretations}
        mine: list[Period] = []
        for start, end in zip(starts, [*starts[1:], policy.in_force_to]):
            decision = judge.evaluate({**scenario, "date": start}, own)
            if mine and _same(mine[-1].decision, decision):
                mine[-1] = attrs.evolve(mine[-1], end=end)
            else:
                mine.append(Period(policy.id, start, end, decision))
        out += mine
    return out


def _same(a: Decision, b: Decision) -> bool:
    return (a.verdict, a.reason, a.deciding_rules) == (b.verdict, b.reason, b.deciding_rules)


def shifts(scenario: Mapping[str, Value], found: list[Period],
           interpretation: Mapping[str, str] | None, corpus: Corpus) -> list[Shift]:
    """The dates on which the executive answer changed verdict."""
    executive = {p.id for p in corpus if p.kind == "executive_policy"}
    days = sorted({p.start for p in found if p.policy in executive} |
                  {p.end for p in found if p.policy in executive and p.end})
    out: list[Shift] = []
    previous: tuple[Decision | None, tuple[str, ...]] = (None, ())
    for day in days:
        layers = []
        for entry in in_force(day, corpus):
            if entry.role != "executive":
                continue
            judge = corpus.evaluator(entry.policy.id)
            own = {k: v for k, v in (interpretation or {}).items() if k in entry.policy.interpretations}
            layers.append(Layer(entry.policy.id, entry.role, True, judge.evaluate({**scenario, "date": day}, own)))
        layers = with_inherited(layers, interpretation, corpus)
        verdict, deciding = overall(layers)
        current = (deciding if verdict != Verdict.NOT_ADDRESSED else None, tuple(layer.policy for layer in layers))
        before_verdict = previous[0].verdict if previous[0] else "not_addressed"
        if before_verdict != verdict:
            out.append(Shift(day, previous[0], previous[1], current[0], current[1],
                             _excepted_from(current[0], corpus)))
        previous = current
    return out


@shown("across", "html", "rich")
@attrs.frozen(repr=False)
class Across:
    """One scenario under every instrument: each instrument's answer over its period of force, and
    each date the executive answer changed. `str()` and `render()` give the text view."""

    scenario: Mapping[str, Value]
    periods: tuple[Period, ...]
    changes: tuple[Shift, ...]
    document: Document = attrs.field(eq=False)

    def render(self, format: str = "text", width: int | None = None) -> str:
        """The view as `text`, `markdown` or `json` (text wrapped to `width`, default 100)."""
        return self.document.render(format, width)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the scenario, the periods and the changes."""
        return {"scenario": {k: show_value(v) for k, v in self.scenario.items()}, **self.document.data}

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The table: instrument, kind, from, to, verdict, deciding provisions, flags."""
        return self.document.blocks[1].rows

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return (f"<Across {scenario_words(self.scenario)}: {len(self.periods)} periods under "
                f"{len({p.policy for p in self.periods})} instruments, {len(self.changes)} changes>")



def across(scenario: Mapping[str, Value], interpretation: Mapping[str, str] | None = None, *,
           corpus: Corpus) -> Across:
    """The across-instruments view: a table of periods, then the changes in words."""
    fields = {k: v for k, v in corpus.vocabulary.validate(scenario).items() if k != "date"}
    interpretation = readings_mapping(interpretation)
    found = sorted(periods(fields, interpretation, corpus), key=lambda p: (p.start, p.policy))
    changes = shifts(fields, found, interpretation, corpus)
    rows = tuple((p.policy, _kind(corpus[p.policy]), p.start.isoformat(), p.end.isoformat() if p.end else "(in force)",
                  verdict_words(p.decision.verdict, p.decision.reason), provisions(p.decision), _flags(p.decision))
                 for p in found)
    summary = (f"The same scenario under each of the {len({p.policy for p in found})} instruments; "
               f"the executive answer changed {len(changes)} time{'s' if len(changes) != 1 else ''}.")
    blocks = (
        Block("scenario", (Line(scenario_words(fields)),)),
        Block("instruments", columns=("instrument", "kind", "from", "to", "verdict", "deciding provisions", "flags"),
              rows=rows),
        Block("when the executive answer changed", tuple(Line(s.sentence()) for s in changes)
              or (Line("no executive policy ever addressed it"),)),
        Block("provisions", _citations(found)),
        Block("note", (Line("ottawa is reported as if the US were a party; it never bound the US. A flag names "
                            "an interpretation the answer turns on, or a low-confidence provision."),)),
    )
    data = {"periods": [{"policy": p.policy, "from": p.start.isoformat(), "to": p.end.isoformat() if p.end else None,
                         "verdict": p.decision.verdict, "reason": p.decision.reason,
                         "deciding_rules": list(p.decision.deciding_rules)} for p in found],
            "changes": [{"date": s.date.isoformat(), "text": s.sentence()} for s in changes]}
    return Across(fields, tuple(found), tuple(changes),
                  Document("the scenario across instruments", summary, blocks, data))
