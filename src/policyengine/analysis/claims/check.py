"""Check a claim exhaustively over the scenario space.

The space is built over the instruments the claim names plus a synthetic instrument whose only rule
is the claim's conditions, so no cell straddles a condition's boundary: a cell meets the conditions
exactly when the synthetic rule applies on it. Every cell meeting them is checked; a FALSE answer
comes with the smallest counterexample found (fewest fields) re-evaluated through `evaluate` or
`evaluate_on`, and a claim whose answer changes with an interpretation is DEPENDS ON READING.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import attrs

from ...core.conditions import Condition, evaluate
from ...core.corpus import Corpus
from ...core.decision import Assessment
from ...core.errors import ClaimError
from ...core.model import Policy
from ...core.outcomes import ALLOWING, Verdict
from ...core.semantics import Outcome
from ...core.space import Cell, Space
from ...core.timeline import consulted, evaluate_on, in_force
from ...core.vocabulary import Value
from ..orders import Basis, allows
from .forms import EXTRA_FORMS, check_extra
from .grammar import (
    Claim,
    GoalClaim,
    InForceClaim,
    Position,
    Quantified,
    Stricter,
    condition_words,
    parse_claim,
)
from .instruments import decide, resolve, synthetic
from .result import Answer, ClaimResult, Example, ReadingAnswer, answer_label, class_count, plain_verdict

CANDIDATES = 24  # cells tried when looking for the smallest counterexample
SHOWN_PROVISIONS = 12


def claim(text: str, corpus: Corpus) -> ClaimResult:
    """Parse and check a claim in controlled English over the corpus (default: the bundled instruments)."""
    parsed = parse_claim(text, corpus.vocabulary)
    return check(parsed, text, corpus)


def check(parsed: Claim, text: str, corpus: Corpus) -> ClaimResult:
    """Check a parsed claim."""
    if isinstance(parsed, EXTRA_FORMS):
        return check_extra(parsed, text, corpus, check)
    if isinstance(parsed, InForceClaim):
        return _in_force(parsed, text, corpus)
    if isinstance(parsed, GoalClaim):
        return _goal(parsed, text, corpus)
    question = _question(parsed, corpus)
    return question.answer(text)


# --- instruments ------------------------------------------------------------------------------



def _in_force(parsed: InForceClaim, text: str, corpus: Corpus) -> ClaimResult:
    judge = resolve(parsed.instrument, corpus)
    policy = judge.policy
    entries = in_force(parsed.date, corpus)
    standing = [entry.policy.id + ("" if entry.policy.binds_us else " (not binding on the US: not a party)")
                for entry in entries]
    was = policy.id in {entry.policy.id for entry in entries}
    period = (f"{policy.id} was in force from {policy.in_force_from.isoformat()}"
              + (f" to {policy.in_force_to.isoformat()} (exclusive)" if policy.in_force_to
                 else ", and no later instrument in the sources replaced it"))
    on = f"in force on {parsed.date.isoformat()}: {', '.join(standing) or 'nothing'}"
    facts = [period, *_horizons(policy, parsed.date), on]
    if not policy.binds_us:
        facts.append(f"{policy.id} does not bind the US: the US is not a party")
    holds = was != parsed.negated
    summary = f"{policy.id} {'was' if was else 'was not'} in force on {parsed.date.isoformat()}."
    return ClaimResult(text, "in_force", Answer.TRUE if holds else Answer.FALSE, summary, facts=tuple(facts))


GOAL_KINDS = ("policy_goal", "treaty_position", "reserved_right", "process")


def _goal(parsed: GoalClaim, text: str, corpus: Corpus) -> ClaimResult:
    """Whether the instrument's stated goals and objectives (its not-rules of those kinds) say the words."""
    policy = resolve(parsed.instrument, corpus).policy
    goals = [note for note in policy.not_rules if note.kind in GOAL_KINDS]
    wanted = " ".join(parsed.words.lower().split())
    found = [note for note in goals if wanted in " ".join(f"{note.quote} {note.reason}".lower().split())]
    states = bool(found)
    holds = states != parsed.negated
    summary = (f"{policy.id} {'states' if states else 'does not state'} a goal in the words \"{parsed.words}\""
               + (f" ({', '.join(n.id for n in found)})." if found else "."))
    facts = [f"{note.id} ({note.kind.replace('_', ' ')}): " + (f"\u201c{note.quote}\u201d; " if note.quote else "")
             + note.reason for note in (found or goals)]
    if not goals:
        facts = [f"{policy.id} states no goal or objective in the sources"]
    return ClaimResult(text, "goal", Answer.TRUE if holds else Answer.FALSE, summary,
                       provisions=tuple(n.id for n in found), facts=tuple(facts))


