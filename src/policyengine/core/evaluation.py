"""Evaluate scenarios against one instrument: the engine's matcher (durable_rules or the pure-Python
matcher) for complete scenarios, through a memo of match sets, and the reference evaluator's partial
evaluation for the rest; one Decision either way."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from . import engines, trace
from .conditions import Condition, evaluate
from .decision import Citation, Decision, Flag, Residual
from .engine import MAX_POOL_SIZE, SCOPE_NAME, DurableMatcher, check_pool_size, engine_conditions
from .errors import ScenarioError, shown
from .memo import Cache, Keys
from .model import Definition, Policy, Rule
from .outcomes import FlagKind, Verdict
from .python_matcher import PythonMatcher
from .semantics import Outcome, active_rules, combine
from .space import explore, partitions, residuals
from .trace import Trace
from .vocabulary import Value, Vocabulary, did_you_mean
from .words import decided_by, plain

MATCHERS = ("auto", "engine", "reference")
SCOPE = SCOPE_NAME


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



def readings_mapping(interpretation: object) -> Mapping[str, str]:
    """`interpretation` when it is a mapping (None is empty); ScenarioError naming the fix otherwise."""
    if interpretation is None:
        return {}
    if not isinstance(interpretation, Mapping):
        raise ScenarioError(f"an interpretation is a mapping of names to readings, not '{shown(interpretation)}'",
                            where="interpretation", hint="pass for example {'b22-2-korea': 'literal'}")
    return interpretation


@attrs.frozen
class Resolved:
    """What one match set means under one selection of readings; shared by every scenario with it."""

    held: frozenset[int]
    in_scope: bool
    outcome: Outcome
    defeated: Mapping[str, tuple[str, ...]]
    flags: tuple[Flag, ...]
    sources: tuple[Citation, ...]


class Evaluator:
    """Answers scenarios for one instrument with one engine; compiled once, safe to share between threads."""

    @classmethod
    def of(cls, policy: Policy, vocab: Vocabulary | None = None, engine: str | None = None) -> Evaluator:
        """The evaluator a policy keeps for an engine (default: the one chosen at load), built on first
        use (against `vocab`, default the vocabulary it was loaded with), then shared by every caller."""
        name = engines.resolve(engine)
        judge = policy.cache.get(f"evaluator:{name}")
        if judge is None:
            judge = policy.cache.setdefault(f"evaluator:{name}",
                                            cls(policy, vocab or policy.cache["vocabulary"], engine=name))
        return judge

    def __init__(self, policy: Policy, vocab: Vocabulary, pool_size: int = MAX_POOL_SIZE,
                 engine: str | None = None) -> None:
        check_pool_size(pool_size)
        self.engine = engines.resolve(engine)
        self.policy = policy
        self.vocab = vocab
        self.classes = partitions(policy, vocab)
        self.default_selection = MappingProxyType(policy.default_selection)
        self._pool_size = pool_size
        self._matcher: Any = None
        self._lock = threading.Lock()
        self._conditions: list[tuple[str, Condition]] = engine_conditions(policy)
        self.keys = Keys(policy.scope, [r.condition for r in policy.rules], vocab)  # the memo key of a scenario
        self._definitions = {d.id: definition_citation(d) for d in policy.definitions}
        self._tagged = {name: tuple(i for i, r in enumerate(policy.rules) if name in dict(r.interpretation))
                        for name in policy.interpretations}
        self._default_key = tuple(self.default_selection.items())
        self._index = {f"r{i}": i for i in range(len(policy.rules))}
        self.memo = Cache("memo")  # memo key -> Resolved under the default readings
        self._resolutions = Cache("resolutions")  # (readings, match set) -> Resolved
        self._cited = Cache("citations")  # readings -> citations by id
        self._days = Cache("dates")  # date -> its flags
        self._note_when = {n.id: n.when for n in policy.not_rules if n.when is not None}

    def __repr__(self) -> str:
        return f"<Evaluator {self.policy.id}>"

    def _repr_html_(self) -> str:
        return self.policy._repr_html_()

    @property
    def caches(self) -> dict[str, Cache]:
        """Every cache this evaluator keeps, by name (each follows the size rule of `memo.Cache`)."""
        return {c.name: c for c in (self.memo, self._resolutions, self._cited, self._days, self.keys.plans)}

    def with_engine(self, engine: str | None) -> Evaluator:
        """The evaluator of the same instrument for `engine` (this one when it already uses it)."""
        name = engines.resolve(engine)
        return self if name == self.engine else Evaluator.of(self.policy, self.vocab, name)

    def citations(self, selection: Mapping[str, str]) -> Mapping[str, Citation]:
        """Citations of the rules (the version each reading selects) and definitions, by id."""
        key = tuple(selection.items())
        cited = self._cited.get(key)
        if cited is None:
            cited = {r.id: rule_citation(r) for r in self.policy.rules if r.holds_under(selection)}
            cited.update(self._definitions)
            self._cited.put(key, cited)
        return cited

    def citation(self, rule_id: str, selection: Mapping[str, str] | None = None) -> Citation:
        """The citation of a rule or definition; of another reading's version if that is the only one."""
        cited = self.citations(selection if selection is not None else self.default_selection)
        if rule_id in cited:
            return cited[rule_id]
        return rule_citation(self.policy.rules_named(rule_id)[0])

    # --- setup -------------------------------------------------------------------------------

    @property
    def matcher(self) -> Any:
        """The engine's matcher (a DurableMatcher or a PythonMatcher), compiled on first use."""
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = self._compile()
        return self._matcher

    def _compile(self) -> Any:
        if self.engine == "durable":
            return DurableMatcher(self._conditions, self.vocab, self._pool_size)
        return PythonMatcher(self._conditions, self.vocab)

    def selection(self, interpretation: Mapping[str, str] | None) -> dict[str, str]:
        """The readings to apply: the defaults, overridden by `interpretation`; errors name the fix."""
        chosen = dict(self.default_selection)
        for name, reading in readings_mapping(interpretation).items():
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
        needed = self.keys.needed(scenario.get("activity"), scenario.get("mine"))
        return needed is not None and needed.issubset(scenario.keys())

    def match(self, scenario: Mapping[str, Value], matcher: str = "engine") -> tuple[frozenset[int], bool]:
        """Indices of the rules (every version) that hold, and whether the scenario is in scope:
        `matcher` engine (this evaluator's engine), memo (the memo, the engine on a miss) or reference."""
        if matcher == "engine":
            return self._held(self.matcher.match(scenario))
        if matcher == "memo":
            found = self._memoised(self.keys.key(scenario), scenario)
            return found.held, found.in_scope
        holds = frozenset(i for i, r in enumerate(self.policy.rules)
                          if evaluate(r.condition, scenario, self.vocab) is True)
        return holds, evaluate(self.policy.scope, scenario, self.vocab) is True

    def _held(self, fired: list[str]) -> tuple[frozenset[int], bool]:
        index = self._index
        return frozenset(index[name] for name in fired if name != SCOPE), SCOPE in fired

    def _memoised(self, key: tuple, scenario: Mapping[str, Value]) -> Resolved:
        """The memo's entry for a key; on a miss the engine answers and the answer is kept."""
        found = self.memo.get(key)
        if found is None:
            held, in_scope = self._held(self.matcher.match(scenario))
            # out of scope, which rules hold does not matter (and may rest on fields the key leaves out)
            found = self.memo.put(key, self._resolved(self.default_selection, held if in_scope else frozenset(),
                                                      in_scope))
        return found

    # --- deciding ----------------------------------------------------------------------------

    def evaluate(self, scenario: Mapping[str, Value], interpretation: Mapping[str, str] | None = None,
                 matcher: str = "auto") -> Decision:
        """The decision of this instrument for a validated scenario."""
        if matcher == "auto":
            try:
                key = self.keys.key(scenario)
            except (KeyError, TypeError):  # a partial scenario (or one not validated): the slow path
                key = None
            if key is not None:
                found = self._memoised(key, scenario)
                if not interpretation:
                    return self._decision(scenario, self.default_selection, found)
                selection = self.selection(interpretation)
                return self._decision(scenario, selection, self._resolved(selection, found.held, found.in_scope))
        elif matcher not in MATCHERS:
            raise ScenarioError(f"unknown matcher '{shown(matcher)}'", hint=did_you_mean(shown(matcher), MATCHERS))
        selection = self.selection(interpretation) if interpretation else self.default_selection
        if matcher == "engine":
            held, in_scope = self.match(scenario, "engine")
        elif matcher == "reference" and self.is_complete(scenario):
            held, in_scope = self.match(scenario, "reference")
        else:
            return self._partial(scenario, selection)
        return self._decision(scenario, selection, self._resolved(selection, held, in_scope))

    def _decision(self, scenario: Mapping[str, Value], selection: Mapping[str, str], found: Resolved) -> Decision:
        """The Decision for a resolved match set."""
        outcome = found.outcome
        return self._build(scenario, selection, outcome.verdict, outcome.reason, outcome.deciding,
                           outcome.applicable, found.defeated, found.flags, found.sources)

    def _build(self, scenario: Mapping[str, Value], selection: Mapping[str, str], verdict: Verdict,
               reason: Any, deciding: tuple[str, ...], applicable: tuple[str, ...],
               defeated: Mapping[str, tuple[str, ...]], flags: tuple[Flag, ...], sources: tuple[Citation, ...],
               residual: tuple[Residual, ...] = ()) -> Decision:
        """Every Decision this evaluator makes is built here: the date's flags and the lazy trace added."""
        if "date" in scenario:
            flags += self._date_flags(scenario)
        return Decision(verdict, reason, self.policy.id, deciding, applicable, defeated, residual, flags, sources,
                        scenario, selection, self._trace(scenario, selection, deciding, defeated))

    def _resolved(self, selection: Mapping[str, str], held: frozenset[int], in_scope: bool) -> Resolved:
        key = (self._default_key if selection is self.default_selection else tuple(selection.items()), held,
               in_scope)
        found = self._resolutions.get(key)
        if found is None:
            outcome = self._combine(selection, held, in_scope)
            cited = self.citations(selection)
            flags = self._rule_flags(outcome.deciding, cited) + self._reading_flags(selection, outcome, held, in_scope)
            found = self._resolutions.put(key, Resolved(held, in_scope, outcome, MappingProxyType(dict(outcome.defeated)),
                                                        flags, tuple(cited[i] for i in outcome.deciding)))
        return found

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
            flags = self._days.put(day, self._date_flag(day))
        if not flags or not self._note_when:
            return flags
        return tuple(f for f in flags if self._concerns(f.subject, scenario))

    def _concerns(self, note_id: str, scenario: Mapping[str, Value]) -> bool:
        """False when a dated not-rule names the scenarios it concerns (`when`) and this is not one of them."""
        when = self._note_when.get(note_id)
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
        flags = self._partial_reading_flags(scenario, selection, keys)
        applicable = _common(leaf.outcome.applicable for leaf in leaves)
        defeated = dict(leaves[0].outcome.defeated)
        for leaf in leaves[1:]:
            other = dict(leaf.outcome.defeated)
            defeated = {k: v for k, v in defeated.items() if other.get(k) == v}
        cited = self.citations(selection)
        if len(keys) == 1:
            outcome = leaves[0].outcome
            return self._build(scenario, selection, outcome.verdict, outcome.reason, outcome.deciding, applicable,
                               defeated, self._rule_flags(outcome.deciding, cited) + flags,
                               tuple(cited[i] for i in outcome.deciding))
        residual = residuals(leaves, self.classes, self.vocab)
        verdicts = {leaf.outcome.verdict for leaf in leaves}
        if len(verdicts) == 1:  # the verdict is certain; only which provisions also apply is open
            (verdict,) = verdicts
            reasons = {leaf.outcome.reason for leaf in leaves}
            reason = reasons.pop() if len(reasons) == 1 else None
            deciding = _common(leaf.outcome.deciding for leaf in leaves) or _union(r.deciding_rules for r in residual)
        else:
            verdict, reason, deciding = Verdict.CONDITIONAL, None, _union(r.deciding_rules for r in residual)
        return self._build(scenario, selection, verdict, reason, deciding, applicable, defeated,
                           self._rule_flags(deciding, cited) + flags, tuple(cited[i] for i in deciding), residual)

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
    reason = f" ({plain(outcome.reason)})" if outcome.reason else ""
    return decided_by(plain(outcome.verdict) + reason, deciding)
