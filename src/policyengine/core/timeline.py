"""Which instruments were in force on a date, how they layer, and the US position they add up to.

Executive policies follow one another (`replaces`), add to one another (`supplements`), and are
carried over when a new President keeps a predecessor's policy; a statute and APII sit under them;
Ottawa is reported beside them but never counted, since the US is not a party.

Layering (the README's design notes): the executive layer decides the US position; a replacement
reaches only as far as `policies/layering.yaml` says, and provisions it leaves standing are carried
over as inherited layers; a statute or treaty adds its prohibitions and duties, but its permission
never decides the position on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from .data import data_dir
from .decision import Assessment, Decision, Flag, Layer
from .errors import ScenarioError
from .model import Policy
from .outcomes import FlagKind, Reason, Verdict
from .rendering import shown
from .vocabulary import Value, coerce_date, did_you_mean
from .yamlio import load_yaml

if TYPE_CHECKING:
    from .corpus import Corpus

RESTRICTIVENESS = ("prohibited", "conflict", "required", "permitted")
ROLES = {"executive_policy": "executive", "statute": "statute", "treaty": "treaty"}
EXECUTIVE_ROLES = ("executive", "inherited")
FLOOR_ROLES = ("statute", "treaty")
BINDING_FLOOR = ("prohibited", "conflict", "required")


@attrs.frozen
class Presidency:
    """A President and the day the term began."""

    name: str
    start: dt.date


@shown("in_force", "repr", "html")
@attrs.frozen
class InForce:
    """One instrument in force on a date and its place in the layering."""

    policy: Policy
    role: str  # executive | statute | treaty | not_binding
    note: str = ""


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
    return coerce_date(value, "date", what)


def replaced_by(policy: Policy, corpus: Corpus) -> tuple[str, ...]:
    """The instruments of the corpus that name `policy` under `replaces`."""
    return tuple(p.id for p in corpus if policy.id in p.replaces)


def in_force(day: str | dt.date, corpus: Corpus) -> tuple[InForce, ...]:
    """The instruments of the corpus in force on `day`, executive policies first, each with its layering note."""
    day = parse_date(day)
    table = {p.id: p for p in corpus if p.in_force_on(day)}
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
                interpretation: Mapping[str, str] | None = None, *, corpus: Corpus) -> Assessment:
    """Evaluate the scenario under everything of the corpus in force on `day`, and the overall US position."""
    day = parse_date(day, "--on")
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
    layers = with_inherited(layers, readings, corpus)
    verdict, deciding = overall([layer for layer in layers if layer.binds_us])
    return Assessment(date=day, verdict=verdict, deciding_policy=deciding.policy if deciding else None,
                      deciding_rules=deciding.deciding_rules if deciding else (), layers=tuple(layers),
                      president=president_on(day), scenario=fields)


def consulted(day: str | dt.date, corpus: Corpus) -> tuple[Policy, ...]:
    """Every instrument whose answer `evaluate_on` may count on `day`: those in force that bind the US,
    and the predecessors a partial replacement leaves standing (see `carried_over`), transitively."""
    found = {entry.policy.id: entry.policy for entry in in_force(day, corpus) if entry.policy.binds_us}
    partial = partial_replacements()
    todo = [p for p in found.values() if p.kind == "executive_policy"]
    while todo:
        successor = todo.pop()
        for previous in successor.replaces:
            if (successor.id, previous) in partial and previous in corpus and previous not in found:
                found[previous] = corpus[previous]
                todo.append(found[previous])
    return tuple(found.values())


@attrs.frozen
class OtherReading:
    """The US position on the same date under another reading of an interpretation a layer turns on."""

    interpretation: str
    reading: str
    policy: str
    verdict: str
    deciding_policy: str | None
    deciding_rules: tuple[str, ...]


#: flags that say something about the answer itself (dates and inheritance are told by the layer notes)
CAVEAT_KINDS = (FlagKind.INTERPRETATION, FlagKind.LOW_CONFIDENCE, FlagKind.DEPARTURE_OF_PRACTICE,
                FlagKind.PAST_HORIZON)


def caveats(assessment: Assessment) -> tuple[tuple[str, Flag], ...]:
    """(instrument, flag) for every flag of a binding layer that qualifies the answer."""
    return tuple((layer.policy, flag) for layer in assessment.layers if layer.binds_us
                 for flag in layer.decision.flags if flag.kind in CAVEAT_KINDS)


def other_readings(assessment: Assessment, interpretation: Mapping[str, str] | None = None, *,
                   corpus: Corpus) -> tuple[OtherReading, ...]:
    """The US position under each other reading of an interpretation a binding layer turns on, where its verdict differs."""
    chosen = dict(interpretation or {})
    out = []
    for policy, flag in caveats(assessment):
        if flag.kind != FlagKind.INTERPRETATION:
            continue
        spec = corpus.evaluator(policy).policy.interpretations[flag.subject]
        current = chosen.get(flag.subject, spec.default)
        for reading in spec.readings:
            if reading == current:
                continue
            other = evaluate_on(assessment.scenario, assessment.date, {**chosen, flag.subject: reading}, corpus=corpus)
            if other.verdict != assessment.verdict:
                out.append(OtherReading(flag.subject, reading, policy, str(other.verdict), other.deciding_policy,
                                        other.deciding_rules))
    return tuple(out)


def partial_replacements() -> dict[tuple[str, str], str]:
    """(policy, replaced) -> why: the replacements that reach only as far as the policy's scope."""
    return dict(_partial())


