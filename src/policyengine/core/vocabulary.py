"""The scenario vocabulary: fields, their typed values, validation with did-you-mean."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from . import rendering
from .errors import PolicyEngineError, PolicyFileError, ScenarioError, shown
from .spelling import alias_key, did_you_mean
from .yamlio import MAX_DIGITS, load_yaml, where

Value = Any  # str (enum), bool, int or datetime.date

TYPES = ("enum", "bool", "integer", "date")
VERDICT_NAMES = ("permitted", "prohibited", "required", "not_addressed", "conflict", "conditional")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_INTEGER = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}")
MAX_INTEGER = 10**MAX_DIGITS - 1
#: The dates a scenario or a rule may name: wide enough for any instrument, far from the calendar's
#: ends so that a day before or after each is still a date.
MIN_DATE = dt.date(1800, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)


def show_value(value: Value) -> str:
    """A value as written in scenarios: true/false, ISO dates, enum names, numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


T = TypeVar("T")


def lookup(table: Mapping[str, T], name: str, what: str, where: str, error: type[PolicyEngineError],
           see: str | None = None) -> T:
    """`table[name]`, or `error` saying "unknown {what} '{name}'" with a did-you-mean hint."""
    try:
        return table[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name (a list, a mapping) is no name
        raise error(f"unknown {what} '{shown(name)}'", where=where,
                    hint=did_you_mean(shown(name), tuple(table), see)) from None


@attrs.frozen
class Field:
    """One scenario field: its type, its values and what it means."""

    name: str
    type: str
    description: str
    values: tuple[str, ...] = ()
    value_descriptions: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    ordered: bool = False
    minimum: int | None = None
    added: str | None = None
    typical: Value = None  # what a real case most often states (witnesses prefer it)
    aliases: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)  # word -> value

    def rank(self, value: str) -> int:
        """Position of an enum value in the field's order."""
        return self.values.index(value)

    def domain(self) -> tuple[Value, ...]:
        """Every value of a finite field (enum or bool); empty for integers and dates."""
        if self.type == "enum":
            return self.values
        if self.type == "bool":
            return (False, True)
        return ()

    def coerce(self, value: Value, origin: str | None = None) -> Value:
        """Return `value` as this field's type, parsing strings; raise ScenarioError if it is not one."""
        kind = self.type
        if kind == "enum":
            if isinstance(value, str) and value in self.values:
                return value
            raise ScenarioError(
                f"unknown value '{shown(value)}' for field '{self.name}'",
                where=origin,
                hint=did_you_mean(shown(value), self.values, aliases=self.aliases),
            )
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
                return value.lower() in _TRUE
            raise ScenarioError(
                f"field '{self.name}' takes true or false, not '{shown(value)}'", where=origin,
                hint=f"write {self.name}=true or {self.name}=false",
            )
        if kind == "integer":
            number = value
            if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                number = int(value.strip())
            if isinstance(number, int) and not isinstance(number, bool):
                if abs(number) > MAX_INTEGER:
                    raise ScenarioError(
                        f"field '{self.name}' takes a whole number of at most {MAX_DIGITS} digits, not "
                        f"'{shown(number)}'", where=origin, hint=f"write for example {self.name}=30",
                    )
                if self.minimum is not None and number < self.minimum:
                    raise ScenarioError(
                        f"field '{self.name}' must be at least {self.minimum}, not {number}", where=origin,
                        hint=f"write a whole number >= {self.minimum}",
                    )
                return number
            raise ScenarioError(
                f"field '{self.name}' takes a whole number, not '{shown(value)}'", where=origin,
                hint=f"write for example {self.name}=30",
            )
        return coerce_date(value, self.name, origin)


def coerce_date(value: Any, name: str = "date", origin: str | None = None) -> dt.date:
    """`value` (an ISO date, a date or a datetime) as a date for the field `name`; ScenarioError otherwise."""
    day = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:32])
        except ValueError:
            pass
    if day is not None:
        if not MIN_DATE <= day <= MAX_DATE:
            raise ScenarioError(
                f"field '{name}' takes a date from {MIN_DATE} to {MAX_DATE}, not {day}", where=origin,
                hint=f"write for example {name}=2021-03-01",
            )
        return day
    raise ScenarioError(
        f"field '{name}' takes an ISO date, not '{shown(value)}'", where=origin,
        hint=f"write for example {name}=2021-03-01",
    )


@attrs.frozen
class FieldTest:
    """A test on one field's value: any value (`None`), one value, or a bound (`gte`/`lte`)."""

    field: str
    value: Value = None
    bound: str | None = None  # gte | lte

    def holds(self, scenario: Mapping[str, Value]) -> bool:
        """True when the scenario names the field with a value that passes the test."""
        if self.field not in scenario:
            return False
        got = scenario[self.field]
        if self.bound == "gte":
            return bool(got >= self.value)
        if self.bound == "lte":
            return bool(got <= self.value)
        return self.value is None or got == self.value

    def words(self, scenario: Mapping[str, Value]) -> str:
        """The scenario's value as `field=value`."""
        return f"{self.field}={show_value(scenario[self.field])}"