def _horizons(policy: Policy, day: dt.date) -> list[str]:
    """The stated horizons of an interim instrument (a process due by a date), passed or not on `day`."""
    out = []
    for note in policy.not_rules:
        if note.start is None or note.kind == "practice":
            continue
        last = note.start - dt.timedelta(days=1)
        if day >= note.start:
            out.append(f"on {day.isoformat()} the horizon it set ({note.id}, to {last.isoformat()}) had passed: "
                       "a later policy may have replaced it, but none is in the sources")
        else:
            out.append(f"it is an interim instrument: the horizon it set ({note.id}) runs to {last.isoformat()}")
    return out


# --- questions over the space -----------------------------------------------------------------



@attrs.define
class _Question:
    """A claim turned into: a space per choice of readings, a key per cell, and a test of the key."""

    kind: str
    condition: Condition
    quantifier: str  # all | no | some
    test: Callable[[tuple[Verdict, ...]], bool]
    build: Callable[[Mapping[str, str]], tuple[Space, Callable[[Cell], tuple[Verdict, ...]]]]
    probe: Callable[[Mapping[str, Value], Mapping[str, str]], tuple[tuple[Verdict, ...] | None, Example]]
    readings: Sequence[Mapping[str, str]]
    deciding: Callable[[Cell], tuple[str, ...]]
    wording: Callable[[bool, int], str]
    keep_fields: frozenset[str] = frozenset()
    note: str = ""

    def answer(self, text: str) -> ClaimResult:
        """Check the claim under the default readings and each alternative reading."""
        results = [self._once(dict(sel)) for sel in self.readings]
        first = results[0]
        if all(r.answer == first.answer for r in results[1:]):
            return attrs.evolve(first, text=text)
        readings = tuple(ReadingAnswer(_changed(sel, self.readings[0]) if i else {}, r.answer, r.example)
                         for i, (sel, r) in enumerate(zip(self.readings, results)))
        names = sorted({name for r in readings for name in r.readings})
        summary = (f"The answer depends on how an ambiguous provision is read ({', '.join(names)}): "
                   + ", ".join(f"{'; '.join(f'{k}={v}' for k, v in r.readings.items()) or 'default readings'} "
                               f"{answer_label(r.answer)}" for r in readings) + ".")
        return attrs.evolve(first, text=text, answer=Answer.DEPENDS_ON_READING, summary=summary,
                            readings=readings, example=None, example_role="")

    def _once(self, selection: Mapping[str, str]) -> ClaimResult:
        space, key = self.build(selection)
        kept = [cell for cell in space.cells if cell.outcomes[-1].verdict == Verdict.PERMITTED]
        holding = [cell for cell in kept if self.test(key(cell))]
        failing = [cell for cell in kept if not self.test(key(cell))]
        if self.quantifier == "all":
            ok, shown, want = not failing, failing, False
        elif self.quantifier == "no":
            ok, shown, want = not holding, holding, True
        else:
            ok = bool(holding)
            shown, want = (holding, True) if holding else (kept, False)
        example = self._smallest(space, shown, want, selection, self.test) if shown else None
        if ok and self.quantifier != "some":
            counts = Counter(r for cell in kept for r in self.deciding(cell))
            provisions = tuple(r for r, _ in counts.most_common(SHOWN_PROVISIONS))
        else:
            provisions = example.provisions if example else ()
        role = "instance" if ok else ("counterexample" if self.quantifier != "some" else "for instance")
        facts = (() if kept else ("no scenario meets the conditions",)) + ((self.note,) if self.note else ())
        return ClaimResult("", self.kind, Answer.TRUE if ok else Answer.FALSE, self.wording(ok, len(kept)),
                           len(kept), provisions, example, role if example else "", (), facts)

    def _smallest(self, space: Space, cells: Sequence[Cell], want: bool, selection: Mapping[str, str],
                  test: Callable[[tuple[Verdict, ...]], bool]) -> Example | None:
        """Greedily drop fields from the scenarios of a few cells while the verdict stays decided and
        on the same side of the claim; keep the one with the fewest fields."""
        best: Example | None = None
        for cell in sorted(cells, key=lambda c: len(c.box))[:CANDIDATES]:
            witness = space.witness(cell.box)
            scenario = {f: witness[f] for f in space.vocab.names if f in witness and (f in cell.box or f in space.fixed)}
            verdicts, example = self.probe(scenario, selection)
            if verdicts is None or test(verdicts) != want:
                continue
            for name in reversed(list(scenario)):
                if name in self.keep_fields:
                    continue
                trial = {f: v for f, v in scenario.items() if f != name}
                if evaluate(self.condition, trial, space.vocab) is not True:
                    continue
                found, trial_example = self.probe(trial, selection)
                if found is not None and test(found) == want:
                    scenario, example = trial, trial_example
            if best is None or len(example.scenario) < len(best.scenario):
                best = example
        return best


