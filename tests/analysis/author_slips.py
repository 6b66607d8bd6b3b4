"""Hand-designed author slips: edits of a policy file's YAML that an author could make by mistake.

A slip is one edit: an exception deleted, unlinked or misspelt; a rule deleted or pasted twice; a
verdict swapped; a value dropped or added; a test dropped; a flag flipped; a bound or date moved; a
provision tagged with the wrong reading; a definition or the scope narrowed; the wrong default
reading; the period in force moved; a layering reference misspelt.

Each operator is written against the file format (docs/policy-format.md), not against the engine's
model, so the mutants do not share the checker's view of a policy. A mutant is the file's document
with one slip, tagged with its kind and whether it touches a provision that exists only under a
non-default reading.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

YEAR = dt.timedelta(days=365)


@attrs.frozen
class Slip:
    """One mutant: its kind, where, whether it is in a provision of a non-default reading, and the document."""

    kind: str
    where: str
    other_reading: bool
    doc: Mapping[str, Any] = attrs.field(eq=False, repr=False)


def _other_reading(doc: Mapping[str, Any], rule: Mapping[str, Any]) -> bool:
    """True when the rule exists only under a reading that is not the default."""
    tags = rule.get("interpretation") or {}
    specs = doc.get("interpretations") or {}
    return any(name in specs and specs[name].get("default") != reading for name, reading in tags.items())


def _misspelt(name: str) -> str:
    return name.replace("-", "_") if "-" in name else name + "x"


def slips(doc: Mapping[str, Any], vocab: Any) -> Iterator[Slip]:
    """Every slip of one policy document."""
    rules = doc.get("rules") or []
    ids = [r.get("id") for r in rules]
    for i, rule in enumerate(rules):
        other = _other_reading(doc, rule)
        rid = rule.get("id")

        def edited(kind: str, change: Any, where: str = rid) -> Slip:
            new = copy.deepcopy(doc)
            change(new["rules"][i], new)
            return Slip(kind, f"{doc['id']}:{where}", other, new)

        if rule.get("exception_to"):
            yield _deleted(doc, i, "deleted_exception", other)
            yield edited("unlinked_exception", lambda r, d: r.pop("exception_to"))
            yield edited("misspelt_exception_target",
                         lambda r, d: r.update(exception_to=[_misspelt(t) for t in _list(r["exception_to"])]))
        elif ids.count(rid) == 1:
            yield _deleted(doc, i, "deleted_rule", other)
        yield _copied(doc, i, other)
        flip = {"permitted": "prohibited", "prohibited": "permitted", "required": "permitted"}
        if rule.get("effect") in flip:
            yield edited("swapped_verdict", lambda r, d: r.update(effect=flip[r["effect"]]))
        if isinstance(rule.get("until"), dt.date):
            yield edited("moved_until", lambda r, d: r.update(until=r["until"] + YEAR))
        if isinstance(rule.get("from"), dt.date):
            yield edited("moved_from", lambda r, d: r.update({"from": r["from"] + YEAR}))
        if rule.get("inherited_from"):
            yield edited("misspelt_inherited_from", lambda r, d: r.update(inherited_from=_misspelt(r["inherited_from"])))
        for name, reading in (rule.get("interpretation") or {}).items():
            others = [x for x in (doc.get("interpretations") or {}).get(name, {}).get("readings", {}) if x != reading]
            if others:
                yield edited("wrong_reading_tag", lambda r, d, n=name, o=others[0]: r["interpretation"].update({n: o}))
        yield from _condition_slips(doc, i, rule.get("when"), vocab, other)
    yield from _document_slips(doc, vocab)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _deleted(doc: Mapping[str, Any], index: int, kind: str, other: bool) -> Slip:
    new = copy.deepcopy(doc)
    rid = new["rules"][index].get("id")
    del new["rules"][index]
    return Slip(kind, f"{doc['id']}:{rid}", other, new)


def _copied(doc: Mapping[str, Any], index: int, other: bool) -> Slip:
    """The rule pasted a second time under a new id (a copy the author meant to edit, then forgot)."""
    new = copy.deepcopy(doc)
    pasted = copy.deepcopy(new["rules"][index])
    pasted["id"] = f"{pasted.get('id')}.copy"
    new["rules"].insert(index + 1, pasted)
    return Slip("pasted_rule", f"{doc['id']}:{pasted['id']}", other, new)


def _condition_slips(doc: Mapping[str, Any], index: int, when: Any, vocab: Any, other: bool) -> Iterator[Slip]:
    """Slips inside a rule's top-level `when` mapping: a value dropped or added, a test dropped, a bound moved."""
    if not isinstance(when, Mapping):
        return
    rid = doc["rules"][index].get("id")
    for key, value in when.items():
        def edited(kind: str, new_value: Any, key: str = key) -> Slip:
            new = copy.deepcopy(doc)
            target = new["rules"][index]["when"]
            if new_value is _DROP:
                target.pop(key)
            else:
                target[key] = new_value
            return Slip(kind, f"{doc['id']}:{rid}.{key}", other, new)

        if len(when) > 1:
            yield edited("dropped_test", _DROP)
        spec = vocab.fields.get(key)
        if spec is None:
            continue
        if spec.type == "enum" and isinstance(value, (str, list)):
            values = _list(value)
            if len(values) > 1:
                yield edited("value_dropped", values[:-1])
            missing = [v for v in spec.values if v not in values]
            if missing:
                yield edited("value_added", values + missing[:1])
        elif spec.type == "bool" and isinstance(value, bool):
            yield edited("flipped_flag", not value)
        elif isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in ("gte", "lte"):
            op, bound = next(iter(value.items()))
            step = YEAR if isinstance(bound, dt.date) else 1
            if not isinstance(bound, str):
                yield edited("moved_bound", {op: bound + step})
                yield edited("swapped_bound", {"lte" if op == "gte" else "gte": bound})


