"""The production matcher: rule conditions compiled to a durable_rules ruleset (C extension).

Design: the raw `durable_rules_engine` API only (no Host, no DSL,
no Python actions); one fact per decision on a sid borrowed from a fixed pool; every fired action
drained, then the fact retracted with the exact string asserted; on failure `abandon_action` and
`delete_state` so nothing replays; on `MemoryError` (the 1,024-state limit) a fresh handle. The
matcher only answers "which rules hold?"; `semantics` decides what they mean.
"""

from __future__ import annotations

import contextlib
import json
import queue
import re
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import durable_rules_engine as dre

from .conditions import All, Any_, Condition, Not, Test, negation_normal_form
from .errors import EngineError
from .vocabulary import Value, Vocabulary

OK, NOT_HANDLED = 0, 1
ALWAYS = "_"  # a constant attribute of every fact, so TRUE and FALSE can be written
RESERVED = frozenset({"sid", "id", ALWAYS})
NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
MAX_PRI = 65535


def encode_value(vocab: Vocabulary, field: str, value: Value) -> Any:
    """The JSON value the engine compares: ranks for ordered enums, ordinals for dates."""
    spec = vocab.fields[field]
    if spec.type == "date":
        return value.toordinal()
    if spec.type == "enum" and spec.ordered:
        return spec.rank(value)
    return value


def compile_condition(cond: Condition, vocab: Vocabulary) -> dict:
    """One condition as durable_rules JSON (negations pushed to the leaves)."""
    return _emit(negation_normal_form(cond), vocab)


def _emit(cond: Condition, vocab: Vocabulary) -> dict:
    if isinstance(cond, Test):
        enc = [encode_value(vocab, cond.field, v) for v in cond.values]
        if cond.op == "gte":
            return {"$gte": {cond.field: enc[0]}}
        if cond.op == "lte":
            return {"$lte": {cond.field: enc[0]}}
        if cond.op == "in":
            leaves = [{cond.field: v} for v in enc]
            return leaves[0] if len(leaves) == 1 else {"$or": leaves}
        leaves = [{"$neq": {cond.field: v}} for v in enc]
        return leaves[0] if len(leaves) == 1 else {"$and": leaves}
    if isinstance(cond, Not):  # only an ordered test is left under Not in negation normal form
        inner = cond.part
        assert isinstance(inner, Test) and inner.op in ("gte", "lte")
        op = "$lt" if inner.op == "gte" else "$gt"
        return {op: {inner.field: encode_value(vocab, inner.field, inner.values[0])}}
    assert isinstance(cond, (All, Any_))
    if not cond.parts:
        return {ALWAYS: 1 if isinstance(cond, All) else 0}
    parts = [_emit(p, vocab) for p in cond.parts]
    if len(parts) == 1:
        return parts[0]
    return {"$and" if isinstance(cond, All) else "$or": parts}


def compile_ruleset(conditions: Sequence[tuple[str, Condition]], vocab: Vocabulary) -> dict:
    """The whole ruleset: one single-message rule per (name, condition), priorities in file order."""
    if len(conditions) >= MAX_PRI:
        raise EngineError(f"{len(conditions)} rules exceed the engine's {MAX_PRI - 1} priorities",
                          hint="split the instrument into several files")
    for field in vocab.names:
        if field in RESERVED or field.startswith("$"):
            raise EngineError(f"field name '{field}' is reserved by the engine", where=vocab.path,
                              hint="rename the field in vocabulary.yaml")
    ruleset = {}
    for pri, (name, cond) in enumerate(conditions, start=1):
        if not NAME.match(name) or name in ruleset:
            raise EngineError(f"engine rule name '{name}' is not unique or not of [A-Za-z0-9_.-]",
                              hint="report this: names are generated")
        ruleset[name] = {"all": [{"m": compile_condition(cond, vocab)}], "pri": pri}
    for name, rule in ruleset.items():
        if len(rule["all"]) != 1 or not 1 <= rule["pri"] <= MAX_PRI:
            raise EngineError(f"engine rule '{name}' is not a single-message rule with a priority in 1..65535")
    return ruleset


