"""The scenario vocabulary: fields, their typed values, validation with did-you-mean."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from .errors import PolicyEngineError, PolicyFileError, ScenarioError
from .yamlio import load_yaml, where

Value = Any  # str (enum), bool, int or datetime.date

TYPES = ("enum", "bool", "integer", "date")
VERDICT_NAMES = ("permitted", "prohibited", "required", "not_addressed", "conflict", "conditional")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def show_value(value: Value) -> str:
    """A value as written in scenarios: true/false, ISO dates, enum names, numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


ALL_SHOWN = 12  # up to this many choices, an error lists them all
CLOSEST = 6  # beyond it, the closest this many and how many there are


def did_you_mean(word: str, choices: list[str] | tuple[str, ...], see: str | None = None) -> str:
    """Return a "did you mean ..." hint for `word`; else every choice, or (for long lists) the
    closest ones with the count and, given `see`, the command that lists them all."""
    choices = list(choices)
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) <= ALL_SHOWN:
        return "expected one of: " + ", ".join(choices)
    nearest = difflib.get_close_matches(str(word), choices, n=CLOSEST, cutoff=0)
    listed = f"; `{see}` lists them all" if see else ""
    return f"the closest of the {len(choices)} are: " + ", ".join(nearest) + listed


T = TypeVar("T")


def lookup(table: Mapping[str, T], name: str, what: str, where: str, error: type[PolicyEngineError],
           see: str | None = None) -> T:
    """`table[name]`, or `error` saying "unknown {what} '{name}'" with a did-you-mean hint."""
    try:
        return table[name]
    except KeyError:
        raise error(f"unknown {what} '{name}'", where=where, hint=did_you_mean(name, tuple(table), see)) from None


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
                f"unknown value '{value}' for field '{self.name}'",
                where=origin,
                hint=did_you_mean(str(value), self.values),
            )
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
                return value.lower() in _TRUE
            raise ScenarioError(
                f"field '{self.name}' takes true or false, not '{value}'", where=origin,
                hint=f"write {self.name}=true or {self.name}=false",
            )
        if kind == "integer":
            number = value
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                number = int(value)
            if isinstance(number, int) and not isinstance(number, bool):
                if self.minimum is not None and number < self.minimum:
                    raise ScenarioError(
                        f"field '{self.name}' must be at least {self.minimum}, not {number}", where=origin,
                        hint=f"write a whole number >= {self.minimum}",
                    )
                return number
            raise ScenarioError(
                f"field '{self.name}' takes a whole number, not '{value}'", where=origin,
                hint=f"write for example {self.name}=30",
            )
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ScenarioError(
            f"field '{self.name}' takes an ISO date, not '{value}'", where=origin,
            hint=f"write for example {self.name}=2021-03-01",
        )


@attrs.frozen
class Vocabulary:
    """All scenario fields, in the order of `policies/vocabulary.yaml`."""

    fields: Mapping[str, Field] = attrs.field(eq=False)
    path: str = ""
    _enums: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        enums = {n: frozenset(f.values) for n, f in self.fields.items() if f.type == "enum"}
        object.__setattr__(self, "_enums", enums)

    def __repr__(self) -> str:
        return f"<Vocabulary of {len(self.fields)} fields: {', '.join(self.names)}>"

    def _repr_html_(self) -> str:
        from .display import html_table

        return html_table(("field", "type", "values", "description"),
                          ((f.name, f.type, ", ".join(f.values), f.description) for f in self.fields.values()))

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
        out: dict[str, Value] = {}
        enums = self._enums
        for name, value in scenario.items():
            allowed = enums.get(name)
            if allowed is not None and isinstance(value, str) and value in allowed:
                out[name] = value  # the common case: a known enum value, no parsing needed
            else:
                out[name] = self.field(name, origin).coerce(value, origin)
        return out

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
    return Vocabulary(fields=fields, path=path)
