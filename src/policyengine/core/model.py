"""The instrument model: sources, rules, definitions, interpretations and policies (frozen values)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from .conditions import Condition
from .rendering import shown

EFFECTS = ("prohibited", "permitted", "required")
KINDS = ("executive_policy", "treaty", "statute")
EVIDENCE = ("primary_seen", "primary_via_quote", "secondary", "news_article_only", "unverified")
EVIDENCE_LABELS = {
    "primary_seen": "primary seen",
    "primary_via_quote": "primary via quote",
    "secondary": "secondary",
    "news_article_only": "news article only",
    "unverified": "unverified",
}


@attrs.frozen
class Source:
    """A document a provision is taken from, with how close the text came to the primary."""

    id: str
    title: str
    url: str
    date: dt.date | None
    evidence: str


@attrs.frozen
class Definition:
    """A named term of an instrument (e.g. what counts as an anti-personnel mine)."""

    id: str
    term: str
    when: Condition
    source: Source
    quote: str
    note: str = ""
    confidence: str = "high"


@attrs.frozen
class Interpretation:
    """Two or more readings of an ambiguous provision, one of them the default."""

    name: str
    question: str
    readings: Mapping[str, str] = attrs.field(eq=False)
    default: str
    brief: str = ""


@attrs.frozen
class NotRule:
    """A provision that is not a rule (a goal, a rescission, a practice), with why."""

    id: str
    kind: str
    reason: str
    source: Source | None
    quote: str = ""
    start: dt.date | None = None  # a practice departing from the text, or a stated horizon, from this day
    when: Condition | None = None  # the scenarios a dated entry concerns (all when None)


FINDING_KINDS = ("gap", "conflict", "never_decides", "shadowed_exception", "redundant_exception",
                 "duplicate_rule")


@attrs.frozen
class AcceptedFinding:
    """A finding of the consistency check that the instrument's file documents as intended, with why."""

    kind: str
    note: str
    rules: tuple[str, ...] = ()
    when: Condition | None = None
    line: int = 0


@shown("rule", "repr", "str", "html")
@attrs.frozen
class Rule:
    """One provision (or one split of it) as a rule: an effect under a condition, with its citation."""

    id: str
    effect: str
    when: Condition
    condition: Condition  # `when` and the rule's dates, as conditions on `date`
    source: Source
    quote: str
    evidence: str
    title: str = ""
    exception_to: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    confidence: str = "high"
    note: str = ""
    inherited_from: str | None = None
    interpretation: tuple[tuple[str, str], ...] = ()
    line: int = 0
    #: the quoted words are not the provision's own (a summary, a commentary, a neighbouring paragraph)
    paraphrase: bool = False

    @property
    def low_confidence(self) -> bool:
        """True when the sources leave the provision uncertain."""
        return self.confidence == "low"

    def holds_under(self, selection: Mapping[str, str]) -> bool:
        """True when the rule is part of the instrument under these interpretation readings."""
        return all(selection.get(name) == reading for name, reading in self.interpretation)


@shown("policy", "repr", "str", "html", "rich")
@attrs.frozen
class Policy:
    """One instrument: its dates, layering, scope, citations and rules."""

    id: str
    title: str
    kind: str
    binds_us: bool
    announced: dt.date
    in_force_from: dt.date
    in_force_to: dt.date | None
    scope: Condition
    rules: tuple[Rule, ...]
    sources: Mapping[str, Source] = attrs.field(eq=False, repr=False)
    definitions: tuple[Definition, ...] = attrs.field(default=(), repr=False)
    interpretations: Mapping[str, Interpretation] = attrs.field(factory=dict, eq=False, repr=False)
    not_rules: tuple[NotRule, ...] = attrs.field(default=(), repr=False)
    findings: tuple[AcceptedFinding, ...] = attrs.field(default=(), repr=False)
    replaces: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ()
    president: str = ""
    resolution: str | None = None
    notes: str = attrs.field(default="", repr=False)
    path: str = attrs.field(default="", repr=False)
    #: what is derived from the policy once (its compiled evaluator); not part of its value
    cache: dict = attrs.field(factory=dict, init=False, repr=False, eq=False, hash=False)

    @property
    def default_selection(self) -> dict[str, str]:
        """The default reading of every interpretation."""
        return {name: i.default for name, i in self.interpretations.items()}

    def rule_ids(self) -> tuple[str, ...]:
        """Distinct rule ids, in file order."""
        return tuple(dict.fromkeys(r.id for r in self.rules))

    def rules_named(self, rule_id: str) -> tuple[Rule, ...]:
        """Every version of the rule with this id (one per reading where it is split)."""
        return tuple(r for r in self.rules if r.id == rule_id)

    def in_force_on(self, day: dt.date) -> bool:
        """True when the instrument was in force on `day`."""
        return self.in_force_from <= day and (self.in_force_to is None or day < self.in_force_to)

    def silent_after(self) -> tuple[dt.date, tuple[str, ...]] | None:
        """The last day any provision holds under the default readings, when all of them end before the
        instrument leaves force, with the interpretations whose readings set that end (stat-export:
        2008-10-22, stat-1-after-2008)."""
        defaults = self.default_selection
        live = [r for r in self.rules if r.holds_under(defaults) and not r.exception_to]
        ends = [r.end for r in live]
        if not live or None in ends:
            return None
        last = max(e for e in ends if e is not None)
        if self.in_force_to is not None and last >= self.in_force_to:
            return None
        return last, tuple(dict.fromkeys(name for r in live for name, _ in r.interpretation))