@attrs.frozen
class Contradiction:
    """Two facts no scenario may state together, with why and how to fix it."""

    first: FieldTest
    second: FieldTest
    why: str
    fix: str

    def holds(self, scenario: Mapping[str, Value]) -> bool:
        """True when the scenario states both facts."""
        return self.first.holds(scenario) and self.second.holds(scenario)


@rendering.shown("vocabulary", "html")
@attrs.frozen
class Vocabulary:
    """All scenario fields, in the order of `policies/vocabulary.yaml`."""

    fields: Mapping[str, Field] = attrs.field(eq=False)
    path: str = ""
    contradictions: tuple[Contradiction, ...] = attrs.field(default=(), eq=False, repr=False)
    _enums: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)
    _bools: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    _ranges: Mapping[Any, tuple[Any, Any]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        enums, bools, ranges = {}, set(), {}
        for name, spec in self.fields.items():
            if spec.type == "enum":
                enums[name] = frozenset(spec.values)
            elif spec.type == "bool":
                bools.add(name)
            elif spec.type == "integer":
                ranges[(name, int)] = (spec.minimum if spec.minimum is not None else -MAX_INTEGER, MAX_INTEGER)
            else:
                ranges[(name, dt.date)] = (MIN_DATE, MAX_DATE)
        object.__setattr__(self, "_enums", enums)
        object.__setattr__(self, "_bools", frozenset(bools))
        object.__setattr__(self, "_ranges", ranges)

    def __repr__(self) -> str:
        return f"<Vocabulary of {len(self.fields)} fields: {', '.join(self.names)}>"

    @property
    def names(self) -> tuple[str, ...]:
        """Field names in vocabulary order."""
        return tuple(self.fields)

    def field(self, name: str, origin: str | None = None) -> Field:
        """Return the field called `name`; raise ScenarioError with a suggestion if there is none."""
        try:
            return self.fields[name]
        except KeyError:
            raise ScenarioError(
                f"unknown field '{name}'", where=origin,
                hint=did_you_mean(name, self.names, "policyengine fields")
            ) from None

    def validate(self, scenario: Mapping[str, Value], origin: str | None = None) -> dict[str, Value]:
        """Return the scenario with every value typed; raise ScenarioError on the first bad entry."""
        if not isinstance(scenario, Mapping):
            raise ScenarioError(
                f"a scenario is a mapping of field names to values, not {type(scenario).__name__}",
                where=origin, hint="pass for example {'activity': 'use', 'mine': 'anti_personnel'}",
            )
        # the common case, already typed, is decided by an exact type check and a set or range test
        enums, bools, ranges, empty = self._enums, self._bools, self._ranges, frozenset()
        bad = None
        for name, value in scenario.items():
            kind = type(value)
            if kind is str:
                if value in enums.get(name, empty):
                    continue
            elif kind is bool:
                if name in bools:
                    continue
            else:
                bounds = ranges.get((name, kind))
                if bounds is not None and bounds[0] <= value <= bounds[1]:
                    continue
            if bad is None:
                bad = []
            bad.append(name)
        out = dict(scenario)
        for name in bad or ():
            out[name] = self.field(name, origin).coerce(scenario[name], origin)
        if self.contradictions:
            self.check_consistency(out, origin)
        return out

    def contradiction(self, scenario: Mapping[str, Value]) -> Contradiction | None:
        """The first contradiction a typed scenario states, or None."""
        for rule in self.contradictions:
            if rule.holds(scenario):
                return rule
        return None

    def check_consistency(self, scenario: Mapping[str, Value], origin: str | None = None) -> None:
        """Raise ScenarioError when a typed scenario states two facts that contradict each other."""
        rule = self.contradiction(scenario)
        if rule is not None:
            raise ScenarioError(
                f"{rule.first.words(scenario)} contradicts {rule.second.words(scenario)}: {rule.why}",
                where=origin, hint=rule.fix)

    def repair(self, scenario: dict[str, Value], keep: Iterable[str] = ()) -> dict[str, Value]:
        """The scenario, changed in place, with each contradiction repaired, every field kept: the
        second fact's bound is moved just past its limit or its bool flipped; where no value of it would
        do (a persistent mine's self-destruct time), the first fact takes another value. Fields in `keep`
        are changed only if nothing else will do, and a field no value can repair is then left out.
        For generated scenarios (tests, benchmarks, exercises), never for a user's."""
        pinned = set(keep)
        for _ in range(2 * len(self.contradictions) + 1):
            broken = self.contradiction(scenario)
            if broken is None:
                return scenario
            first, second = broken.first, broken.second
            if second.field not in pinned and second.bound == "gte":
                scenario[second.field] = second.value - 1
            elif second.field not in pinned and second.bound == "lte":
                scenario[second.field] = second.value + 1
            elif second.field not in pinned and isinstance(second.value, bool):
                scenario[second.field] = not second.value
            elif first.field not in pinned and first.value is not None and first.bound is None:
                scenario[first.field] = next(v for v in self.fields[first.field].domain() if v != first.value)
            else:
                scenario.pop(second.field)
        return scenario

    def parse_pairs(self, pairs: list[str], origin: str = "command line") -> dict[str, Value]:
        """Parse `field=value` words (as typed on the command line) into a typed scenario."""
        raw: dict[str, str] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep or not name or not value:
                raise ScenarioError(
                    f"'{pair}' is not a field=value pair", where=origin,
                    hint="write for example activity=use mine=anti_personnel",
                )
            raw[name.strip()] = value.strip()
        return self.validate(raw, origin)


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Load `vocabulary.yaml`; raise PolicyFileError naming file:line on a malformed entry."""
    path = str(path)
    doc = load_yaml(path)
    entries = doc.get("fields") if isinstance(doc, Mapping) else None
    if not isinstance(entries, Mapping):
        raise PolicyFileError("no 'fields' mapping", where=where(path, doc), hint="see docs/policy-format.md")
    fields: dict[str, Field] = {}
    for name, spec in entries.items():
        loc = where(path, entries, name)
        if not isinstance(spec, Mapping) or spec.get("type") not in TYPES:
            raise PolicyFileError(
                f"field '{name}' needs a type", where=loc, hint="type is one of: " + ", ".join(TYPES)
            )
        values = spec.get("values") or {}
        if spec["type"] == "enum" and not values:
            raise PolicyFileError(f"enum field '{name}' lists no values", where=loc, hint="add values:")
        fields[name] = Field(
            name=name,
            type=spec["type"],
            description=str(spec.get("description", "")),
            values=tuple(values),
            value_descriptions=dict(values),
            ordered=bool(spec.get("ordered", False)),
            minimum=spec.get("min"),
            added=spec.get("added"),
        )
    fields = _with_typical_and_aliases(path, doc, fields)
    contradictions = tuple(_contradiction(path, doc["contradictions"], i, fields)
                           for i in range(len(doc.get("contradictions") or ())))
    return Vocabulary(fields=fields, path=path, contradictions=contradictions)


def _with_typical_and_aliases(path: str, doc: Mapping, fields: dict[str, Field]) -> dict[str, Field]:
    """The fields with the `typical:` value and the `aliases:` of vocabulary.yaml; PolicyFileError
    naming file:line for an unknown field, a value the field does not take, or a malformed entry."""
    typical, aliases = doc.get("typical") or {}, doc.get("aliases") or {}
    for block, name in (("typical", typical), ("aliases", aliases)):
        if not isinstance(name, Mapping):
            raise PolicyFileError(f"'{block}' is not a mapping of field names", where=where(path, doc, block),
                                  hint=f"write {block}: {{detectable: true}}" if block == "typical"
                                  else "write aliases: {location: {outside_korea: elsewhere}}")
    out = dict(fields)
    for name, value in typical.items():
        loc = where(path, typical, name)
        field = lookup(out, name, "field", loc, PolicyFileError)
        out[name] = attrs.evolve(field, typical=field.coerce(value, loc))
    for name, words in aliases.items():
        loc = where(path, aliases, name)
        field = lookup(out, name, "field", loc, PolicyFileError)
        if not isinstance(words, Mapping):
            raise PolicyFileError(f"the aliases of '{name}' are not a mapping of words to values", where=loc,
                                  hint="write outside_korea: elsewhere")
        table = {alias_key(word): field.coerce(value, where(path, words, word)) for word, value in words.items()}
        out[name] = attrs.evolve(field, aliases=table)
    return out


def _contradiction(path: str, entries: list, index: int, fields: Mapping[str, Field]) -> Contradiction:
    """One `contradictions:` entry of vocabulary.yaml; PolicyFileError naming file:line if malformed."""
    entry = entries[index]
    loc = where(path, entries, index)
    hint = "write {if: {persistence: persistent}, then_not: [self_destruct_days], why: ..., fix: ...}"
    if not isinstance(entry, Mapping) or not isinstance(entry.get("if"), Mapping) or len(entry["if"]) != 1 \
            or not isinstance(entry.get("then_not"), list) or len(entry["then_not"]) != 1:
        raise PolicyFileError("a contradiction needs one `if` test and one `then_not` test", where=loc, hint=hint)
    tests = []
    for raw in (entry["if"], entry["then_not"][0]):
        name, value = (raw, None) if isinstance(raw, str) else next(iter(raw.items()))
        if name not in fields:
            raise PolicyFileError(f"unknown field '{name}' in a contradiction", where=loc,
                                  hint=did_you_mean(str(name), tuple(fields)))
        if isinstance(value, Mapping):
            ((bound, limit),) = value.items()
            tests.append(FieldTest(name, fields[name].coerce(limit, loc), str(bound)))
        else:
            tests.append(FieldTest(name, None if value is None else fields[name].coerce(value, loc)))
    return Contradiction(tests[0], tests[1], str(entry.get("why", "")), str(entry.get("fix", "")))
