"""Evaluate scenarios against one instrument: durable_rules for complete scenarios, the reference
evaluator's partial evaluation for the rest, one Decision either way."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import trace
from .conditions import Condition, evaluate, fields_of, simplify
from .decision import Citation, Decision, Flag, Residual
from .engine import MAX_POOL_SIZE, SCOPE_NAME, DurableMatcher, check_pool_size, engine_conditions
from .errors import ScenarioError, shown
from .model import Definition, Policy, Rule
from .outcomes import FlagKind, Verdict
from .semantics import Outcome, active_rules, combine
from .space import explore, partitions, residuals
from .trace import Trace
from .vocabulary import Value, Vocabulary, did_you_mean

MATCHERS = ("auto", "engine", "reference")
SCOPE = SCOPE_NAME
MEMO_SIZE = 65_536  # memoised match sets per instrument before the memo starts over


def rule_citation(rule: Rule) -> Citation:
    """The citation of one rule."""
    return Citation(rule=rule.id, title=rule.title, quote=rule.quote, source=rule.source.id,
                    source_title=rule.source.title, url=rule.source.url, date=rule.source.date,
                    evidence=rule.evidence, confidence=rule.confidence, note=rule.note,
                    inherited_from=rule.inherited_from, paraphrase=rule.paraphrase)


def definition_citation(definition: Definition) -> Citation:
    """The citation of one definition."""
    term = definition.term.replace("_", " ").replace("anti personnel", "anti-personnel")
    return Citation(rule=definition.id, title=f"definition of {term}",
                    quote=definition.quote, source=definition.source.id,
                    source_title=definition.source.title, url=definition.source.url,
                    date=definition.source.date, evidence=definition.source.evidence,
                    confidence=definition.confidence, note=definition.note)


class Evaluator:
    """Answers scenarios for one instrument; compiled once, safe to share between threads."""

    @classmethod
    def of(cls, policy: Policy, vocab: Vocabulary | None = None) -> Evaluator:
        """The evaluator a policy keeps: built on first use (against `vocab`, default the vocabulary
        it was loaded with), then shared by every caller."""
        judge = policy.cache.get("evaluator")
        if judge is None:
            judge = policy.cache.setdefault("evaluator", cls(policy, vocab or policy.cache["vocabulary"]))
        return judge

    def __init__(self, policy: Policy, vocab: Vocabulary, pool_size: int = MAX_POOL_SIZE) -> None:
        check_pool_size(pool_size)
        self.policy = policy
        self.vocab = vocab
        self.classes = partitions(policy, vocab)
        self.default_selection = MappingProxyType(policy.default_selection)
        self._pool_size = pool_size
        self._matcher: DurableMatcher | None = None
        self._lock = threading.Lock()
        self._outcomes: dict[tuple, tuple] = {}
        self._definitions = {d.id: definition_citation(d) for d in policy.definitions}
        self._cited: dict[tuple, dict[str, Citation]] = {}
        self._tagged = {name: tuple(i for i, r in enumerate(policy.rules) if name in dict(r.interpretation))
                        for name in policy.interpretations}
        self._needed: dict[tuple[Any, Any], frozenset[str] | None] = {}
        self._default_key = tuple(self.default_selection.items())
        self._index = {f"r{i}": i for i in range(len(policy.rules))}
        self._memo: dict[str, tuple[frozenset[int], bool]] = {}
        self._fast_memo: dict[str, tuple] = {}
        self._days: dict[Any, tuple[Flag, ...]] = {}

    def __repr__(self) -> str:
        return f"<Evaluator {self.policy.id}>"

    def _repr_html_(self) -> str:
        return self.policy._repr_html_()

    def citations(self, selection: Mapping[str, str]) -> Mapping[str, Citation]:
        """Citations of the rules (the version each reading selects) and definitions, by id."""
        key = tuple(selection.items())
        cited = self._cited.get(key)
        if cited is None:
            cited = {r.id: rule_citation(r) for r in self.policy.rules if r.holds_under(selection)}
            cited.update(self._definitions)
            self._cited[key] = cited
        return cited

    def citation(self, rule_id: str, selection: Mapping[str, str] | None = None) -> Citation:
        """The citation of a rule or definition; of another reading's version if that is the only one."""
        cited = self.citations(selection if selection is not None else self.default_selection)
        if rule_id in cited:
            return cited[rule_id]
        return rule_citation(self.policy.rules_named(rule_id)[0])

    # --- setup -------------------------------------------------------------------------------

    def _conditions(self) -> list[tuple[str, Condition]]:
        return engine_conditions(self.policy)

    def _needed_fields(self, activity: Any, mine: Any) -> frozenset[str] | None:
        """The fields a scenario with this activity and mine must give for every rule to be decided
        (None for values outside the vocabulary); built on first use, one pair at a time."""
        key = (activity, mine)
        if key in self._needed:
            return self._needed[key]
        out: frozenset[str] | None = None
        domains = (self.vocab.fields["activity"].domain(), self.vocab.fields["mine"].domain())
        if (activity is None or activity in domains[0]) and (mine is None or mine in domains[1]):
            known = {k: v for k, v in (("activity", activity), ("mine", mine)) if v is not None}
            out = frozenset().union(*(fields_of(simplify(c, known, self.vocab)) for _, c in self._conditions()))
        if len(self._needed) < 4096:
            self._needed[key] = out
        return out

    @property
    def matcher(self) -> DurableMatcher:
        """The durable_rules matcher, compiled on first use."""
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = DurableMatcher(self._conditions(), self.vocab, self._pool_size)
        assert self._matcher is not None
        return self._matcher

    def selection(self, interpretation: Mapping[str, str] | None) -> dict[str, str]:
        """The readings to apply: the defaults, overridden by `interpretation`; errors name the fix."""
        chosen = dict(self.default_selection)
        if interpretation is not None and not isinstance(interpretation, Mapping):
            raise ScenarioError(f"an interpretation is a mapping of names to readings, not '{shown(interpretation)}'",
                                where="interpretation", hint="pass for example {'b22-2-korea': 'literal'}")
        for name, reading in (interpretation or {}).items():
            spec = self.policy.interpretations.get(name) if isinstance(name, str) else None
            if spec is None:
                known = tuple(self.policy.interpretations)
                raise ScenarioError(
                    f"{self.policy.id} has no interpretation '{shown(name)}'", where="interpretation",
                    hint=did_you_mean(shown(name), known) if known else f"{self.policy.id} declares no interpretations",
                )
            if not isinstance(reading, str) or reading not in spec.readings:
                raise ScenarioError(f"'{shown(reading)}' is not a reading of '{name}'", where="interpretation",
                                    hint=did_you_mean(shown(reading), tuple(spec.readings)))
            chosen[name] = reading
        return chosen

    # --- matching ----------------------------------------------------------------------------

    def is_complete(self, scenario: Mapping[str, Value]) -> bool:
        """True when the scenario gives every field some rule of the instrument needs."""
        key = (scenario.get("activity"), scenario.get("mine"))
        try:
            needed = self._needed[key]
        except KeyError:
            needed = self._needed_fields(*key)
        except TypeError:  # an unhashable value is no value of the vocabulary
            return False
        return needed is not None and needed.issubset(scenario.keys())

    def match(self, scenario: Mapping[str, Value], matcher: str = "engine") -> tuple[frozenset[int], bool]:
        """Indices of the rules (every version) that hold, and whether the scenario is in scope:
        `matcher` engine (durable_rules), memo (the memo, durable_rules on a miss) or reference."""
        if matcher == "engine":
            return self._held(self.matcher.match(scenario))
        if matcher == "memo":
            return self._memo_match(scenario)
        holds = frozenset(i for i, r in enumerate(self.policy.rules)
                          if evaluate(r.condition, scenario, self.vocab) is True)
        return holds, evaluate(self.policy.scope, scenario, self.vocab) is True

    def _held(self, fired: list[str]) -> tuple[frozenset[int], bool]:
        index = self._index
        return frozenset(index[name] for name in fired if name != SCOPE), SCOPE in fired

    def _memo_match(self, scenario: Mapping[str, Value]) -> tuple[frozenset[int], bool]:
        """`match` through the memo: the fact body (integers and dates as their class) is the key;
        on a miss durable_rules answers and the answer is kept."""
        matcher = self._matcher or self.matcher
        body = matcher.encoder.body(scenario)
        found = self._memo.get(body)
        if found is None:
            found = self._held(matcher.match_body(body))
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[body] = found
        return found

    # --- deciding ----------------------------------------------------------------------------

    def evaluate(self, scenario: Mapping[str, Value], interpretation: Mapping[str, str] | None = None,
                 matcher: str = "auto") -> Decision:
        """The decision of this instrument for a validated scenario."""
        if matcher == "auto" and not interpretation:
            decision = self._fast(scenario)
            if decision is not None:
                return decision
        if matcher not in MATCHERS:
            raise ScenarioError(f"unknown matcher '{shown(matcher)}'", hint=did_you_mean(shown(matcher), MATCHERS))
        selection = self.selection(interpretation) if interpretation else self.default_selection
        complete = self.is_complete(scenario)
        if matcher == "auto" and complete:
            held, in_scope = self._memo_match(scenario)
        elif matcher == "engine":
            held, in_scope = self.match(scenario, "engine")
        elif complete:
            held, in_scope = self.match(scenario, "reference")
        else:
            return self._partial(scenario, selection)
        outcome, defeated, flags, sources = self._resolved(selection, held, in_scope)
        if "date" in scenario:
            flags += self._date_flags(scenario)
        return Decision(outcome.verdict, outcome.reason, self.policy.id, outcome.deciding, outcome.applicable,
                        defeated, (), flags, sources, scenario, selection,
                        self._trace(scenario, selection, outcome.deciding, defeated))

    def _fast(self, scenario: Mapping[str, Value]) -> Decision | None:
        """The decision under the default readings through the memo (durable_rules on a miss), or
        None for a partial scenario. A memo hit implies a complete scenario: the key holds every
        tested field the scenario gives."""
        matcher = self._matcher or self.matcher
        try:
            body = matcher.encoder.body(scenario)
        except (KeyError, TypeError, ValueError, AttributeError):  # not a validated scenario: the slow path
            return None
        hit = self._fast_memo.get(body)
        if hit is None:
            if not self.is_complete(scenario):
                return None
            held, in_scope = self._memo_match(scenario)
            hit = self._resolved(self.default_selection, held, in_scope)
            if len(self._fast_memo) >= MEMO_SIZE:
                self._fast_memo.clear()
            self._fast_memo[body] = hit
        outcome, defeated, flags, sources = hit
        if "date" in scenario:
            flags += self._date_flags(scenario)
        selection = self.default_selection
        return Decision(outcome.verdict, outcome.reason, self.policy.id, outcome.deciding, outcome.applicable,
                        defeated, (), flags, sources, scenario, selection,
                        self._trace(scenario, selection, outcome.deciding, defeated))

    def _resolved(self, selection: Mapping[str, str], held: frozenset[int], in_scope: bool) -> tuple[
            Outcome, Mapping[str, tuple[str, ...]], tuple[Flag, ...], tuple[Citation, ...]]:
        key = (self._default_key if selection is self.default_selection else tuple(selection.items()), held,
               in_scope)
        cached = self._outcomes.get(key)
        if cached is None:
            outcome = self._combine(selection, held, in_scope)
            cited = self.citations(selection)
            flags = self._rule_flags(outcome.deciding, cited) + self._reading_flags(selection, outcome, held, in_scope)
            cached = (outcome, MappingProxyType(dict(outcome.defeated)), flags,
                      tuple(cited[i] for i in outcome.deciding))
            self._outcomes[key] = cached
        return cached

    def _combine(self, selection: Mapping[str, str], held: frozenset[int], in_scope: bool) -> Outcome:
        rules = self.policy.rules
        return combine(self.policy, [rules[i] for i in sorted(held) if rules[i].holds_under(selection)], in_scope)

    def _reading_flags(self, selection: Mapping[str, str], outcome: Outcome, held: frozenset[int],
                       in_scope: bool) -> tuple[Flag, ...]:
        flags = []
        for name, tagged in self._tagged.items():
            if not in_scope or held.isdisjoint(tagged):
                continue
            for reading in self.policy.interpretations[name].readings:
                if reading == selection[name]:
                    continue
                other = self._combine({**selection, name: reading}, held, in_scope)
                if other.key != outcome.key:
                    flags.append(self._reading_flag(name, selection[name], reading, _summary(other)))
        return tuple(flags)

    def _reading_flag(self, name: str, reading: str, other: str, result: str) -> Flag:
        spec = self.policy.interpretations[name]
        return Flag(FlagKind.INTERPRETATION, name,
                    f"turns on '{name}' ({spec.question}): read here as '{reading}'; "
                    f"under '{other}' ({spec.readings[other]}) it would be {result}")

    @staticmethod
    def _rule_flags(ids: tuple[str, ...], cited: Mapping[str, Citation]) -> tuple[Flag, ...]:
        return tuple(Flag(FlagKind.LOW_CONFIDENCE, i, cited[i].note) for i in ids if cited[i].confidence == "low")

    def _date_flags(self, scenario: Mapping[str, Value]) -> tuple[Flag, ...]:
        day = scenario.get("date")
        if day is None:
            return ()
        flags = self._days.get(day)
        if flags is None:
            flags = self._date_flag(day)
            if len(self._days) < 4096:
                self._days[day] = flags
        return tuple(f for f in flags if self._concerns(f.subject, scenario))

    def _concerns(self, note_id: str, scenario: Mapping[str, Value]) -> bool:
        """False when a dated not-rule names the scenarios it concerns (`when`) and this is not one of them."""
        when = next((n.when for n in self.policy.not_rules if n.id == note_id), None)
        return when is None or evaluate(when, scenario, self.vocab) is not False

    def _date_flag(self, day: Any) -> tuple[Flag, ...]:
        if self.policy.in_force_on(day):
            return self._period_flags(day)
        until = self.policy.in_force_to.isoformat() if self.policy.in_force_to else "now"
        return (Flag(FlagKind.NOT_IN_FORCE, self.policy.id,
                     f"{self.policy.id} was not in force on {day.isoformat()} (in force from "
                     f"{self.policy.in_force_from.isoformat()} until {until}); this is what its text says"),)

    def _period_flags(self, day: Any) -> tuple[Flag, ...]:
        """Flags for a date on or after a dated not-rule: a departure of practice, or a passed horizon."""
        flags = []
        for note in self.policy.not_rules:
            if note.start is None or day < note.start:
                continue
            if note.kind == "practice":
                flags.append(Flag(FlagKind.DEPARTURE_OF_PRACTICE, note.id,
                                  f"from {note.start.isoformat()} practice departed from the text of "
                                  f"{self.policy.id} without amending it ({note.id}): {note.reason}"))
            else:
                flags.append(Flag(FlagKind.PAST_HORIZON, note.id,
                                  f"{self.policy.id} is an interim instrument whose stated horizon passed "
                                  f"before {note.start.isoformat()} ({note.id}): {note.reason} It may have been "
                                  "superseded by a policy this library does not encode"))
        return tuple(flags)

    def _trace(self, scenario: Mapping[str, Value], selection: Mapping[str, str], deciding: tuple[str, ...],
               defeated: Mapping[str, tuple[str, ...]]) -> Trace:
        rules = self.policy.rules
        return Trace(lambda: trace.build([r for r in rules if r.holds_under(selection)], scenario, self.vocab,
                                         deciding, defeated))

    def trace_of(self, decision: Decision) -> Trace:
        """The trace of a decision of this instrument (rebuilt if the decision came without one)."""
        if decision.trace or not self.policy.rules:
            return decision.trace
        return self._trace(decision.scenario, decision.interpretation, decision.deciding_rules,
                           decision.defeated_rules)

    # --- partial evaluation ------------------------------------------------------------------

    def outcomes(self, scenario: Mapping[str, Value], selection: Mapping[str, str]) -> list:
        """The reference decision tree: one leaf per combination of the open fields' value classes."""
        return explore(self.policy, active_rules(self.policy, selection), scenario, self.vocab, self.classes)

    def _partial(self, scenario: Mapping[str, Value], selection: Mapping[str, str]) -> Decision:
        leaves = self.outcomes(scenario, selection)
        keys = {leaf.outcome.key for leaf in leaves}
        flags = self._partial_reading_flags(scenario, selection, keys) + self._date_flags(scenario)
        applicable = _common(leaf.outcome.applicable for leaf in leaves)
        defeated = dict(leaves[0].outcome.defeated)
        for leaf in leaves[1:]:
            other = dict(leaf.outcome.defeated)
            defeated = {k: v for k, v in defeated.items() if other.get(k) == v}
        cited = self.citations(selection)
        if len(keys) == 1:
            outcome = leaves[0].outcome
            return Decision(
                verdict=outcome.verdict, reason=outcome.reason, policy=self.policy.id,
                deciding_rules=outcome.deciding, applicable_rules=applicable, defeated_rules=defeated,
                flags=self._rule_flags(outcome.deciding, cited) + flags,
                sources=tuple(cited[i] for i in outcome.deciding), scenario=scenario,
                interpretation=selection, trace=self._trace(scenario, selection, outcome.deciding, defeated),
            )
        residual = residuals(leaves, self.classes, self.vocab)
        verdicts = {leaf.outcome.verdict for leaf in leaves}
        if len(verdicts) == 1:  # the verdict is certain; only which provisions also apply is open
            (verdict,) = verdicts
            reasons = {leaf.outcome.reason for leaf in leaves}
            reason = reasons.pop() if len(reasons) == 1 else None
            deciding = _common(leaf.outcome.deciding for leaf in leaves) or _union(r.deciding_rules for r in residual)
        else:
            verdict, reason, deciding = Verdict.CONDITIONAL, None, _union(r.deciding_rules for r in residual)
        return Decision(
            verdict=verdict, reason=reason, policy=self.policy.id, deciding_rules=deciding,
            applicable_rules=applicable, defeated_rules=defeated, residual=residual,
            flags=self._rule_flags(deciding, cited) + flags,
            sources=tuple(cited[i] for i in deciding), scenario=scenario, interpretation=selection,
            trace=self._trace(scenario, selection, deciding, defeated),
        )

    def _partial_reading_flags(self, scenario: Mapping[str, Value], selection: Mapping[str, str],
                               keys: set) -> tuple[Flag, ...]:
        flags = []
        for name, tagged in self._tagged.items():
            if all(evaluate(self.policy.rules[i].condition, scenario, self.vocab) is False for i in tagged):
                continue
            for reading in self.policy.interpretations[name].readings:
                if reading == selection[name]:
                    continue
                other = self.outcomes(scenario, {**selection, name: reading})
                other_keys = {leaf.outcome.key for leaf in other}
                if other_keys != keys:
                    result = (_summary(other[0].outcome) if len(other_keys) == 1
                              else "conditional (" + "; ".join(_summary(r) for r in
                                                               residuals(other, self.classes, self.vocab)) + ")")
                    flags.append(self._reading_flag(name, selection[name], reading, result))
        return tuple(flags)


def _common(groups: Any) -> tuple[str, ...]:
    groups = [tuple(g) for g in groups]
    if not groups:
        return ()
    shared = set(groups[0]).intersection(*groups[1:])
    return tuple(i for i in groups[0] if i in shared)


def _union(groups: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for g in groups for i in g))


def _summary(outcome: Outcome | Residual) -> str:
    deciding = outcome.deciding if isinstance(outcome, Outcome) else outcome.deciding_rules
    verdict = outcome.verdict.replace("_", " ")
    if outcome.reason:
        verdict += f" ({outcome.reason.replace('_', ' ')})"
    return f"{verdict} by {', '.join(deciding)}" if deciding else verdict
