"""Which instruments were in force on a date, how they layer, and the US position they add up to.

Executive policies follow one another (`replaces`), add to one another (`supplements`), and are
carried over when a new President keeps a predecessor's policy; a statute and APII sit under them;
Ottawa is reported beside them but never counted, since the US is not a party (brief §1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from .decision import Assessment, Decision, Layer
from .errors import ScenarioError
from .model import Policy
from .registry import corpus_or_bundled, data_dir, vocabulary
from .vocabulary import Value, did_you_mean
from .yamlio import load_yaml

if TYPE_CHECKING:
    from .corpus import Corpus

RESTRICTIVENESS = ("prohibited", "conflict", "required", "permitted")
ROLES = {"executive_policy": "executive", "statute": "statute", "treaty": "treaty"}


@attrs.frozen
class Presidency:
    """A President and the day the term began."""

    name: str
    start: dt.date


@attrs.frozen
class InForce:
    """One instrument in force on a date and its place in the layering."""

    policy: Policy
    role: str  # executive | statute | treaty | not_binding
    note: str = ""

    def __repr__(self) -> str:
        from .display import in_force_repr

        return in_force_repr(self)

    def _repr_html_(self) -> str:
        from .display import in_force_html

        return in_force_html(self)


@lru_cache(maxsize=1)
def presidencies() -> tuple[Presidency, ...]:
    """Presidents from 1989, from `policies/presidents.yaml`."""
    doc = load_yaml(str(data_dir() / "policies" / "presidents.yaml"))
    return tuple(Presidency(str(p["name"]), p["from"]) for p in doc["presidents"])


def president_on(day: dt.date) -> str:
    """The President in office on `day`."""
    current = ""
    for term in presidencies():
        if term.start <= day:
            current = term.name
    return current


def parse_date(value: str | dt.date, what: str = "date") -> dt.date:
    """An ISO date from the command line or the API; ScenarioError naming the fix otherwise."""
    return vocabulary().fields["date"].coerce(value, what)


def replaced_by(policy: Policy, corpus: Corpus | None = None) -> tuple[str, ...]:
    """The instruments of the corpus that name `policy` under `replaces`."""
    return tuple(p.id for p in corpus_or_bundled(corpus) if policy.id in p.replaces)


def in_force(day: str | dt.date, corpus: Corpus | None = None) -> tuple[InForce, ...]:
    """The instruments of the corpus in force on `day`, executive policies first, each with its layering note."""
    day = parse_date(day)
    table = {p.id: p for p in corpus_or_bundled(corpus) if p.in_force_on(day)}
    president = president_on(day)
    out = []
    for policy in table.values():
        role = ROLES[policy.kind] if policy.binds_us else "not_binding"
        notes = []
        notes += [f"supplements {other}" for other in policy.supplements if other in table]
        notes += [f"in force beside {other}, which it replaces in part until "
                  f"{table[other].in_force_to.isoformat()}" for other in policy.replaces
                  if other in table and table[other].in_force_to]
        notes += [f"modified in part by {p.id}" for p in table.values() if policy.id in p.replaces]
        if policy.president and president and policy.president != president:
            notes.append(f"carried over: issued under {policy.president}, still in force under {president}")
        if not policy.binds_us:
            notes.append("the US is not a party: reported as if it were, not counted")
        out.append(InForce(policy, role, "; ".join(notes)))
    order = {"executive": 0, "statute": 1, "treaty": 2, "not_binding": 3}
    return tuple(sorted(out, key=lambda f: (order[f.role], f.policy.in_force_from)))


def evaluate_on(scenario: Mapping[str, Value], day: str | dt.date,
                interpretation: Mapping[str, str] | None = None, corpus: Corpus | None = None) -> Assessment:
    """Evaluate the scenario under everything of the corpus in force on `day`, and the overall US position."""
    day = parse_date(day, "--on")
    corpus = corpus_or_bundled(corpus)
    fields = {**corpus.vocabulary.validate(scenario), "date": day}
    standing = in_force(day, corpus)
    readings = dict(interpretation or {})
    declared = {name for p in corpus for name in p.interpretations}
    for name in readings:
        if name not in declared:
            raise ScenarioError(f"no instrument declares interpretation '{name}'", where="interpretation",
                                hint=did_you_mean(name, tuple(sorted(declared))))
    layers = []
    for entry in standing:
        judge = corpus.evaluator(entry.policy.id)
        own = {k: v for k, v in readings.items() if k in entry.policy.interpretations}
        decision = judge.evaluate(fields, own)
        layers.append(Layer(entry.policy.id, entry.role, entry.policy.binds_us, decision, entry.note))
    verdict, deciding = overall([layer for layer in layers if layer.binds_us])
    return Assessment(date=day, verdict=verdict, deciding_policy=deciding.policy if deciding else None,
                      deciding_rules=deciding.deciding_rules if deciding else (), layers=tuple(layers),
                      president=president_on(day), scenario=fields)


def overall(layers: list[Layer]) -> tuple[str, Decision | None]:
    """The most restrictive verdict among binding instruments that address the scenario.

    A conditional instrument that could be more restrictive than every definite answer makes the
    overall position conditional. Ties go to the first layer (the executive policy)."""
    definite = [layer.decision for layer in layers if layer.decision.verdict in RESTRICTIVENESS]
    best = min(definite, key=lambda d: RESTRICTIVENESS.index(d.verdict), default=None)
    rank = RESTRICTIVENESS.index(best.verdict) if best else len(RESTRICTIVENESS)
    for layer in layers:
        decision = layer.decision
        if decision.verdict == "conditional" and any(
                r.verdict in RESTRICTIVENESS[:rank] for r in decision.residual):
            return "conditional", decision
    if best is None:
        return "not_addressed", None
    return best.verdict, best