class FactEncoder:
    """Builds the fact JSON from pre-encoded fragments instead of a generic json.dumps."""

    def __init__(self, vocab: Vocabulary) -> None:
        self._fragments: dict[str, dict[Value, str]] = {}
        self._numeric: dict[str, str] = {}
        for name, spec in vocab.fields.items():
            if spec.domain():
                self._fragments[name] = {
                    v: f"{json.dumps(name)}:{json.dumps(encode_value(vocab, name, v))}" for v in spec.domain()
                }
            else:
                self._numeric[name] = spec.type

    def encode(self, scenario: Mapping[str, Value], sid: str) -> str:
        """The fact for one decision: the scenario, the constant attribute and the sid."""
        parts = []
        fragments = self._fragments
        for name, value in scenario.items():
            table = fragments.get(name)
            if table is not None:
                parts.append(table[value])
            elif self._numeric[name] == "date":
                parts.append(f'"{name}":{value.toordinal()}')
            else:
                parts.append(f'"{name}":{int(value)}')
        parts.append(f'"{ALWAYS}":1,"sid":"{sid}"')
        return "{" + ",".join(parts) + "}"


class DurableMatcher:
    """Which of a set of named conditions hold for a complete scenario, answered by durable_rules."""

    def __init__(self, conditions: Sequence[tuple[str, Condition]], vocab: Vocabulary,
                 pool_size: int = 32) -> None:
        self.ruleset_json = json.dumps(compile_ruleset(conditions, vocab))
        self.pool_size = pool_size
        self._encoder = FactEncoder(vocab)
        self._lock = threading.Lock()
        # box[0] is the live handle; older ones, replaced after a MemoryError, stay until release
        # because a concurrent caller may still be draining on them
        self._box = [dre.create_ruleset("policy", self.ruleset_json)]  # the C layer ignores the name
        self._release = weakref.finalize(self, _release, self._box)
        self._sids: queue.SimpleQueue[str] = queue.SimpleQueue()
        for i in range(pool_size):
            self._sids.put(f"s{i}")

    @property
    def handle(self) -> int:
        """The current ruleset handle (for hygiene checks)."""
        return self._box[0]

    def sids(self) -> list[str]:
        """The pooled state ids."""
        return [f"s{i}" for i in range(self.pool_size)]

    def match(self, scenario: Mapping[str, Value]) -> list[str]:
        """Names of the conditions that hold, in priority order, each once."""
        sid = self._sids.get()
        try:
            handle = self._box[0]
            try:
                return self._match(handle, scenario, sid)
            except MemoryError:
                self._rebuild(handle)
                return self._match(self._box[0], scenario, sid)
        finally:
            self._sids.put(sid)

    def _match(self, handle: int, scenario: Mapping[str, Value], sid: str) -> list[str]:
        fact = self._encoder.encode(scenario, sid)
        code, offset = dre.assert_fact(handle, fact)
        if code == NOT_HANDLED:
            # nothing was stored; never delete_state here: on a sid that has only seen unmatched facts,
            # 2.0.28 crashes in deleteStateNode (found by tests/engine/test_hazards.py)
            return []
        if code != OK:
            dre.delete_state(handle, sid)
            raise EngineError(f"assert_fact returned {code}", hint="a fact was already live in its state")
        fired: list[str] = []
        try:
            got = dre.start_action_for_state(handle, offset)
            message = got[1] if got else None
            while message is not None:
                name = message[2:message.index('"', 2)]  # message == '{"<name>":{"m":{...}}}'
                if name not in fired:
                    fired.append(name)
                message = dre.complete_and_start_action(handle, offset)
            dre.retract_fact(handle, fact)
        except BaseException:
            try:
                dre.abandon_action(handle, offset)
            finally:
                dre.delete_state(handle, sid)
            raise
        return fired

    def _rebuild(self, failed: int) -> None:
        """Replace the handle that hit the 1,024-state limit, once, however many callers saw it."""
        with self._lock:
            if self._box[0] == failed:
                self._box.append(failed)
                self._box[0] = dre.create_ruleset("policy", self.ruleset_json)

    def live_facts(self) -> dict[str, str]:
        """The facts left in each pooled sid (all should be '[]')."""
        out = {}
        for sid in self.sids():
            try:
                out[sid] = dre.get_facts(self._box[0], sid)
            except Exception:  # noqa: BLE001 - a sid never used has no state yet
                out[sid] = "[]"
        return out

    def close(self) -> None:
        """Release the C ruleset now (it is also released when the matcher is garbage-collected)."""
        self._release()


def _release(box: list[int]) -> None:
    for handle in box:
        with contextlib.suppress(Exception):  # a handle already gone needs nothing more
            dre.delete_ruleset(handle)
