"""Conditions over scenario fields: parsed from policy YAML, evaluated in three-valued logic.

A condition is a tree of `Test` leaves (field in / not in values, field >= / <= a bound) under
`All`, `Any` and `Not`. `Defined` marks where a definition of the instrument was used, so an
explanation can cite it. Evaluation is Kleene's: a test on a field the scenario does not give is
unknown (None), and `All`/`Any` decide as soon as the known parts decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .errors import PolicyFileError, ScenarioError, shown
from .vocabulary import Value, Vocabulary, did_you_mean, show_value
from .yamlio import where

FIELD_OPS = ("gte", "lte", "not")


@attrs.frozen
class Test:
    """A leaf: `field op values` where op is in, not_in, gte or lte."""

    field: str
    op: str
    values: tuple[Value, ...]


@attrs.frozen
class All:
    """Every part holds (true when empty)."""

    parts: tuple[Condition, ...]


@attrs.frozen
class Any_:
    """Some part holds (false when empty)."""

    parts: tuple[Condition, ...]


@attrs.frozen
class Not:
    """The part does not hold."""

    part: Condition


@attrs.frozen
class Defined:
    """The instrument's definition `term` (provision `definition`) holds; `body` is its condition."""

    term: str
    definition: str
    body: Condition


Condition = Test | All | Any_ | Not | Defined
TRUE: Condition = All(())
FALSE: Condition = Any_(())
Truth = bool | None


def _ordered(vocab: Vocabulary, field: str) -> Callable[[Value], Any]:
    spec = vocab.fields[field]
    if spec.type == "enum":
        if not spec.ordered:
            raise ValueError(field)
        return spec.rank
    return lambda v: v


def test_truth(test: Test, value: Value, vocab: Vocabulary) -> bool:
    """Truth of one leaf for a known value of its field."""
    if test.op == "in":
        return value in test.values
    if test.op == "not_in":
        return value not in test.values
    key = _ordered(vocab, test.field)
    if test.op == "gte":
        return key(value) >= key(test.values[0])
    return key(value) <= key(test.values[0])


def evaluate(cond: Condition, scenario: Mapping[str, Value], vocab: Vocabulary) -> Truth:
    """Kleene evaluation: True, False, or None when the scenario leaves it open."""
    if isinstance(cond, Test):
        if cond.field not in scenario:
            return None
        return test_truth(cond, scenario[cond.field], vocab)
    if isinstance(cond, (All, Any_)):
        decisive = isinstance(cond, Any_)  # one true part decides Any, one false part decides All
        result: Truth = not decisive
        for part in cond.parts:
            truth = evaluate(part, scenario, vocab)
            if truth is decisive:
                return decisive
            if truth is None:
                result = None
        return result
    if isinstance(cond, Not):
        truth = evaluate(cond.part, scenario, vocab)
        return None if truth is None else not truth
    return evaluate(cond.body, scenario, vocab)


def simplify(cond: Condition, scenario: Mapping[str, Value], vocab: Vocabulary) -> Condition:
    """Replace what the scenario decides by TRUE/FALSE and fold; what is left is still open."""
    if isinstance(cond, Test):
        if cond.field not in scenario:
            return cond
        return TRUE if test_truth(cond, scenario[cond.field], vocab) else FALSE
    if isinstance(cond, (All, Any_)):
        unit, zero = (TRUE, FALSE) if isinstance(cond, All) else (FALSE, TRUE)
        parts = []
        for part in cond.parts:
            part = simplify(part, scenario, vocab)
            if part == zero:
                return zero
            if part != unit:
                parts.append(part)
        if len(parts) == 1:
            return parts[0]
        return type(cond)(tuple(parts))
    if isinstance(cond, Not):
        inner = simplify(cond.part, scenario, vocab)
        if inner == TRUE:
            return FALSE
        if inner == FALSE:
            return TRUE
        return Not(inner)
    body = simplify(cond.body, scenario, vocab)
    return body if body in (TRUE, FALSE) else Defined(cond.term, cond.definition, body)


