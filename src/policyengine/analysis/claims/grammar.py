"""Parse a claim in controlled English (the lark grammar `claim.lark`) into a claim value.

Text outside the grammar is refused with the nearest parse: what was read, the word that could not
be read, the words the grammar expected there, and an example of the form the claim started.
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import cache
from importlib import resources

import attrs
from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, v_args
from lark.exceptions import VisitError

from ...core.conditions import All, Condition, Test
from ...core.errors import ClaimError, PolicyEngineError
from ...core.vocabulary import Value, Vocabulary

FORMS = {
    "quantified": "under obama-2014 on 2015-01-01, no scenarios where activity is use and location is elsewhere "
                  "are permitted",
    "position": "on 2021-03-01, US policy permits activity is use and mine is anti_personnel",
    "stricter": "biden-2022 is stricter than trump-2020 where activity is use",
    "in_force": "trump-2020 was in force on 2021-03-01",
    "goal": "biden-2022 states the goal \"accede to the Ottawa Convention\"",
}


#: words a reader may use for a word of the grammar
SYNONYMS = {"allowed": "permitted", "authorized": "permitted", "lawful": "permitted", "banned": "prohibited",
            "forbidden": "prohibited", "barred": "prohibited", "every": "all", "any": "some", "none": "no",
            "allows": "permits", "bans": "prohibits", "forbids": "prohibits", "cases": "scenarios", "if": "where",
            "when": "where"}


@attrs.frozen
class InstrumentRef:
    """An instrument as the claim names it: an id (or policy file), or `the YEAR policy`."""

    name: str | None = None
    year: int | None = None

    def words(self) -> str:
        """As written in the claim."""
        return self.name if self.name is not None else f"the {self.year} policy"


@attrs.frozen
class Quantified:
    """`under I [on D], all|no|some scenarios where C are V`."""

    instrument: InstrumentRef
    date: dt.date | None
    quantifier: str  # all | no | some
    condition: Condition
    verdict: str


@attrs.frozen
class Position:
    """`on D, US policy permits|prohibits C`."""

    date: dt.date
    permits: bool
    condition: Condition


@attrs.frozen
class Stricter:
    """`I2 is stricter than I1 [where C]`."""

    stricter: InstrumentRef
    than: InstrumentRef
    condition: Condition


@attrs.frozen
class InForceClaim:
    """`I was [not] in force on D`."""

    instrument: InstrumentRef
    date: dt.date
    negated: bool


@attrs.frozen
class GoalClaim:
    """`I states|does not state the goal "WORDS"`: among its stated goals and objectives."""

    instrument: InstrumentRef
    words: str
    negated: bool


Claim = Quantified | Position | Stricter | InForceClaim | GoalClaim


@cache
def parser() -> Lark:
    """The LALR parser of the claim grammar (built once)."""
    grammar = resources.files("policyengine.analysis.claims").joinpath("claim.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


def parse_claim(text: str, vocab: Vocabulary) -> Claim:
    """The claim `text` says; ClaimError with the nearest parse, or ScenarioError for an unknown field or value."""
    try:
        tree = parser().parse(text)
    except UnexpectedInput as exc:
        raise _refusal(text, exc) from None
    try:
        return _Build(vocab).transform(tree).children[0]
    except VisitError as exc:
        if isinstance(exc.orig_exc, PolicyEngineError):
            raise exc.orig_exc from None
        raise


def _refusal(text: str, exc: UnexpectedInput) -> ClaimError:
    token = getattr(exc, "token", None)
    at_end = isinstance(exc, UnexpectedEOF) or (token is not None and token.type == "$END")
    column = len(text) if at_end else max(getattr(exc, "pos_in_stream", 0) or 0, 0)
    read, rest = text[:column].rstrip(), text[column:].strip()
    expected = exc.allowed if isinstance(exc, UnexpectedCharacters) else getattr(exc, "expected", set())
    words = sorted({_word(name) for name in expected or ()})
    form = _form_of(text)
    found = f"'{rest.split()[0]}'" if rest else "the end of the claim"
    nearest = f"read \"{read} ▸\"" if read else "read nothing"
    wanted = f"expected {' or '.join(words)}" if words else "expected nothing more"
    example = (f"write a claim of the form \"{FORMS[form]}\"" if form else
               "write a claim of one of the forms " + " | ".join(f"\"{f}\"" for f in FORMS.values()))
    literals = [w.strip("'") for w in words if w.startswith("'") and w.strip("'").isalpha()]
    first = rest.split()[0].lower().strip(",.") if rest else ""
    close = ([SYNONYMS[first]] if SYNONYMS.get(first) in literals else
             difflib.get_close_matches(first, literals, n=1, cutoff=0.6) if first else [])
    if close:
        example = f"change '{rest.split()[0]}' to '{close[0]}', or {example}"
    elif rest and literals:
        example = f"put {' or '.join(repr(w) for w in literals[:4])} where '{rest.split()[0]}' is, or {example}"
    return ClaimError(
        f"the claim is outside the grammar: {nearest}, then found {found} where the grammar {wanted}",
        where="claim", hint=f"{example} (see `policyengine claim --help`)",
    )


def _word(terminal: str) -> str:
    names = {"NAME": "a field, value or instrument id", "DATE": "a date (YYYY-MM-DD)", "YEAR": "a year",
             "STRING": "words in double quotes",
             "NUMBER": "a number", "COMMA": "','", "DOT": "'.'", "$END": "the end of the claim"}
    if terminal in names:
        return names[terminal]
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    return f"'{pattern.value}'" if pattern.type == "str" else terminal.lower()


def _form_of(text: str) -> str | None:
    words = text.lower().replace(",", " ").split()
    if words[:1] == ["under"]:
        return "quantified"
    if words[:1] == ["on"]:
        return "position"
    if "stricter" in words:
        return "stricter"
    if "goal" in words or "objective" in words:
        return "goal"
    if "force" in words or "was" in words:
        return "in_force"
    return None


@v_args(inline=True)
class _Build(Transformer):
    """Turn the parse tree into claim values, checking fields and values against the vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab

    def quantified(self, instrument: InstrumentRef, *rest: object) -> Quantified:
        date = rest[0] if isinstance(rest[0], dt.date) else None
        quantifier, condition, verdict = rest[-3:]
        return Quantified(instrument, date, str(quantifier).lower(), condition, verdict)

    def position(self, date: dt.date, verb: Token, condition: Condition) -> Position:
        return Position(date, str(verb).lower() == "permits", condition)

    def stricter(self, stricter: InstrumentRef, than: InstrumentRef, condition: Condition | None = None) -> Stricter:
        return Stricter(stricter, than, condition if condition is not None else All(()))

    def in_force(self, instrument: InstrumentRef, *rest: object) -> InForceClaim:
        return InForceClaim(instrument, rest[-1], len(rest) == 2)

    def goal(self, instrument: InstrumentRef, *rest: Token) -> GoalClaim:
        return GoalClaim(instrument, str(rest[-1])[1:-1].strip(), any(t.type == "NOT" for t in rest))

    def instrument_id(self, name: Token) -> InstrumentRef:
        return InstrumentRef(name=str(name))

    def instrument_year(self, year: Token) -> InstrumentRef:
        return InstrumentRef(year=int(year))

    def on_date(self, date: Token) -> dt.date:
        return self.vocab.fields["date"].coerce(str(date), "claim")

    def quantifier(self, word: Token) -> Token:
        return word

    def policy_verb(self, word: Token) -> Token:
        return word

    def conditions(self, *parts: Condition) -> Condition:
        return parts[0] if len(parts) == 1 else All(parts)

    def values(self, *items: Token) -> tuple[Token, ...]:
        return items

    def among(self, name: Token, *rest: object) -> Condition:
        field = self._field(name)
        negated = len(rest) == 2
        values = tuple(dict.fromkeys(self._value(field, v) for v in rest[-1]))
        return Test(field, "not_in" if negated else "in", values)

    def at_least(self, name: Token, value: Token) -> Condition:
        return self._bound(name, "gte", value)

    def at_most(self, name: Token, value: Token) -> Condition:
        return self._bound(name, "lte", value)

    def _bound(self, name: Token, op: str, value: Token) -> Condition:
        field = self._field(name)
        spec = self.vocab.fields[field]
        if spec.type == "bool" or (spec.type == "enum" and not spec.ordered):
            words = "at least" if op == "gte" else "at most"
            raise ClaimError(f"field '{field}' has no order, so '{words}' does not apply", where="claim",
                             hint=f"write '{field} is VALUE or VALUE' instead")
        return Test(field, op, (self._value(field, value),))

    def _field(self, name: Token) -> str:
        return self.vocab.field(str(name), "claim").name

    def _value(self, field: str, token: Token) -> Value:
        spec = self.vocab.fields[field]
        raw = str(token)
        if spec.type == "enum" and raw not in spec.values and raw.replace("-", "_").lower() in spec.values:
            raw = raw.replace("-", "_").lower()
        return spec.coerce(raw, "claim")

    def permitted(self) -> str:
        return "permitted"

    def prohibited(self) -> str:
        return "prohibited"

    def required(self) -> str:
        return "required"

    def not_addressed(self) -> str:
        return "not_addressed"

    def conflict(self) -> str:
        return "conflict"


def condition_words(cond: Condition) -> str:
    """The claim's conditions as the claim says them."""
    parts = cond.parts if isinstance(cond, All) else (cond,)
    out = []
    for t in parts:
        assert isinstance(t, Test)
        shown = " or ".join(_shown(v) for v in t.values)
        out.append({"in": f"{t.field} is {shown}", "not_in": f"{t.field} is not {shown}",
                    "gte": f"{t.field} is at least {shown}", "lte": f"{t.field} is at most {shown}"}[t.op])
    return " and ".join(out) or "always"


def _shown(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