def _changed(selection: Mapping[str, str], default: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in selection.items() if default.get(k) != v}


def _alternatives(policies: Sequence[Policy]) -> list[dict[str, str]]:
    """The default readings of every interpretation, then each other reading one at a time."""
    default = {name: i.default for p in policies for name, i in p.interpretations.items()}
    out = [default]
    for p in policies:
        for name, spec in p.interpretations.items():
            out += [{**default, name: r} for r in spec.readings if r != spec.default]
    return out


def _own(policy: Policy, selection: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in selection.items() if k in policy.interpretations}


def _verdict_test(verdict: str) -> Callable[[Verdict], bool]:
    if verdict in ("not_prohibited", "not_permitted"):  # `not prohibited`: any definite verdict but that one
        positive = _verdict_test(verdict[4:])
        return lambda v: v != Verdict.CONDITIONAL and not positive(v)
    if verdict == Verdict.PERMITTED:
        return lambda v: v in ALLOWING
    return lambda v: v == verdict


def _question(parsed: Claim, corpus: Corpus) -> _Question:
    vocab = corpus.vocabulary
    if isinstance(parsed, Quantified):
        judge = resolve(parsed.instrument, corpus)
        policy = judge.policy
        fixed = {"date": parsed.date} if parsed.date else {}
        fake = synthetic(parsed.condition, policy.in_force_from, policy.in_force_to)
        matches = _verdict_test(parsed.verdict)

        def build(sel: Mapping[str, str]) -> tuple[Space, Callable[[Cell], tuple[Verdict, ...]]]:
            space = Space((policy, fake), vocab, (_own(policy, sel), {}), fixed)
            return space, lambda cell: (cell.outcomes[0].verdict,)

        def probe(scenario: Mapping[str, Value], sel: Mapping[str, str]) -> tuple[tuple | None, Example]:
            decision = decide(scenario, judge.policy, _own(policy, sel), corpus)
            found = None if decision.verdict == Verdict.CONDITIONAL else (decision.verdict,)
            return found, Example(scenario, (decision,))

        on = f" on {parsed.date.isoformat()}" if parsed.date else ""
        claimed = f"{parsed.quantifier} scenarios where {condition_words(parsed.condition)} are " \
                  f"{plain_verdict(parsed.verdict)}"

        def wording(ok: bool, n: int) -> str:
            return (f"Under {policy.id}{on}, {claimed}: {'true' if ok else 'false'} over {class_count(n)} of scenarios "
                    f"meeting the conditions.")

        facts_date = parsed.date
        question = _Question("quantified", parsed.condition, parsed.quantifier, lambda k: matches(k[0]), build,
                             probe, _alternatives((policy,)), lambda cell: _deciding(cell.outcomes[0]), wording,
                             frozenset(fixed))
        if facts_date and not policy.in_force_on(facts_date):
            question.note = (f"note: {policy.id} was not in force on {facts_date.isoformat()}; the answer "
                             f"applies its text as if it were")
        return question
    if isinstance(parsed, Position):
        return _position_question(parsed, corpus)
    assert isinstance(parsed, Stricter)
    strict, lax = resolve(parsed.stricter, corpus), resolve(parsed.than, corpus)
    a, b = lax.policy, strict.policy
    ends = [a.in_force_to, b.in_force_to]
    fake = synthetic(parsed.condition, min(a.in_force_from, b.in_force_from),
                     None if None in ends else max(e for e in ends if e is not None))

    def build(sel: Mapping[str, str]) -> tuple[Space, Callable[[Cell], tuple[Verdict, ...]]]:
        space = Space((a, b, fake), vocab, (_own(a, sel), _own(b, sel), {}))
        return space, lambda cell: (cell.outcomes[0].verdict, cell.outcomes[1].verdict)

    def probe(scenario: Mapping[str, Value], sel: Mapping[str, str]) -> tuple[tuple | None, Example]:
        decisions = tuple(decide(scenario, p, _own(p, sel), corpus) for p in (a, b))
        if any(d.verdict == Verdict.CONDITIONAL for d in decisions):
            return None, Example(scenario, decisions)
        return tuple(d.verdict for d in decisions), Example(scenario, decisions)

    basis = parsed.basis
    looser = lambda k: bool(allows(basis, k[1]) and not allows(basis, k[0]))  # noqa: E731
    return _StricterQuestion("stricter", parsed.condition, "no", looser,
                             build, probe, _alternatives((a, b)), lambda cell: _deciding(cell.outcomes[1]),
                             lambda ok, n: "", frozenset(), lax=a.id, strict=b.id, basis=basis)


