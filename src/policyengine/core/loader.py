"""Policy YAML to the model, checking every reference; each error names file:line and a fix."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .conditions import All, Condition, ParseContext, Test, parse
from .data import policy_files
from .errors import PolicyEngineError, PolicyFileError, PolicyFileErrors, shown
from .limits import check_limits
from .model import (
    EFFECTS,
    EVIDENCE,
    FINDING_KINDS,
    KINDS,
    AcceptedFinding,
    Definition,
    Interpretation,
    NotRule,
    Policy,
    Rule,
    Source,
)
from .vocabulary import MAX_DATE, MIN_DATE, Vocabulary, did_you_mean
from .yamlio import load_yaml, where

TOP_KEYS = ("id", "title", "kind", "binds_us", "announced", "in_force", "replaces", "supplements",
            "president", "scope", "resolution", "sources", "definitions", "interpretations", "rules",
            "not_rules", "notes", "findings")
REQUIRED_TOP = ("id", "title", "kind", "binds_us", "announced", "in_force", "scope", "sources", "rules")
RULE_KEYS = ("id", "title", "effect", "when", "exception_to", "from", "until", "source", "quote",
             "evidence", "confidence", "note", "inherited_from", "interpretation", "paraphrase")
REQUIRED_RULE = ("id", "effect", "when", "source", "quote")
DEFINITION_KEYS = ("id", "term", "when", "source", "quote", "note", "confidence")
NOT_RULE_KEYS = ("id", "kind", "reason", "source", "quote", "from", "when")
NOT_RULE_KINDS = ("policy_goal", "rescission", "process", "practice", "treaty_position", "reserved_right",
                  "obligation_of_conduct", "definition", "procedure", "reporting")
SOURCE_KEYS = ("title", "url", "date", "evidence")
SCOPE_KEYS = ("when", "source", "quote", "note")
FINDING_KEYS = ("kind", "rules", "when", "note")
INTERPRETATION_KEYS = ("question", "readings", "default", "brief")
RESOLUTIONS = ("prohibition_overrides",)
RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # used with fullmatch: no trailing newline slips by
MAX_ERRORS = 50  # problems reported per file before the loader stops looking


class _Reported(PolicyFileError):
    """A problem that follows from one already reported (a citation of a malformed source): not repeated."""


class _File:
    """Helpers bound to one file, so every check can say where it failed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[PolicyFileError] = []
        self.broken_sources: set[str] = set()  # declared, but malformed and reported

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        """Record a PolicyFileError raised in the block and carry on with the rest of the file."""
        try:
            yield
        except _Reported:
            pass
        except PolicyFileErrors as exc:
            self.errors.extend(exc.errors)
        except PolicyFileError as exc:
            self.errors.append(exc)
        if len(self.errors) >= MAX_ERRORS:
            self.raise_errors()

    def raise_errors(self) -> None:
        """Raise what was recorded: the error itself when there is one, PolicyFileErrors when several."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise PolicyFileErrors(self.errors)

    def scalar(self, node: Any, key: str, what: str) -> str:
        """`node[key]` as text; a list or mapping there is an error."""
        value = node[key]
        if isinstance(value, (list, Mapping)):
            raise self.fail(f"{what} must be a single name, not '{shown(value)}'", node, key,
                            hint=f"write {key}: name")
        return str(value)

    def fail(self, message: str, node: Any, key: Any = None, hint: str | None = None,
             index: int | None = None) -> PolicyFileError:
        return PolicyFileError(message, where=where(self.path, node, key, index), hint=hint)

    def keys(self, node: Any, allowed: tuple[str, ...], required: tuple[str, ...], what: str,
             parent: Any = None, index: int | None = None) -> None:
        if not isinstance(node, Mapping):
            raise self.fail(f"{what} must be a mapping, not '{shown(node)}'", parent if parent is not None else node,
                            index=index, hint="see docs/policy-format.md")
        for key in node:
            if key not in allowed:
                raise self.fail(f"unknown key '{shown(key)}' in {what}", node, key,
                                hint=did_you_mean(shown(key), allowed))
        for key in required:
            if key not in node:
                raise self.fail(f"{what} has no '{key}'", node, hint=f"add {key}: (see docs/policy-format.md)")

    def date(self, node: Any, key: str, optional: bool = False) -> dt.date | None:
        value = node.get(key)
        if value is None and optional:
            return None
        day = None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            day = value
        elif isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value[:32])
            except ValueError:
                pass
        if day is None:
            raise self.fail(f"'{key}' must be an ISO date, not '{shown(value)}'", node, key,
                            hint="write it as 2022-06-21")
        if not MIN_DATE <= day <= MAX_DATE:
            raise self.fail(f"'{key}' is {day}, outside the dates {MIN_DATE} to {MAX_DATE}", node, key,
                            hint="check the year")
        return day

    def ids(self, node: Any, key: str) -> tuple[str, ...]:
        value = node.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(f"'{key}' must be a list of ids", node, key, hint=f"write {key}: [a, b]")
        for item in value:
            if isinstance(item, (list, Mapping)):
                raise self.fail(f"'{key}' must list ids, not '{shown(item)}'", node, key, hint=f"write {key}: [a, b]")
        return tuple(str(v) for v in value)


def load_policy(path: str | Path, vocab: Vocabulary) -> Policy:
    """Load and check one policy file; raise PolicyFileError (file:line, offending item, fix).

    Every problem of the file is looked for: one is raised as itself, several as PolicyFileErrors
    (its `errors` lists each). Whatever else goes wrong while reading is still a PolicyFileError."""
    path = str(path)
    try:
        return _load(_File(path), vocab)
    except PolicyEngineError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise PolicyFileError(f"is too large or too deeply nested to load ({type(exc).__name__})", where=path,
                              hint="simplify the file") from None
    except Exception as exc:  # noqa: BLE001 - bad input must never escape as a traceback
        raise PolicyFileError(f"could not be loaded ({type(exc).__name__}: {shown(exc, 120)})", where=path,
                              hint="check the file against docs/policy-format.md, and report this message") from None


def _load(f: _File, vocab: Vocabulary) -> Policy:
    path = f.path
    doc = load_yaml(path)
    f.keys(doc, TOP_KEYS, (), "the policy")
    for key in REQUIRED_TOP:
        if key not in doc:
            with f.attempt():
                raise f.fail(f"the policy has no '{key}'", doc, hint=f"add {key}: (see docs/policy-format.md)")
    kind, binds_us, start, end, resolution = None, None, None, None, None
    with f.attempt():
        if "kind" in doc and doc["kind"] not in KINDS:
            raise f.fail(f"unknown kind '{shown(doc['kind'])}'", doc, "kind",
                         hint=did_you_mean(shown(doc["kind"]), KINDS))
        kind = doc.get("kind")
    with f.attempt():
        if "binds_us" in doc and not isinstance(doc["binds_us"], bool):
            raise f.fail("'binds_us' must be true or false", doc, "binds_us", hint="write binds_us: true")
        binds_us = doc.get("binds_us")
    with f.attempt():
        if "in_force" in doc:
            in_force = doc["in_force"]
            f.keys(in_force, ("from", "to"), ("from",), "in_force")
            start, end = f.date(in_force, "from"), f.date(in_force, "to", optional=True)
            if end is not None and end <= start:
                raise f.fail(f"in_force 'to' ({end}) is not after 'from' ({start})", in_force, "to",
                             hint="'to' is the day the instrument was replaced")
    with f.attempt():
        resolution = doc.get("resolution")
        if resolution is not None and resolution not in RESOLUTIONS:
            raise f.fail(f"unknown resolution '{shown(resolution)}'", doc, "resolution",
                         hint=did_you_mean(shown(resolution), RESOLUTIONS))
    announced = None
    with f.attempt():
        announced = f.date(doc, "announced") if "announced" in doc else None

    sources: dict[str, Source] = {}
    with f.attempt():
        sources = _sources(f, doc.get("sources"))
    interpretations: dict[str, Interpretation] = {}
    with f.attempt():
        interpretations = _interpretations(f, doc.get("interpretations") or {})
    ctx = ParseContext(vocab=vocab, path=path, definitions={})
    definitions: tuple[Definition, ...] = ()
    with f.attempt():
        definitions = _definitions(f, doc.get("definitions") or [], sources, ctx)
    scope = None
    with f.attempt():
        if "scope" in doc:
            scope_raw = doc["scope"]
            if isinstance(scope_raw, Mapping) and "when" in scope_raw:
                f.keys(scope_raw, SCOPE_KEYS, ("when",), "scope")
                if "source" in scope_raw:
                    _source(f, scope_raw, sources, "scope")
                scope_raw = scope_raw["when"]
            scope = parse(scope_raw, ctx, doc, "scope")
    rules: tuple[Rule, ...] = ()
    with f.attempt():
        if "rules" in doc:
            rules = _rules(f, doc["rules"], sources, interpretations, ctx)
    not_rules: tuple[NotRule, ...] = ()
    with f.attempt():
        not_rules = _not_rules(f, doc.get("not_rules") or [], sources, ctx)
    findings: tuple[AcceptedFinding, ...] = ()
    with f.attempt():
        findings = _findings(f, doc.get("findings") or [], {r.id for r in rules}, ctx)
    replaces: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ()
    with f.attempt():
        replaces, supplements = f.ids(doc, "replaces"), f.ids(doc, "supplements")
    with f.attempt():
        _check_references(f, doc, str(doc.get("id")))
    f.raise_errors()
    policy = Policy(
        id=str(doc["id"]), title=str(doc["title"]), kind=kind, binds_us=binds_us,
        announced=announced, in_force_from=start, in_force_to=end, scope=scope,
        rules=rules, sources=sources, definitions=definitions, interpretations=interpretations,
        not_rules=not_rules, findings=findings, replaces=replaces, supplements=supplements,
        president=str(doc.get("president") or ""), resolution=resolution,
        notes=" ".join(str(doc.get("notes") or "").split()), path=path,
    )
    check_limits(policy, vocab)  # the engine's limits, checked before any decision is made
    policy.cache["vocabulary"] = vocab  # what `Evaluator.of` compiles it against
    return policy


def _sources(f: _File, raw: Any) -> dict[str, Source]:
    if not isinstance(raw, Mapping) or not raw:
        raise f.fail("'sources' must map source ids to {title, url, date, evidence}", raw,
                     hint="e.g. S33: {title: ..., url: ..., date: 2022-06-21, evidence: primary_seen}")
    out = {}
    for sid, spec in raw.items():
        with f.attempt():
            if not isinstance(spec, Mapping):
                f.broken_sources.add(str(sid))
                raise f.fail(f"source '{shown(sid)}' must be a mapping, not '{shown(spec)}'", raw, sid,
                             hint=f"write {shown(sid)}: {{title: ..., url: ..., date: 2022-06-21, evidence: primary_seen}}")
            f.broken_sources.add(str(sid))  # until it is read whole
            f.keys(spec, SOURCE_KEYS, ("title", "url", "evidence"), f"source '{shown(sid)}'")
            evidence = spec["evidence"]
            if isinstance(evidence, (list, Mapping)) or evidence not in EVIDENCE:
                raise f.fail(f"unknown evidence tag '{shown(evidence)}' in source '{shown(sid)}'", spec, "evidence",
                             hint=did_you_mean(shown(evidence), EVIDENCE))
            out[str(sid)] = Source(id=str(sid), title=str(spec["title"]), url=str(spec["url"]),
                                   date=f.date(spec, "date", optional=True), evidence=evidence)
            f.broken_sources.discard(str(sid))
    return out


def _source(f: _File, node: Any, sources: Mapping[str, Source], what: str) -> Source:
    sid = f.scalar(node, "source", f"the source of {what}")
    if sid in f.broken_sources:
        raise _Reported(f"{what} cites the malformed source '{shown(sid)}'")
    if sid not in sources:
        raise f.fail(f"{what} cites source '{shown(sid)}', which is not declared under sources", node, "source",
                     hint=did_you_mean(sid, tuple(sources)) + " (or declare it under sources:)")
    return sources[sid]


def _interpretations(f: _File, raw: Any) -> dict[str, Interpretation]:
    if not isinstance(raw, Mapping):
        raise f.fail("'interpretations' must be a mapping of names to readings", raw,
                     hint="see docs/policy-format.md#interpretations")
    out = {}
    for name, spec in raw.items():
        f.keys(spec, INTERPRETATION_KEYS, ("question", "readings", "default"), f"interpretation '{shown(name)}'")
        readings = spec["readings"]
        if not isinstance(readings, Mapping) or len(readings) < 2:
            raise f.fail(f"interpretation '{shown(name)}' needs at least two readings", spec, "readings",
                         hint="readings: {one: ..., other: ...}")
        default = f.scalar(spec, "default", f"the default of interpretation '{shown(name)}'")
        if default not in {str(k) for k in readings}:
            raise f.fail(f"default '{shown(default)}' of interpretation '{shown(name)}' is not one of its readings",
                         spec, "default", hint=did_you_mean(default, tuple(str(k) for k in readings)))
        out[str(name)] = Interpretation(
            name=str(name), question=str(spec["question"]),
            readings={str(k): " ".join(str(v).split()) for k, v in readings.items()},
            default=default, brief=str(spec.get("brief") or ""),
        )
    return out


def _definitions(f: _File, raw: Any, sources: Mapping[str, Source], ctx: ParseContext) -> tuple[Definition, ...]:
    if not isinstance(raw, list):
        raise f.fail("'definitions' must be a list", raw, hint="definitions: [{id:, term:, when:, source:, quote:}]")
    out = []
    for index, entry in enumerate(raw):
        f.keys(entry, DEFINITION_KEYS, ("id", "term", "when", "source", "quote"), "a definition", raw, index)
        term = str(entry["term"])
        if term in ctx.definitions:
            raise f.fail(f"term '{term}' is defined twice", entry, "term", hint="keep one definition per term")
        when = parse(entry["when"], ctx, entry, "when")
        ctx.definitions[term] = (str(entry["id"]), when)
        out.append(Definition(id=str(entry["id"]), term=term, when=when,
                              source=_source(f, entry, sources, f"definition '{entry['id']}'"),
                              quote=str(entry["quote"]), note=" ".join(str(entry.get("note") or "").split()),
                              confidence=_confidence(f, entry, f"definition '{shown(entry['id'])}'")))
    return tuple(out)


def _confidence(f: _File, entry: Mapping[str, Any], what: str) -> str:
    """The confidence of an entry: high when not given; given, it must be high or low (never empty)."""
    confidence = entry.get("confidence", "high")
    if isinstance(confidence, (list, Mapping)) or str(confidence) not in ("high", "low"):
        raise f.fail(f"unknown confidence '{shown(confidence)}' in {what}", entry, "confidence",
                     hint="write confidence: low, or leave it out (high is the default)")
    return str(confidence)


def _rules(f: _File, raw: Any, sources: Mapping[str, Source], interpretations: Mapping[str, Interpretation],
           ctx: ParseContext) -> tuple[Rule, ...]:
    if not isinstance(raw, list) or not raw:
        raise f.fail("'rules' must be a non-empty list", raw, hint="see docs/policy-format.md#rules")
    rules: list[Rule] = []
    seen: dict[str, list[Rule]] = {}
    entries = []
    failed = len(f.errors)
    for index, entry in enumerate(raw):
        with f.attempt():
            f.keys(entry, RULE_KEYS, REQUIRED_RULE, f"rule {index + 1}", raw, index)
            rule = _rule(f, entry, sources, interpretations, ctx)
            for other in seen.get(rule.id, []):
                if not _exclusive(rule, other):
                    raise f.fail(f"duplicate rule id '{rule.id}' (first at line {other.line})", entry, "id",
                                 hint="give the rule its own id, e.g. a .suffix, or tag the versions with "
                                      "different readings of one interpretation")
            seen.setdefault(rule.id, []).append(rule)
            rules.append(rule)
            entries.append(entry)
    for entry, rule in zip(entries, rules):
        for target in rule.exception_to:
            if target not in seen:
                with f.attempt():
                    raise f.fail(f"rule '{rule.id}' is an exception to '{shown(target)}', which is not a rule of "
                                 "this policy", entry, "exception_to", hint=did_you_mean(target, tuple(seen)))
    if len(f.errors) == failed:
        _check_cycles(f, entries, rules)
    return tuple(rules)


def _exclusive(a: Rule, b: Rule) -> bool:
    """Two versions of one id are fine when they belong to different readings of one interpretation."""
    readings_a, readings_b = dict(a.interpretation), dict(b.interpretation)
    return any(name in readings_b and readings_b[name] != reading for name, reading in readings_a.items())


def _rule(f: _File, entry: Any, sources: Mapping[str, Source], interpretations: Mapping[str, Interpretation],
          ctx: ParseContext) -> Rule:
    rid = f.scalar(entry, "id", "a rule id")
    if not RULE_ID.fullmatch(rid):
        raise f.fail(f"rule id '{shown(rid)}' has characters outside [A-Za-z0-9_.-]", entry, "id",
                     hint="use the provision id, e.g. B22-2 or B22-2.destruction")
    effect = f.scalar(entry, "effect", f"the effect of rule '{rid}'")
    if effect not in EFFECTS:
        raise f.fail(f"unknown effect '{shown(effect)}' in rule '{rid}'", entry, "effect",
                     hint=did_you_mean(effect, EFFECTS))
    start, end = f.date(entry, "from", optional=True), f.date(entry, "until", optional=True)
    if start and end and start > end:
        raise f.fail(f"rule '{rid}' runs from {start} until {end}: 'from' is after 'until'", entry, "from",
                     hint="swap the dates, or check the year")
    confidence = _confidence(f, entry, f"rule '{rid}'")
    note = " ".join(str(entry.get("note") or "").split())
    if confidence == "low" and not note:
        raise f.fail(f"rule '{rid}' is low-confidence but has no note", entry, "confidence",
                     hint="add note: saying why (cite the open question, e.g. Q5)")
    source = _source(f, entry, sources, f"rule '{rid}'")
    evidence = str(entry.get("evidence") or source.evidence)
    if evidence not in EVIDENCE:
        raise f.fail(f"unknown evidence tag '{shown(evidence)}' in rule '{rid}'", entry, "evidence",
                     hint=did_you_mean(evidence, EVIDENCE))
    tags = entry.get("interpretation") or {}
    if not isinstance(tags, Mapping):
        raise f.fail(f"'interpretation' of rule '{rid}' must map a name to a reading", entry, "interpretation",
                     hint="write interpretation: {name: reading}")
    for name, reading in tags.items():
        if not isinstance(name, str) or name not in interpretations:
            raise f.fail(f"rule '{rid}' names interpretation '{shown(name)}', which is not declared", tags, name,
                         hint=did_you_mean(shown(name), tuple(interpretations)) if interpretations
                         else "declare it under interpretations:")
        reading = f.scalar(tags, name, f"the reading of interpretation '{name}'")
        if reading not in interpretations[name].readings:
            raise f.fail(f"'{shown(reading)}' is not a reading of interpretation '{name}'", tags, name,
                         hint=did_you_mean(reading, tuple(interpretations[name].readings)))
    when = parse(entry["when"], ctx, entry, "when")
    return Rule(
        id=rid, effect=effect, when=when, condition=_dated(when, start, end), source=source,
        quote=" ".join(str(entry["quote"]).split()), evidence=evidence,
        title=str(entry.get("title") or ""), exception_to=f.ids(entry, "exception_to"),
        start=start, end=end, confidence=confidence, note=note,
        inherited_from=str(entry["inherited_from"]) if entry.get("inherited_from") is not None else None,
        interpretation=tuple((str(k), str(v)) for k, v in tags.items()),
        line=getattr(entry, "line", 0),
        paraphrase=entry.get("paraphrase") is True,
    )


def _dated(when: Condition, start: dt.date | None, end: dt.date | None) -> Condition:
    parts = [when]
    if start:
        parts.append(Test("date", "gte", (start,)))
    if end:
        parts.append(Test("date", "lte", (end,)))
    return when if len(parts) == 1 else All(tuple(parts))


def _check_cycles(f: _File, raw: list, rules: list[Rule]) -> None:
    """Refuse exception links that loop back (iterative depth-first search: no recursion limit)."""
    edges: dict[str, list[str]] = {}
    for rule in rules:
        edges.setdefault(rule.id, [])
        edges[rule.id].extend(t for t in rule.exception_to if t not in edges[rule.id])
    state: dict[str, int] = {}
    for root, targets in edges.items():
        if root in state:
            continue
        trail = [root]
        pending = [iter(sorted(targets))]
        state[root] = 1
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[trail.pop()] = 2
                pending.pop()
                continue
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt]
                node = trail[-1]
                entry = raw[next(i for i, r in enumerate(rules) if r.id == node)]
                shown_cycle = cycle if len(cycle) <= 8 else cycle[:4] + ["..."] + cycle[-3:]
                raise f.fail("exception links form a cycle: " + " -> ".join(shown_cycle), entry, "exception_to",
                             hint="an exception cannot (even indirectly) be an exception to itself")
            if state.get(nxt) is None and nxt in edges:
                state[nxt] = 1
                trail.append(nxt)
                pending.append(iter(sorted(edges[nxt])))


def _not_rules(f: _File, raw: Any, sources: Mapping[str, Source], ctx: ParseContext) -> tuple[NotRule, ...]:
    if not isinstance(raw, list):
        raise f.fail("'not_rules' must be a list", raw, hint="not_rules: [{id:, kind:, reason:}]")
    out = []
    for index, entry in enumerate(raw):
        with f.attempt():
            f.keys(entry, NOT_RULE_KEYS, ("id", "kind", "reason"), "a not_rules entry", raw, index)
            nid = f.scalar(entry, "id", "a not_rules id")
            kind = f.scalar(entry, "kind", f"the kind of not_rules entry '{shown(nid)}'")
            if kind not in NOT_RULE_KINDS:
                raise f.fail(f"unknown kind '{shown(kind)}' in not_rules entry '{shown(nid)}'", entry, "kind",
                             hint=did_you_mean(kind, NOT_RULE_KINDS))
            source = _source(f, entry, sources, f"not_rules entry '{shown(nid)}'") if "source" in entry else None
            out.append(NotRule(id=nid, kind=kind, reason=" ".join(str(entry["reason"]).split()),
                               source=source, quote=" ".join(str(entry.get("quote") or "").split()),
                               start=f.date(entry, "from", optional=True),
                               when=parse(entry["when"], ctx, entry, "when") if "when" in entry else None))
    return tuple(out)


def _findings(f: _File, raw: Any, rule_ids: set[str], ctx: ParseContext) -> tuple[AcceptedFinding, ...]:
    """The check findings the file documents as intended: a kind, the provisions or the scenarios, why."""
    if not isinstance(raw, list):
        raise f.fail("'findings' must be a list", raw, hint="write findings: [{kind: gap, when: {...}, note: ...}]")
    out = []
    for index, entry in enumerate(raw):
        f.keys(entry, FINDING_KEYS, ("kind", "note"), "a finding", raw, index)
        kind = str(entry["kind"])
        if kind not in FINDING_KINDS:
            raise f.fail(f"unknown finding kind '{kind}'", entry, "kind", hint=did_you_mean(kind, FINDING_KINDS))
        rules = f.ids(entry, "rules")
        for rule_id in rules:
            if rule_id not in rule_ids:
                raise f.fail(f"finding names unknown rule '{rule_id}'", entry, "rules",
                             hint=did_you_mean(rule_id, tuple(sorted(rule_ids))))
        if kind in ("gap", "conflict") and "when" not in entry:
            raise f.fail(f"a documented {kind} needs a `when` bounding the scenarios it covers", entry, "kind",
                         hint="add when: {...}; an entry without one would document every future "
                              f"{kind} of the file")
        if kind != "gap" and not rules:
            raise f.fail(f"a documented {kind} needs the provisions it is about", entry, "kind",
                         hint="add rules: [ID, ...], every provision the check names for it")
        when = parse(entry["when"], ctx, entry, "when") if "when" in entry else None
        note = " ".join(str(entry["note"]).split())
        if not note:
            raise f.fail("a finding needs a note saying why it is intended", entry, "note")
        out.append(AcceptedFinding(kind, note, rules, when, where_line(entry)))
    return tuple(out)


_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_.\-]+)", re.MULTILINE)


def known_ids(path: str) -> tuple[str, ...]:
    """The ids of the instruments a policy file may name (`replaces`, `supplements`, `inherited_from`):
    the bundled ones and those of the policy files beside it (read from their `id:` lines)."""
    here = Path(path).resolve().parent
    files = {*policy_files(), *here.glob("*.yaml"), *here.glob("*.yml")}
    found = set()
    for file in files:
        try:
            head = file.read_text(encoding="utf-8", errors="replace")[:4096]
        except OSError:
            continue
        match = _ID_LINE.search(head)
        if match:
            found.add(match.group(1))
    return tuple(sorted(found))


def _check_references(f: _File, doc: Mapping[str, Any], own: str) -> None:
    """Every instrument named by `replaces`, `supplements` and a rule's `inherited_from` exists."""
    known: tuple[str, ...] | None = None

    def check(name: Any, node: Any, key: str, index: int | None = None) -> None:
        nonlocal known
        if known is None:
            known = tuple(i for i in known_ids(f.path) if i != own)
        if str(name) not in known:
            raise f.fail(f"'{key}' names unknown instrument '{shown(name)}'", node, key,
                         hint=did_you_mean(str(name), known, "policyengine policies"), index=index)

    for key in ("replaces", "supplements"):
        value = doc.get(key) or []
        for name in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
            with f.attempt():
                check(name, doc, key)
    rules = doc.get("rules")
    for entry in rules if isinstance(rules, list) else []:
        if isinstance(entry, Mapping) and entry.get("inherited_from") is not None:
            with f.attempt():
                check(entry["inherited_from"], entry, "inherited_from")


def where_line(node: Any) -> int:
    """The line a YAML mapping starts on (0 when unknown)."""
    return int(getattr(node, "line", 0) or 0)