def fields_of(cond: Condition) -> frozenset[str]:
    """Every field the condition tests."""
    if isinstance(cond, Test):
        return frozenset((cond.field,))
    if isinstance(cond, (All, Any_)):
        return frozenset().union(*(fields_of(p) for p in cond.parts))
    if isinstance(cond, Not):
        return fields_of(cond.part)
    return fields_of(cond.body)


def tests_of(cond: Condition) -> list[Test]:
    """Every leaf of the condition, in order."""
    if isinstance(cond, Test):
        return [cond]
    if isinstance(cond, (All, Any_)):
        return [t for p in cond.parts for t in tests_of(p)]
    if isinstance(cond, Not):
        return tests_of(cond.part)
    return tests_of(cond.body)


def definitions_of(cond: Condition) -> list[Defined]:
    """Every definition the condition uses."""
    if isinstance(cond, Defined):
        return [cond, *definitions_of(cond.body)]
    if isinstance(cond, (All, Any_)):
        return [d for p in cond.parts for d in definitions_of(p)]
    if isinstance(cond, Not):
        return definitions_of(cond.part)
    return []


def negation_normal_form(cond: Condition, negate: bool = False) -> Condition:
    """Push every `Not` down to the leaves (De Morgan), dropping `Defined` markers."""
    if isinstance(cond, Test):
        if not negate:
            return cond
        if cond.op in ("in", "not_in"):
            return Test(cond.field, "not_in" if cond.op == "in" else "in", cond.values)
        return Not(cond)  # ordered tests are negated by the caller (needs the vocabulary)
    if isinstance(cond, Not):
        return negation_normal_form(cond.part, not negate)
    if isinstance(cond, Defined):
        return negation_normal_form(cond.body, negate)
    flip = (isinstance(cond, All)) == negate
    parts = tuple(negation_normal_form(p, negate) for p in cond.parts)
    return Any_(parts) if flip else All(parts)


# --- rendering -------------------------------------------------------------------------------

def describe(cond: Condition) -> str:
    """A compact one-line reading of the condition, e.g. `activity = use and location = elsewhere`."""
    if isinstance(cond, Not) and isinstance(cond.part, Test) and cond.part.op in ("in", "not_in"):
        return describe(Test(cond.part.field, "not_in" if cond.part.op == "in" else "in", cond.part.values))
    if isinstance(cond, Test):
        if len(cond.values) == 1 and isinstance(cond.values[0], bool) and cond.op in ("in", "not_in"):
            return f"{cond.field} = {show_value(cond.values[0] == (cond.op == 'in'))}"
        values = [show_value(v) for v in cond.values]
        if cond.op == "in":
            return f"{cond.field} = {values[0]}" if len(values) == 1 else f"{cond.field} in [{', '.join(values)}]"
        if cond.op == "not_in":
            return (f"{cond.field} != {values[0]}" if len(values) == 1
                    else f"{cond.field} not in [{', '.join(values)}]")
        return f"{cond.field} {'>=' if cond.op == 'gte' else '<='} {values[0]}"
    if isinstance(cond, All):
        if not cond.parts:
            return "always"
        return " and ".join(describe_part(p) for p in cond.parts)
    if isinstance(cond, Any_):
        if not cond.parts:
            return "never"
        return " or ".join(describe_part(p) for p in cond.parts)
    if isinstance(cond, Not):
        return f"not ({describe(cond.part)})"
    return f"{cond.term} ({cond.definition})"


def describe_part(cond: Condition) -> str:
    """`describe`, parenthesized when the condition is itself a conjunction or disjunction."""
    text = describe(cond)
    return f"({text})" if isinstance(cond, (All, Any_)) and len(cond.parts) > 1 else text


def to_data(cond: Condition) -> Any:
    """The condition in the policy-file language (JSON-ready), e.g. {'activity': 'use'}."""
    if isinstance(cond, Test):
        values = [v.isoformat() if isinstance(v, dt.date) else v for v in cond.values]
        if cond.op == "in":
            return {cond.field: values[0] if len(values) == 1 else values}
        if cond.op == "not_in":
            return {cond.field: {"not": values[0] if len(values) == 1 else values}}
        return {cond.field: {cond.op: values[0]}}
    if isinstance(cond, All):
        return {"all": [to_data(p) for p in cond.parts]}
    if isinstance(cond, Any_):
        return {"any": [to_data(p) for p in cond.parts]}
    if isinstance(cond, Not):
        return {"not": to_data(cond.part)}
    return {"defined": cond.term}