@attrs.define
class _StricterQuestion(_Question):
    """`B is stricter than A`: by prohibitions (the default), B prohibits whatever A prohibits and something
    more; by permissions, B permits nothing A does not, and A permits something B does not (`orders`)."""

    lax: str = ""
    strict: str = ""
    basis: Basis = Basis.PROHIBITIONS

    def _once(self, selection: Mapping[str, str]) -> ClaimResult:
        space, key = self.build(selection)
        kept = [cell for cell in space.cells if cell.outcomes[-1].verdict == Verdict.PERMITTED]
        looser = [c for c in kept if self.test(key(c))]  # the stricter one allows, the other does not

        def tighter_test(k: tuple[Verdict, ...]) -> bool:
            return bool(allows(self.basis, k[0]) and not allows(self.basis, k[1]))

        tighter = [c for c in kept if tighter_test(key(c))]
        where = condition_words(self.condition)
        where = f" where {where}" if where != "always" else ""
        verb = "prohibits" if self.basis is Basis.PROHIBITIONS else "permits"
        if looser:
            example = self._smallest(space, looser, True, selection, self.test)
            what = (f"{self.lax} prohibits scenarios{where} that {self.strict} does not" if self.basis is Basis.PROHIBITIONS
                    else f"{self.strict} permits scenarios{where} that {self.lax} does not")
            summary = f"By what each {verb}: {what}, so {self.strict} is not stricter ({class_count(len(kept))} checked)."
            return ClaimResult("", self.kind, Answer.FALSE, summary, len(kept), example.provisions if example else (),
                               example, "counterexample" if example else "")
        if not tighter:
            summary = (f"{self.strict} and {self.lax} {verb[:-1]} exactly the same scenarios{where}, so neither is "
                       "stricter.")
            return ClaimResult("", self.kind, Answer.FALSE, summary, len(kept))
        example = self._smallest(space, tighter, True, selection, tighter_test)
        counts = Counter(r for cell in tighter for r in self.deciding(cell))
        if self.basis is Basis.PROHIBITIONS:
            summary = (f"By what each prohibits: whatever {self.lax} prohibits{where}, {self.strict} prohibits too, "
                       f"and {self.strict} prohibits scenarios {self.lax} does not ({len(tighter)} of "
                       f"{class_count(len(kept))}).")
        else:
            summary = (f"By what each permits: everything {self.strict} permits{where}, {self.lax} permits too, and "
                       f"{self.lax} permits scenarios {self.strict} does not ({len(tighter)} of "
                       f"{class_count(len(kept))}).")
        return ClaimResult("", self.kind, Answer.TRUE, summary, len(kept),
                           tuple(r for r, _ in counts.most_common(SHOWN_PROVISIONS)), example,
                           "instance" if example else "")