@lru_cache(maxsize=1)
def _partial() -> tuple[tuple[tuple[str, str], str], ...]:
    path = data_dir() / "policies" / "layering.yaml"
    if not path.is_file():  # a data folder without it: every replacement is whole
        return ()
    doc = load_yaml(str(path))
    return tuple(((str(e["policy"]), str(e["replaces"])), " ".join(str(e.get("note", "")).split()))
                 for e in doc.get("partial") or ())


def with_inherited(layers: list[Layer], readings: Mapping[str, str] | None, corpus: Corpus) -> list[Layer]:
    """The layers with the inherited ones (see `carried_over`) placed after the executive policies."""
    inherited = carried_over(layers, readings, corpus)
    cut = sum(1 for layer in layers if layer.role == "executive")
    return [*layers[:cut], *inherited, *layers[cut:]]


def carried_over(layers: list[Layer], readings: Mapping[str, str] | None, corpus: Corpus) -> list[Layer]:
    """Layers for replaced policies whose provisions stay in force where their successor is silent.

    An executive policy that replaces a predecessor only within its scope (`policies/layering.yaml`)
    leaves the predecessor's provisions standing outside that scope: when the successor's answer is
    out of scope, the predecessor's answer (or, if it too is out of scope, what it carried over in
    turn) is reported as an inherited layer."""
    partial = partial_replacements()
    out: list[Layer] = []
    seen = {layer.policy for layer in layers}
    for layer in layers:
        if layer.role != "executive":
            continue
        out += _inherited(layer.policy, layer.decision, partial, seen, readings or {}, (), corpus)
    return out


def _inherited(successor: str, decision: Decision, partial: Mapping[tuple[str, str], str], seen: set[str],
               readings: Mapping[str, str], chain: tuple[str, ...], corpus: Corpus) -> list[Layer]:
    if decision.verdict != Verdict.NOT_ADDRESSED or decision.reason != Reason.OUT_OF_SCOPE:
        return []
    out: list[Layer] = []
    for previous in corpus.evaluator(successor).policy.replaces:
        if (successor, previous) not in partial or previous in seen or previous not in corpus:
            continue
        seen.add(previous)
        judge = corpus.evaluator(previous)
        own = {k: v for k, v in readings.items() if k in judge.policy.interpretations}
        earlier = judge.evaluate(decision.scenario, own)
        note = (f"inherited: {successor} replaced {previous} only within its own scope, and this scenario is "
                f"outside it, so {previous}'s provisions stay in force ({partial[(successor, previous)]})")
        if chain:
            note += f"; {', '.join(chain)} left that standing in the same way"
        if earlier.verdict == Verdict.NOT_ADDRESSED and earlier.reason == Reason.OUT_OF_SCOPE:
            out += _inherited(previous, earlier, partial, seen, readings, (*chain, successor), corpus)
            continue
        flags = tuple(f for f in earlier.flags if f.kind != FlagKind.NOT_IN_FORCE)
        flags += (Flag(FlagKind.INHERITED, previous, note.removeprefix("inherited: ")),)
        out.append(Layer(previous, "inherited", True, attrs.evolve(earlier, flags=flags), note))
    return out


def overall(layers: list[Layer]) -> tuple[str, Decision | None]:
    """The US position: the most restrictive of the executive layer's answer (with what it inherits)
    and the prohibitions and duties of the statutes and treaties that bind the US.

    A statute's or treaty's permission is a floor that allows the US to act, not a decision to do so:
    where the executive layer is silent it leaves the position `not_addressed` (see `floor_permission`).
    A conditional layer that could be more restrictive than every definite answer makes the position
    conditional. Ties go to the first layer (the executive policy)."""
    counted = [layer for layer in layers if layer.binds_us and _counts(layer)]
    definite = [layer.decision for layer in counted if layer.decision.verdict in RESTRICTIVENESS]
    best = min(definite, key=lambda d: RESTRICTIVENESS.index(d.verdict), default=None)
    rank = RESTRICTIVENESS.index(best.verdict) if best else len(RESTRICTIVENESS)
    for layer in layers:
        decision = layer.decision
        if not layer.binds_us or decision.verdict != Verdict.CONDITIONAL:
            continue
        allowed = RESTRICTIVENESS if layer.role in EXECUTIVE_ROLES else BINDING_FLOOR
        if any(r.verdict in RESTRICTIVENESS[:rank] and r.verdict in allowed for r in decision.residual):
            return "conditional", decision
    if best is None:
        return "not_addressed", None
    return best.verdict, best


def _counts(layer: Layer) -> bool:
    """True when the layer's answer can decide the position: any executive answer, a floor's bar or duty."""
    return layer.role not in FLOOR_ROLES or layer.decision.verdict in BINDING_FLOOR


def floor_permission(layers: tuple[Layer, ...] | list[Layer]) -> tuple[Layer, ...]:
    """The binding statutes and treaties that permit the scenario (the floor under a silent executive layer)."""
    return tuple(layer for layer in layers if layer.binds_us and layer.role in FLOOR_ROLES
                 and layer.decision.verdict == Verdict.PERMITTED)


def position_words(verdict: str, deciding_policy: str | None, layers: tuple[Layer, ...] | list[Layer]) -> str:
    """How the position reads when US policy is silent: "not addressed by US policy; the treaty allows it"."""
    if verdict != Verdict.NOT_ADDRESSED or deciding_policy is not None:
        return ""
    floor = floor_permission(layers)
    if not floor:
        return "not addressed by US policy"
    allows = "; ".join(f"{'the treaty' if layer.role == 'treaty' else 'the statute'} {layer.policy} allows it "
                       f"({', '.join(layer.decision.deciding_rules)})" for layer in floor)
    return f"not addressed by US policy; {allows}"
