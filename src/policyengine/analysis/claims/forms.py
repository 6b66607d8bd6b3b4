"""Check the claim forms beyond the four of `check.py`: a claim over a period, the US being bound by
an instrument, a change of the US position on a date, and a provision that applies to (or decides)
scenarios. Each answers TRUE or FALSE with what settles it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import attrs

from ...core.conditions import All, Any_, Condition, Not, Test, evaluate
from ...core.corpus import Corpus
from ...core.errors import ClaimError
from ...core.model import Policy
from ...core.outcomes import ALLOWING, Verdict
from ...core.space import Space
from ...core.timeline import evaluate_on
from ...core.vocabulary import did_you_mean
from .grammar import BoundClaim, ChangeClaim, PeriodClaim, ProvisionClaim, condition_words
from .instruments import decide, resolve, synthetic
from .result import Answer, ClaimResult, Example, answer_label, class_count, plain_verdict

#: The checker of any parsed claim (check.check), passed in: a period claim is checked day by day.
Checker = Callable[[object, str, Corpus], ClaimResult]

EXTRA_FORMS = (PeriodClaim, BoundClaim, ChangeClaim, ProvisionClaim)


def check_extra(parsed: object, text: str, corpus: Corpus, check: Checker) -> ClaimResult:
    """Check a claim of one of EXTRA_FORMS."""
    if isinstance(parsed, PeriodClaim):
        return _period(parsed, text, corpus, check)
    if isinstance(parsed, BoundClaim):
        return _bound(parsed, text, corpus)
    if isinstance(parsed, ChangeClaim):
        return _change(parsed, text, corpus)
    assert isinstance(parsed, ProvisionClaim)
    return _provision(parsed, text, corpus)


# --- periods -------------------------------------------------------------------------------------

def change_dates(start: dt.date, end: dt.date | None, corpus: Corpus) -> list[dt.date]:
    """The first day of the period and every day in it on which an instrument enters into or leaves
    force or a dated provision starts or stops: the answer can change only on those days."""
    days = {start}
    for policy in corpus:
        days |= {policy.in_force_from, *([policy.in_force_to] if policy.in_force_to else [])}
        for rule in policy.rules:
            days |= set(_rule_days(rule.condition))
    return sorted(d for d in days if d >= start and (end is None or d <= end))


def _rule_days(cond: Condition) -> Iterator[dt.date]:
    """The days a dated condition starts to hold or stops holding (`date >= D`: D; `date <= D`: the day after)."""
    if isinstance(cond, Test) and cond.field == "date":
        for value in cond.values:
            if isinstance(value, dt.date):
                yield value + dt.timedelta(days=1) if cond.op == "lte" else value
    elif isinstance(cond, (All, Any_)):
        for part in cond.parts:
            yield from _rule_days(part)
    elif isinstance(cond, Not):
        yield from _rule_days(cond.part)


def _period(parsed: PeriodClaim, text: str, corpus: Corpus, check: Checker) -> ClaimResult:
    period = parsed.period
    days = change_dates(period.start, period.end, corpus)
    span = (f"from {period.start.isoformat()} to {period.end.isoformat()}" if period.end else
            f"since {period.start.isoformat()}")
    results = []
    for day in days:
        result = check(parsed.make(day), text, corpus)
        results.append((day, result))
        if result.answer == Answer.FALSE:
            summary = (f"Not on {day.isoformat()}: {result.summary} The claim must hold on every day {span}; "
                       f"checked on {len(results)} of the {len(days)} days on which the answer could change.")
            return attrs.evolve(result, text=text, summary=summary)
    depends = [(d, r) for d, r in results if r.answer == Answer.DEPENDS_ON_READING]
    first = (depends or results)[0][1]
    answer = Answer.DEPENDS_ON_READING if depends else Answer.TRUE
    count = "the one day" if len(days) == 1 else f"each of the {len(days)} days"
    summary = (f"{answer_label(answer)} on {count} {span} on which the answer could change "
               f"({', '.join(d.isoformat() for d in days[:6])}{' ...' if len(days) > 6 else ''}).")
    provisions = tuple(dict.fromkeys(p for _, r in results for p in r.provisions))[:12]
    return attrs.evolve(first, text=text, answer=answer, summary=summary, provisions=provisions)


# --- binding status ------------------------------------------------------------------------------

def _bound(parsed: BoundClaim, text: str, corpus: Corpus) -> ClaimResult:
    policy = resolve(parsed.instrument, corpus).policy
    on = parsed.date
    standing = policy.in_force_on(on) if on else policy.in_force_to is None
    bound = policy.binds_us and standing
    holds = bound != parsed.negated
    when = f"on {on.isoformat()}" if on else "now"
    why = ("it does not bind the US (evaluated as if the US were a party)" if not policy.binds_us else
           f"it is in force {when}" if standing else f"it is not in force {when}")
    period = (f"{policy.id} in force from {policy.in_force_from.isoformat()}"
              + (f" to {policy.in_force_to.isoformat()} (exclusive)" if policy.in_force_to else ", still in force"))
    summary = f"The US {'is' if bound else 'is not'} bound by {policy.id} {when}: {why}."
    return ClaimResult(text, "bound", Answer.TRUE if holds else Answer.FALSE, summary,
                       facts=(period, f"binds_us: {str(policy.binds_us).lower()}"))


# --- a change of the US position -----------------------------------------------------------------

def _change(parsed: ChangeClaim, text: str, corpus: Corpus) -> ClaimResult:
    day, before = parsed.date, parsed.date - dt.timedelta(days=1)
    policies = tuple(p for p in corpus if p.binds_us and (p.in_force_on(day) or p.in_force_on(before)))
    if not policies:
        raise ClaimError(f"no binding instrument was in force around {day.isoformat()}", where="claim",
                         hint="choose a date from 1992-10-23 on")
    fake = synthetic(parsed.condition, before, day + dt.timedelta(days=1))
    space = Space((*policies, fake), corpus.vocabulary, None)
    was, now = _verdict_test(parsed.before), _verdict_test(parsed.after)
    seen = 0
    example = None
    for scenario in _meeting(space, parsed.condition):
        a, b = evaluate_on(scenario, before, corpus=corpus), evaluate_on(scenario, day, corpus=corpus)
        if Verdict.CONDITIONAL in (a.verdict, b.verdict):
            continue
        seen += 1
        if was(a.verdict) and now(b.verdict):
            summary = (f"On {before.isoformat()} the US position on {condition_words(parsed.condition)} was "
                       f"{plain_verdict(a.verdict)} ({a.deciding_policy or 'no instrument'}); on {day.isoformat()} "
                       f"it is {plain_verdict(b.verdict)} ({b.deciding_policy or 'no instrument'}).")
            return ClaimResult(text, "change", Answer.TRUE, summary, seen, tuple(b.deciding_rules),
                               Example(b.scenario, assessment=b), "instance",
                               facts=(f"the day before: {_words(a)}",))
        if example is None or (was(a.verdict) and not was(example[0].verdict)):
            example = (a, b)  # preferably one that had the first verdict, to show what it became
    summary = (f"No scenario where {condition_words(parsed.condition)} went from {plain_verdict(parsed.before)} "
               f"on {before.isoformat()} to {plain_verdict(parsed.after)} on {day.isoformat()} "
               f"({class_count(seen)} checked).")
    if example is None:
        return ClaimResult(text, "change", Answer.FALSE, summary, seen, facts=("no scenario meets the conditions",))
    a, b = example
    return ClaimResult(text, "change", Answer.FALSE, summary, seen, tuple(b.deciding_rules),
                       Example(b.scenario, assessment=b), "counterexample", facts=(f"the day before: {_words(a)}",))


def _words(assessment: object) -> str:
    verdict = getattr(assessment, "verdict")
    by = getattr(assessment, "deciding_policy")
    rules = ", ".join(getattr(assessment, "deciding_rules"))
    return f"{plain_verdict(verdict)}" + (f" by {by} ({rules})" if by else "")


def _verdict_test(verdict: str):
    if verdict == Verdict.PERMITTED:
        return lambda v: v in ALLOWING
    return lambda v: v == verdict


def _meeting(space: Space, condition: Condition) -> Iterator[dict]:
    """One scenario per cell of the space that meets the condition (its fields only), smallest first."""
    names = space.vocab.names
    for cell in sorted(space.cells, key=lambda c: len(c.box)):
        if cell.outcomes[-1].verdict != Verdict.PERMITTED:
            continue
        witness = space.witness(cell.box)
        scenario = {f: witness[f] for f in names if f in witness and f in cell.box and f != "date"}
        if space.vocab.contradiction(scenario) is None and evaluate(condition, scenario, space.vocab) is not False:
            yield scenario


# --- provisions ----------------------------------------------------------------------------------

def owner(provision: str, corpus: Corpus) -> Policy:
    """The instrument that has the provision; ClaimError with a suggestion otherwise."""
    for policy in corpus:
        if provision in policy.rule_ids():
            return policy
    known = [r for p in corpus for r in p.rule_ids()]
    raise ClaimError(f"no provision '{provision}'", where="claim", hint=did_you_mean(provision, known))


def _provision(parsed: ProvisionClaim, text: str, corpus: Corpus) -> ClaimResult:
    policy = owner(parsed.provision, corpus)
    fake = synthetic(parsed.condition, policy.in_force_from, policy.in_force_to)
    space = Space((policy, fake), corpus.vocabulary, None)
    verb = {"applies": "applies to", "not_applies": "does not apply to", "decides": "decides"}[parsed.mode]
    checked = 0
    for scenario in _meeting(space, parsed.condition):
        decision = decide(scenario, policy, {}, corpus)
        if decision.verdict == Verdict.CONDITIONAL:
            continue
        checked += 1
        inside = parsed.provision in (decision.deciding_rules if parsed.mode == "decides" else decision.applicable_rules)
        if inside == (parsed.mode == "not_applies"):
            summary = (f"{parsed.provision} of {policy.id} {verb} {condition_words(parsed.condition)}: false; "
                       f"on this scenario it {'applies' if inside else 'does not ' + ('decide' if parsed.mode == 'decides' else 'apply')}.")
            return ClaimResult(text, "provision", Answer.FALSE, summary, checked, tuple(decision.deciding_rules),
                               Example(scenario, (decision,)), "counterexample")
    scope = "no scenario" if parsed.mode == "not_applies" else "every scenario"
    verb = "applies to" if parsed.mode == "not_applies" else verb
    summary = (f"{parsed.provision} of {policy.id} {verb} {scope} where {condition_words(parsed.condition)} "
               f"({class_count(checked)} checked).")
    facts = () if checked else ("no scenario meets the conditions",)
    return ClaimResult(text, "provision", Answer.TRUE if checked else Answer.FALSE, summary, checked,
                       (parsed.provision,), facts=facts)