def _position_question(parsed: Position, corpus: Corpus) -> _Question:
    """`on DATE, US policy permits/prohibits ...`: the space splits on every instrument `evaluate_on` may
    count that day (inherited ones too), and each cell's position is `evaluate_on` of its witness."""
    policies = consulted(parsed.date, corpus)
    binding = [p.id for p in policies if p.in_force_on(parsed.date)]
    standing = ", ".join(binding) + "".join(f"; {p.id} where a successor leaves it standing"
                                             for p in policies if not p.in_force_on(parsed.date))
    if not binding:
        raise ClaimError(f"no binding instrument was in force on {parsed.date.isoformat()}", where="claim",
                         hint="choose a date from 1992-10-23 on")
    fake = synthetic(parsed.condition, parsed.date, parsed.date + dt.timedelta(days=1))
    fixed = {"date": parsed.date}
    positions: dict[tuple[int, tuple], Assessment] = {}
    latest: list[Callable[[Cell], Assessment]] = []  # the position of a cell of the space last built

    def assess(scenario: Mapping[str, Value], sel: Mapping[str, str]) -> Assessment:
        return evaluate_on({k: v for k, v in scenario.items() if k != "date"}, parsed.date, sel, corpus=corpus)

    def build(sel: Mapping[str, str]) -> tuple[Space, Callable[[Cell], tuple[Verdict, ...]]]:
        space = Space((*policies, fake), corpus.vocabulary, (*(_own(p, sel) for p in policies), {}), fixed)

        def position(cell: Cell) -> Assessment:
            key = (id(cell), tuple(sel.items()))
            if key not in positions:
                positions[key] = assess(space.witness(cell.box), sel)
            return positions[key]

        latest[:] = [position]
        return space, lambda cell: (Verdict(position(cell).verdict),)

    def probe(scenario: Mapping[str, Value], sel: Mapping[str, str]) -> tuple[tuple | None, Example]:
        assessment = assess(scenario, sel)
        found = None if assessment.verdict == Verdict.CONDITIONAL else (assessment.verdict,)
        return found, Example(assessment.scenario, assessment=assessment)

    verb = "permits" if parsed.permits else "prohibits"
    test = (lambda k: k[0] in ALLOWING) if parsed.permits else (lambda k: k[0] == Verdict.PROHIBITED)

    def wording(ok: bool, n: int) -> str:
        scope = "some" if parsed.permits else "every"
        return (f"On {parsed.date.isoformat()} (instruments binding the US: {standing}), "
                f"US policy {verb} {condition_words(parsed.condition)} in {scope} case: "
                f"{'true' if ok else 'false'} over {class_count(n)} of scenarios meeting the conditions.")

    return _Question("position", parsed.condition, "some" if parsed.permits else "all", test, build, probe,
                     _alternatives(policies), lambda cell: tuple(latest[0](cell).deciding_rules), wording, frozenset(fixed))


def _deciding(outcome: Outcome) -> tuple[str, ...]:
    return tuple(outcome.deciding)