# --- parsing ---------------------------------------------------------------------------------

@attrs.frozen
class ParseContext:
    """What parsing a condition needs: the vocabulary, the file, and the instrument's definitions."""

    vocab: Vocabulary
    path: str
    definitions: dict[str, tuple[str, Condition]] = attrs.field(factory=dict)


def parse(raw: Any, ctx: ParseContext, node: Any = None, key: Any = None) -> Condition:
    """Parse a YAML condition; raise PolicyFileError naming file:line, the key or value, and a fix."""
    loc = where(ctx.path, node if node is not None else raw, key)
    if isinstance(raw, Mapping):
        if not raw:
            raise PolicyFileError("empty condition", where=loc, hint="name at least one field, e.g. {activity: use}")
        parts = [_parse_entry(name, value, raw, ctx) for name, value in raw.items()]
        return parts[0] if len(parts) == 1 else All(tuple(parts))
    if isinstance(raw, list):
        raise PolicyFileError("a condition is a mapping, not a list", where=loc,
                              hint="use all: [...] or any: [...] for a list of conditions")
    raise PolicyFileError(f"a condition is a mapping, not '{shown(raw)}'", where=loc,
                          hint="write for example {activity: use}")


def _parse_entry(name: Any, value: Any, node: Any, ctx: ParseContext) -> Condition:
    loc = where(ctx.path, node, name)
    if name in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise PolicyFileError(f"'{name}' takes a non-empty list of conditions", where=loc,
                                  hint=f"write {name}: [{{activity: use}}, {{activity: retain}}]")
        parts = tuple(parse(item, ctx, None if isinstance(item, Mapping) else value) for item in value)
        return All(parts) if name == "all" else Any_(parts)
    if name == "not":
        return Not(parse(value, ctx, node, name))
    if name == "defined":
        if isinstance(value, (list, Mapping)) or value not in ctx.definitions:
            known = list(ctx.definitions)
            raise PolicyFileError(
                f"'defined: {shown(value)}' names no definition of this instrument", where=loc,
                hint=did_you_mean(shown(value), known) if known else "declare it under definitions:",
            )
        provision, body = ctx.definitions[value]
        return Defined(str(value), provision, body)
    try:
        field = ctx.vocab.field(str(name))
    except ScenarioError as exc:
        raise PolicyFileError(exc.message, where=loc, hint=exc.hint) from None
    return _parse_field(field.name, value, loc, ctx)


def _value(field: str, raw: Any, loc: str, ctx: ParseContext) -> Value:
    try:
        return ctx.vocab.fields[field].coerce(raw)
    except ScenarioError as exc:
        raise PolicyFileError(exc.message, where=loc, hint=exc.hint) from None


def _values(field: str, raw: Any, loc: str, ctx: ParseContext) -> tuple[Value, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise PolicyFileError(f"empty list of values for field '{field}'", where=loc, hint="list at least one value")
    return tuple(_value(field, item, loc, ctx) for item in items)


def _parse_field(field: str, raw: Any, loc: str, ctx: ParseContext) -> Condition:
    if not isinstance(raw, Mapping):
        return Test(field, "in", _values(field, raw, loc, ctx))
    if len(raw) != 1:
        raise PolicyFileError(f"field '{field}' takes one operator, not {len(raw)}", where=loc,
                              hint="split them: all: [{f: {gte: a}}, {f: {lte: b}}]")
    (op, operand), = raw.items()
    if op not in FIELD_OPS:
        raise PolicyFileError(f"unknown operator '{shown(op)}' for field '{field}'", where=loc,
                              hint=did_you_mean(shown(op), FIELD_OPS))
    if op == "not":
        return Test(field, "not_in", _values(field, operand, loc, ctx))
    spec = ctx.vocab.fields[field]
    if spec.type in ("bool",) or (spec.type == "enum" and not spec.ordered):
        raise PolicyFileError(f"field '{field}' has no order, so '{op}' does not apply", where=loc,
                              hint="list the values instead: field: [a, b]")
    return Test(field, op, (_value(field, operand, loc, ctx),))