_DROP = object()


def _document_slips(doc: Mapping[str, Any], vocab: Any) -> Iterator[Slip]:
    """Slips outside the rules: the period in force, a definition, the scope, a default reading, layering."""
    in_force = doc.get("in_force") or {}
    for key in ("from", "to"):
        if isinstance(in_force.get(key), dt.date):
            new = copy.deepcopy(doc)
            new["in_force"][key] = in_force[key] + dt.timedelta(days=30)
            yield Slip("moved_in_force", f"{doc['id']}:in_force.{key}", False, new)
    for i, definition in enumerate(doc.get("definitions") or []):
        for narrowed in _narrowings(definition.get("when"), vocab):
            new = copy.deepcopy(doc)
            new["definitions"][i]["when"] = narrowed
            yield Slip("narrowed_definition", f"{doc['id']}:{definition.get('id')}", False, new)
    scope = doc.get("scope")
    body = scope.get("when") if isinstance(scope, Mapping) and "when" in scope else scope
    for narrowed in _narrowings(body, vocab):
        new = copy.deepcopy(doc)
        if isinstance(scope, Mapping) and "when" in scope:
            new["scope"]["when"] = narrowed
        else:
            new["scope"] = narrowed
        yield Slip("narrowed_scope", f"{doc['id']}:scope", False, new)
    for name, spec in (doc.get("interpretations") or {}).items():
        others = [r for r in spec.get("readings", {}) if r != spec.get("default")]
        if others:
            new = copy.deepcopy(doc)
            new["interpretations"][name]["default"] = others[0]
            yield Slip("wrong_default_reading", f"{doc['id']}:{name}", True, new)
    for key in ("replaces", "supplements"):
        for name in _list(doc.get(key) or []):
            new = copy.deepcopy(doc)
            new[key] = [_misspelt(n) if n == name else n for n in _list(doc[key])]
            yield Slip("misspelt_layering", f"{doc['id']}:{key}", False, new)


def _narrowings(cond: Any, vocab: Any) -> Iterator[Any]:
    """A condition with one value of a list dropped, or one alternative of an `any` dropped."""
    if isinstance(cond, Mapping):
        if set(cond) == {"any"} and isinstance(cond["any"], list) and len(cond["any"]) > 1:
            yield {"any": cond["any"][:-1]}
            return
        for key, value in cond.items():
            if key in vocab.fields and isinstance(value, list) and len(value) > 1:
                yield {**cond, key: value[:-1]}
