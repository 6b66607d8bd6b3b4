"""Parse a claim in controlled English (the lark grammar `claim.lark`) into a claim value.

Text outside the grammar is refused with the nearest parse: what was read, the word that could not
be read, the words the grammar expected there, and an example of the form the claim started.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from importlib import resources
from typing import Any

import attrs
from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, v_args
from lark.exceptions import VisitError

from ...core.conditions import All, Condition, Test
from ...core.errors import ClaimError, PolicyEngineError
from ...core.vocabulary import Value, Vocabulary
from ..orders import Basis
from .aliases import VALUE_ALIASES, expand_aliases

MAX_LENGTH = 2000  # characters of one claim (docs/claims.md#limits)
MAX_VALUES = 64  # values listed in one claim's conditions, all fields together

FORMS = {
    "quantified": "under obama-2014 on 2015-01-01, no scenarios where activity is use and location is elsewhere "
                  "are permitted",
    "position": "on 2021-03-01, US policy permits activity is use and mine is anti_personnel",
    "subject": "biden-2022 prohibits use of APL outside Korea",
    "stricter": "biden-2022 is stricter than trump-2020 where activity is use",
    "in_force": "trump-2020 was in force on 2021-03-01",
    "bound": "the US is bound by apii",
    "change": "US policy on use of APL outside Korea changed from permitted to prohibited on 2014-09-23",
    "provision": "B22-2 applies to export of APL",
    "goal": "biden-2022 states the goal \"accede to the Ottawa Convention\"",
}

#: more sentences the checker accepts, shown in `policyengine claim --help` and docs/claims.md (a test parses each)
MORE_EXAMPLES = (
    "under biden-2022, every scenario where activity is use and location is elsewhere is banned",
    "under biden-2022, any scenario where activity is transfer and purpose is combat is not allowed",
    "from 2014-09-23 to 2020-01-30, US policy prohibits use of APL outside Korea",
    "since 2022-06-21, US policy prohibits activity is develop and mine is anti_personnel",
    "biden-2022 does not prohibit use of APL in Korea",
    "trump-2020 is less strict than biden-2022 where activity is use",
    "the US is not bound by ottawa",
    "B22-3 does not apply to use of APL in Korea",
)


#: words a reader may use for a word of the grammar
SYNONYMS = {"none": "no", "if": "where", "when": "where", "restricts": "prohibits", "permissible": "permitted",
            "illegal": "prohibited", "legal": "permitted"}


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
    """`I2 is stricter [in what it permits] than I1 [where C]`: by prohibitions, or by permissions."""

    stricter: InstrumentRef
    than: InstrumentRef
    condition: Condition
    basis: Basis = Basis.PROHIBITIONS


@attrs.frozen
class InForceClaim:
    """`I was [not] in force on D`."""

    instrument: InstrumentRef
    date: dt.date
    negated: bool


@attrs.frozen
class Period:
    """`from D1 to D2`, `between D1 and D2` or `since D` (an open end)."""

    start: dt.date
    end: dt.date | None


@attrs.frozen
class PeriodClaim:
    """A dated claim over a period: it holds when it holds on every date of the period on which the
    instruments or their dated provisions change (and on its first day)."""

    period: Period
    make: Any = attrs.field(eq=False, repr=False)  # date -> Claim


@attrs.frozen
class BoundClaim:
    """`the US is [not] bound by I [on D]`: the instrument binds the US and is in force (on D, else now)."""

    instrument: InstrumentRef
    date: dt.date | None
    negated: bool


@attrs.frozen
class ChangeClaim:
    """`US policy on C changed from V1 to V2 on D`: some scenario meeting C had the US position V1 the
    day before D and has V2 on D."""

    condition: Condition
    before: str
    after: str
    date: dt.date


@attrs.frozen
class ProvisionClaim:
    """`P applies to C` (every scenario meeting C), `P does not apply to C` (none), `P decides C` (every)."""

    provision: str
    condition: Condition
    mode: str  # applies | not_applies | decides


@attrs.frozen
class GoalClaim:
    """`I states|does not state the goal "WORDS"`: among its stated goals and objectives."""

    instrument: InstrumentRef
    words: str
    negated: bool


Claim = (Quantified | Position | Stricter | InForceClaim | BoundClaim | ChangeClaim | ProvisionClaim | PeriodClaim
         | GoalClaim)


@cache
def parser() -> Lark:
    """The LALR parser of the claim grammar (built once)."""
    grammar = resources.files("policyengine.analysis.claims").joinpath("claim.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


def parse_claim(text: str, vocab: Vocabulary) -> Claim:
    """The claim `text` says; ClaimError with the nearest parse (and the nearest sentence the checker
    accepts), or ScenarioError for an unknown field or value. A claim longer than MAX_LENGTH characters
    or listing more than MAX_VALUES values is refused."""
    if not isinstance(text, str):
        raise ClaimError(f"a claim is text, not {type(text).__name__}", where="claim",
                         hint="pass the claim as a string, e.g. \"under biden-2022, all scenarios where ...\"")
    if len(text) > MAX_LENGTH:
        raise ClaimError(f"the claim is {len(text):,} characters long, more than the {MAX_LENGTH:,} allowed",
                         where="claim", hint="split it into several claims, or write a range with 'is at least' "
                                             "and 'is at most' instead of listing values")
    plain = expand_aliases(text)
    try:
        tree = parser().parse(plain)
    except UnexpectedInput as exc:
        raise _refusal(plain, exc, nearest_sentence(plain, vocab)) from None
    return _built(tree, vocab)


def _built(tree: Any, vocab: Vocabulary) -> Claim:
    try:
        return _Build(vocab).transform(tree).children[0]
    except VisitError as exc:
        if isinstance(exc.orig_exc, PolicyEngineError):
            raise exc.orig_exc from None
        raise


def nearest_sentence(text: str, vocab: Vocabulary, tries: int = 80) -> str | None:
    """The accepted sentence nearest `text`: the student's words with synonyms replaced and, where the
    parser stops, a word the grammar expects put in, put instead, or the word dropped (a few repairs)."""
    words = [SYNONYMS.get(w.lower().strip(",."), w) if w.lower().strip(",.") in SYNONYMS else w for w in text.split()]
    frontier, seen = [" ".join(words)], set()
    while frontier and tries > 0:
        candidate = frontier.pop(0)
        if candidate in seen:
            continue
        seen.add(candidate)
        tries -= 1
        try:
            _built(parser().parse(candidate), vocab)
            return candidate
        except UnexpectedInput as exc:
            frontier += _repaired(candidate, exc)
        except PolicyEngineError:
            continue
    return None


def _repaired(text: str, exc: UnexpectedInput) -> list[str]:
    """Candidates one repair away, at the place the parser stopped."""
    token = getattr(exc, "token", None)
    at_end = isinstance(exc, UnexpectedEOF) or (token is not None and token.type == "$END")
    column = len(text) if at_end else max(getattr(exc, "pos_in_stream", 0) or 0, 0)
    head, rest = text[:column].rstrip(), text[column:].split()
    expected = exc.allowed if isinstance(exc, UnexpectedCharacters) else getattr(exc, "expected", set())
    literals = [w.strip("'") for w in (_word(n) for n in sorted(expected or ())) if w.startswith("'")]
    literals = [w for w in literals if w.replace(" ", "").isalpha()]
    if rest:  # the words most like the student's first
        literals.sort(key=lambda w: -difflib.SequenceMatcher(None, w, rest[0].lower()).ratio())
    literals = literals[:6]
    tail = rest[1:] if rest else []
    out = [" ".join([head, word, *rest]) for word in literals]
    out += [" ".join([head, word, *tail]) for word in literals if rest]
    if rest:
        out.append(" ".join([head, *tail]))
    return [" ".join(c.split()) for c in out]


def _refusal(text: str, exc: UnexpectedInput, nearest: str | None = None) -> ClaimError:
    token = getattr(exc, "token", None)
    at_end = isinstance(exc, UnexpectedEOF) or (token is not None and token.type == "$END")
    column = len(text) if at_end else max(getattr(exc, "pos_in_stream", 0) or 0, 0)
    read, rest = text[:column].rstrip(), text[column:].strip()
    expected = exc.allowed if isinstance(exc, UnexpectedCharacters) else getattr(exc, "expected", set())
    words = sorted({_word(name) for name in expected or ()})
    form = _form_of(text)
    found = f"'{rest.split()[0]}'" if rest else "the end of the claim"
    read_words = f"read \"{read} ▸\"" if read else "read nothing"
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
    accepted = f"the nearest sentence the checker accepts is \"{nearest}\"; " if nearest else ""
    return ClaimError(
        f"the claim is outside the grammar: {read_words}, then found {found} where the grammar {wanted}",
        where="claim", hint=f"{accepted}{example} (see `policyengine claim --help`)",
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
    if pattern.type == "str":
        return f"'{pattern.value}'"
    choices = re.findall(r"\(\?i:([a-z_ ]+)\)", pattern.value)  # `"permits"i | "allows"i`: its first word
    return f"'{choices[0]}'" if choices and pattern.value.startswith("(?:") else terminal.lower()


def _form_of(text: str) -> str | None:
    words = text.lower().replace(",", " ").split()
    if words[:1] == ["under"]:
        return "quantified"
    if "changed" in words:
        return "change"
    if words[:1] in (["on"], ["from"], ["since"], ["between"]):
        return "position"
    if "stricter" in words or "strict" in words or "permissive" in words:
        return "stricter"
    if "goal" in words or "objective" in words:
        return "goal"
    if "bound" in words:
        return "bound"
    if "force" in words or "was" in words:
        return "in_force"
    if "applies" in words or "apply" in words or "decides" in words:
        return "provision"
    if len(words) > 1 and words[1] in ("permits", "prohibits", "allows", "bans", "does", "forbids"):
        return "subject"
    return None


@v_args(inline=True)
class _Build(Transformer):
    """Turn the parse tree into claim values, checking fields and values against the vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab
        self.listed = 0  # values listed so far, against MAX_VALUES

    def quantified(self, instrument: InstrumentRef, *rest: object) -> Claim:
        when = rest[0] if isinstance(rest[0], (dt.date, Period)) else None
        quantifier, _, condition, verdict = rest[-4:]
        word = {"every": "all", "each": "all", "any": "all"}.get(str(quantifier).lower(), str(quantifier).lower())
        return _dated(when, lambda d: Quantified(instrument, d, word, condition, verdict))

    def position(self, when: dt.date | Period, verb: Token, condition: Condition) -> Claim:
        permits = str(verb).lower() in ("permits", "allows")
        return _dated(when, lambda d: Position(d, permits, condition))

    def subject(self, name: object, *rest: object) -> Claim:
        when = rest[0] if len(rest) == 2 else None
        kind, payload = rest[-1]
        if kind == "goal":
            if when is not None:
                raise ClaimError("a goal claim takes no date", where="claim", hint=f"write \"{FORMS['goal']}\"")
            instrument = InstrumentRef(name=name) if isinstance(name, str) else name
            return GoalClaim(instrument, payload[0], payload[1])
        if kind in ("applies", "not_applies", "decides"):
            if not isinstance(name, str) or when is not None:
                raise ClaimError("a provision claim names one provision and no date", where="claim",
                                 hint=f"write \"{FORMS['provision']}\"")
            return ProvisionClaim(name, payload, kind)
        instrument = InstrumentRef(name=name) if isinstance(name, str) else name
        verb, condition = payload
        quantifier, verdict = {"permits": ("some", "permitted"), "prohibits": ("all", "prohibited"),
                               "not_permit": ("no", "permitted"), "not_prohibit": ("some", "not_prohibited"),
                               "not_address": ("all", "not_addressed")}[verb]
        return _dated(when, lambda d: Quantified(instrument, d, quantifier, condition, verdict))

    def name_subject(self, name: Token) -> str:
        return str(name)

    def year_subject(self, year: Token) -> InstrumentRef:
        return InstrumentRef(year=int(year))

    def vp_verb(self, verb: Token, condition: Condition) -> tuple[str, tuple[str, Condition]]:
        return "verb", ("permits" if str(verb).lower() in ("permits", "allows") else "prohibits", condition)

    def vp_not(self, verb: Token, condition: Condition) -> tuple[str, tuple[str, Condition]]:
        word = str(verb).lower()
        base = "not_permit" if word in ("permit", "allow") else "not_address" if word == "address" else "not_prohibit"
        return "verb", (base, condition)

    def vp_applies(self, condition: Condition) -> tuple[str, Condition]:
        return "applies", condition

    def vp_not_applies(self, condition: Condition) -> tuple[str, Condition]:
        return "not_applies", condition

    def vp_decides(self, condition: Condition) -> tuple[str, Condition]:
        return "decides", condition

    def stricter(self, first: InstrumentRef, order: str, *rest: Any) -> Stricter:
        basis = Basis.PERMISSIONS if rest and rest[0] is Basis.PERMISSIONS else Basis.PROHIBITIONS
        rest = tuple(r for r in rest if not isinstance(r, Basis))
        second, condition = rest[0], (rest[1] if len(rest) > 1 else All(()))
        stricter, than = (first, second) if order == "stricter" else (second, first)
        return Stricter(stricter, than, condition, basis)

    def by_permissions(self, _word: Token) -> Basis:
        return Basis.PERMISSIONS

    def stricter_word(self) -> str:
        return "stricter"

    def laxer_word(self) -> str:
        return "laxer"

    def bound(self, *rest: object) -> BoundClaim:
        date = rest[-1] if isinstance(rest[-1], dt.date) else None
        instrument = next(r for r in rest if isinstance(r, InstrumentRef))
        return BoundClaim(instrument, date, any(isinstance(r, Token) and r.type == "NOT" for r in rest))

    def change(self, condition: Condition, before: str, after: str, date: dt.date) -> ChangeClaim:
        return ChangeClaim(condition, before, after, date)

    def period(self, start: Token, end: Token) -> Period:
        first, last = self.on_date(start), self.on_date(end)
        if last < first:
            raise ClaimError(f"the period ends ({last}) before it starts ({first})", where="claim",
                             hint="write from EARLIER to LATER")
        return Period(first, last)

    def since(self, start: Token) -> Period:
        return Period(self.on_date(start), None)

    def when(self, date: dt.date) -> dt.date:
        return date

    def in_force(self, instrument: InstrumentRef, *rest: object) -> InForceClaim:
        return InForceClaim(instrument, rest[-1], len(rest) == 2)

    def vp_goal(self, _word: Token, words: Token) -> tuple[str, tuple[str, bool]]:
        return "goal", (str(words)[1:-1].strip(), False)

    def vp_not_goal(self, _word: Token, words: Token) -> tuple[str, tuple[str, bool]]:
        return "goal", (str(words)[1:-1].strip(), True)

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
        self.listed += len(items)
        if self.listed > MAX_VALUES:
            raise ClaimError(f"the claim lists more than {MAX_VALUES} values", where="claim",
                             hint="split it into several claims, or write a range with 'is at least' and "
                                  "'is at most' instead of listing values")
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
        raw = VALUE_ALIASES.get((field, str(token).lower()), str(token))
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

    def not_prohibited(self) -> str:
        return "not_prohibited"

    def not_permitted(self) -> str:
        return "not_permitted"

    def conflict(self) -> str:
        return "conflict"


def _dated(when: dt.date | Period | None, make: Any) -> Claim:
    """The claim on a date, or over a period."""
    return PeriodClaim(when, make) if isinstance(when, Period) else make(when)


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


