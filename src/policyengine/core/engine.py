"""The production matcher: rule conditions compiled to a durable_rules ruleset (C extension).

The raw `durable_rules_engine` API only (no Host, no DSL, no Python actions); one fact per decision,
carrying only the fields the rules test, on the calling thread's own state id (sid); every fired
action drained, then the fact retracted with the exact string asserted. A decision interrupted at
any point leaves its sid marked dirty, and the thread's next call empties it (`abandon_action`,
`delete_state`, a probe fact to learn the state's offset again), so nothing replays; on
`MemoryError` (the 1,024-state limit) a fresh handle. The matcher only answers "which rules
hold?"; `semantics` decides what they mean, and `limits` checks at load that the engine can run
the ruleset at all.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
import signal
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import durable_rules_engine as dre

from .conditions import All, Any_, Condition, Not, Test, fields_of, negation_normal_form, tests_of
from .errors import EngineError
from .vocabulary import Value, Vocabulary

OK, NOT_HANDLED = 0, 1
ALWAYS = "_"  # a constant attribute of every fact, so TRUE and FALSE can be written
PROBE = "_probe"  # a rule and attribute of the engine's own, to learn a state's offset
PROBE_RULE = {"all": [{"m": {PROBE: 1}}], "pri": 65535}
RESERVED = frozenset({"sid", "id", ALWAYS, PROBE})
SCOPE_NAME = "s"  # the engine name of a policy's scope condition
NAME = re.compile(r"[A-Za-z0-9_.-]+")  # used with fullmatch
MAX_PRI = 65535
MAX_POOL_SIZE = 1000  # state ids per ruleset; the engine holds 1,024 (MAX_STATE_INDEX_LENGTH)
STATE_BUDGET = 1000  # sids minted on one handle before it is replaced (the engine holds 1,024)


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
            if vocab.fields[cond.field].type in ("integer", "date"):
                return _joined("$or", _ranges(cond.field, enc))
            return _joined("$or", [{cond.field: v} for v in enc])
        return _joined("$and", [{"$neq": {cond.field: v}} for v in enc])
    if isinstance(cond, Not):  # only an ordered test is left under Not in negation normal form
        inner = cond.part
        assert isinstance(inner, Test) and inner.op in ("gte", "lte")
        op = "$lt" if inner.op == "gte" else "$gt"
        return {op: {inner.field: encode_value(vocab, inner.field, inner.values[0])}}
    assert isinstance(cond, (All, Any_))
    if not cond.parts:
        return {ALWAYS: 1 if isinstance(cond, All) else 0}
    return _joined("$and" if isinstance(cond, All) else "$or", [_emit(p, vocab) for p in cond.parts])


def _joined(op: str, parts: list[dict]) -> dict:
    """`{op: parts}` with nested groups of the same op spliced in (fewer and/or groups for the engine)."""
    flat: list[dict] = []
    for part in parts:
        flat.extend(part[op] if len(part) == 1 and op in part else [part])
    return flat[0] if len(flat) == 1 else {op: flat}


def _ranges(field: str, values: list[int]) -> list[dict]:
    """Equality tests for a list of whole numbers, with each run of three or more written as a range."""
    out: list[dict] = []
    ordered = sorted(set(values))
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start >= 2:
            out.append({"$and": [{"$gte": {field: ordered[start]}}, {"$lte": {field: ordered[end]}}]})
        else:
            out.extend({field: v} for v in ordered[start:end + 1])
        start = end + 1
    return out


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
        if not NAME.fullmatch(name) or name in ruleset:
            raise EngineError(f"engine rule name '{name}' is not unique or not of [A-Za-z0-9_.-]",
                              hint="report this: names are generated")
        ruleset[name] = {"all": [{"m": compile_condition(cond, vocab)}], "pri": pri}
    for name, rule in ruleset.items():
        if len(rule["all"]) != 1 or not 1 <= rule["pri"] <= MAX_PRI:
            raise EngineError(f"engine rule '{name}' is not a single-message rule with a priority in 1..65535")
    return ruleset


class FactEncoder:
    """Builds the fact JSON from pre-encoded fragments, for the fields the rules test only.

    Integer and date values are replaced by a representative of their class (the values no test of
    the instrument can tell apart), so the fact text doubles as the key of the match memo."""

    def __init__(self, vocab: Vocabulary, fields: frozenset[str] | None = None,
                 conditions: Sequence[Condition] = ()) -> None:
        self._plan: list[tuple[str, dict[Value, str] | None, str, list[int]]] = []
        bounds = _boundaries(vocab, conditions)
        for name, spec in vocab.fields.items():
            if fields is not None and name not in fields:
                continue
            if spec.domain():
                table = {v: f"{json.dumps(name)}:{json.dumps(encode_value(vocab, name, v))}" for v in spec.domain()}
                self._plan.append((name, table, spec.type, []))
            else:
                self._plan.append((name, None, spec.type, bounds.get(name, [])))

    def body(self, scenario: Mapping[str, Value]) -> str:
        """The fact without its sid: `{"field":value,...,"_":1` (no closing brace)."""
        parts = ["{"]
        for name, table, kind, bounds in self._plan:
            value = scenario.get(name, _MISSING)
            if value is _MISSING:
                continue
            if table is not None:
                parts.append(table[value])
                parts.append(",")
                continue
            number = value.toordinal() if kind == "date" else int(value)
            if bounds:
                at = bisect.bisect_right(bounds, number)
                number = bounds[at - 1] if at else bounds[0] - 1
            parts.append(f'"{name}":{number},')
        parts.append(f'"{ALWAYS}":1')
        return "".join(parts)

    def encode(self, scenario: Mapping[str, Value], sid: str) -> str:
        """The fact for one decision: the tested fields, the constant attribute and the sid."""
        return f'{self.body(scenario)},"sid":"{sid}"}}'


_MISSING = object()


def _boundaries(vocab: Vocabulary, conditions: Sequence[Condition]) -> dict[str, list[int]]:
    """For each integer or date field, the sorted encoded values at which some test's truth changes."""
    found: dict[str, set[int]] = {}
    for cond in conditions:
        for test in tests_of(cond):
            spec = vocab.fields[test.field]
            if spec.domain():
                continue
            encoded = [encode_value(vocab, test.field, v) for v in test.values]
            points = found.setdefault(test.field, set())
            for value in encoded:
                if test.op == "gte":
                    points.add(value)
                elif test.op == "lte":
                    points.add(value + 1)
                else:
                    points.update((value, value + 1))
    return {name: sorted(points) for name, points in found.items()}


class _Lease:
    """One thread's state id on one matcher, and what it knows about that id's C state."""

    __slots__ = ("fact", "handle", "offset", "owner", "sid")

    def __init__(self, sid: str) -> None:
        self.sid = sid
        self.handle: int | None = None  # the handle `offset` belongs to
        self.offset: int | None = None  # the state's offset there, learned by a probe fact
        self.fact: str | None = None  # set from before assert_fact until after retract_fact
        self.owner: Any = None  # a weak reference to the thread holding the lease


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold off asynchronous signals (Ctrl-C, timers) in the main thread for a few C calls; a
    signal that arrives meanwhile is handled right after. Used on the rare slow paths only."""
    if threading.get_ident() != _MAIN or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = None
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _ASYNC_SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old) if old is not None else signal.pthread_sigmask(
            signal.SIG_UNBLOCK, _ASYNC_SIGNALS)


_MAIN = threading.main_thread().ident
_ASYNC_SIGNALS = frozenset(getattr(signal, name) for name in (
    "SIGINT", "SIGTERM", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
    if hasattr(signal, name))


class DurableMatcher:
    """Which of a set of named conditions hold for a complete scenario, answered by durable_rules.

    Each thread uses its own state id (sid), so memory stays at one C state per thread and no call
    ever waits for another. Before a sid is used, a probe fact teaches the matcher its state offset.
    A decision marks its sid dirty before asserting and clean after retracting; if it is interrupted
    anywhere in between (KeyboardInterrupt, a signal-based timeout, any exception), the thread's next
    call empties the sid (abandon the action, delete the state, probe again), so no fact is left
    behind, no sid is lost and no later answer is wrong."""

    def __init__(self, conditions: Sequence[tuple[str, Condition]], vocab: Vocabulary,
                 pool_size: int = MAX_POOL_SIZE, fields: frozenset[str] | None = None) -> None:
        check_pool_size(pool_size)
        ruleset = compile_ruleset(conditions, vocab)
        ruleset[PROBE] = PROBE_RULE
        self.ruleset_json = json.dumps(ruleset)
        self.pool_size = pool_size
        if fields is None:
            fields = frozenset().union(*(fields_of(c) for _, c in conditions))
        self.fields = fields
        self._encoder = FactEncoder(vocab, fields, [c for _, c in conditions])
        self._lock = threading.RLock()
        self._local = threading.local()
        self._leases: list[_Lease] = []
        self._minted = 0
        self._states = 0  # sids minted on the live handle (the engine holds 1,024 per handle)
        # box[0] is the live handle; older ones, replaced after a MemoryError, stay until release
        # because a concurrent caller may still be draining on them
        self._box = [_create(self.ruleset_json)]
        self._release = weakref.finalize(self, _release, self._box)

    @property
    def handle(self) -> int:
        """The current ruleset handle (for hygiene checks)."""
        return self._box[0]

    @property
    def encoder(self) -> FactEncoder:
        """The fact encoder (its `body` is the memo key of a scenario)."""
        return self._encoder

    def sids(self) -> list[str]:
        """The state ids in use by some thread or free for the next one."""
        return [lease.sid for lease in self._leases]

    def match(self, scenario: Mapping[str, Value]) -> list[str]:
        """Names of the conditions that hold, in priority order, each once."""
        return self.match_body(self._encoder.body(scenario))

    def match_body(self, body: str) -> list[str]:
        """`match` for a fact body made by `encoder.body`."""
        lease = getattr(self._local, "lease", None)
        handle = self._box[0]
        try:
            if lease is None or lease.fact is not None or lease.offset is None or lease.handle != handle:
                lease = self._lease(lease)
                handle = lease.handle
            return self._match(handle, body, lease)
        except MemoryError:  # the handle holds 1,024 states (some not ours): move to a fresh one
            self._rebuild(handle)
            lease = self._lease(getattr(self._local, "lease", None))
            return self._match(lease.handle, body, lease)

    def _match(self, handle: int, body: str, lease: _Lease) -> list[str]:
        sid = lease.sid
        fact = f'{body},"sid":"{sid}"}}'
        lease.fact = fact  # dirty from here until the fact is retracted
        code, offset = dre.assert_fact(handle, fact)
        if code == NOT_HANDLED:
            # nothing was stored; never delete_state here: on a sid that has only seen unmatched facts,
            # 2.0.28 crashes in deleteStateNode (found by tests/engine/test_hazards.py)
            lease.fact = None
            return []
        if code != OK:
            self._clear(lease)
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
            self._clear(lease)
            raise
        lease.fact = None
        return fired

    def _lease(self, lease: _Lease | None) -> _Lease:
        """This thread's lease, emptied if a call was interrupted and probed on the live handle;
        taken from a thread that ended, or minted, on first use."""
        with self._lock:
            if lease is None:
                lease = self._claim()
            if lease.fact is not None:
                self._clear(lease)
            if lease.handle != self._box[0] or lease.offset is None:
                self._probe(lease)
            self._local.lease = lease
            return lease

    def _claim(self) -> _Lease:
        me = threading.current_thread()
        found = None
        for candidate in self._leases:  # one this thread claimed before an interrupt, else a free one
            holder = candidate.owner() if candidate.owner is not None else None
            if holder is me:
                found = candidate
                break
            if found is None and (holder is None or not holder.is_alive()):
                found = candidate
        if found is None:
            if len(self._leases) >= self.pool_size:
                raise EngineError(f"more than {self.pool_size} threads use one policy at once",
                                  hint="raise pool_size (at most 1000) or use fewer threads")
            found = _Lease(self._mint())
            self._leases.append(found)
        found.owner = weakref.ref(me)
        return found

    def _mint(self) -> str:
        self._minted += 1
        self._states += 1
        return f"s{self._minted - 1}"

    def _probe(self, lease: _Lease) -> None:
        """Learn the lease's state offset on the live handle with a probe fact that always matches."""
        if self._states >= STATE_BUDGET:
            self._rebuild(self._box[0])
        handle = self._box[0]
        fact = f'{{"{PROBE}":1,"sid":"{lease.sid}"}}'
        with _signals_held():
            lease.handle, lease.offset, lease.fact = handle, None, fact
            code, offset = dre.assert_fact(handle, fact)
            if code != OK:
                raise EngineError(f"the probe fact was refused (code {code})", hint="report this")
            lease.offset = offset
            got = dre.start_action_for_state(handle, offset)
            while got is not None:
                got = dre.complete_and_start_action(handle, offset)
            dre.retract_fact(handle, fact)
            lease.fact = None

    def _clear(self, lease: _Lease) -> None:
        """Empty the lease's state: nothing to do if it holds no fact; else abandon the action and
        delete the state when its offset is known, or move the lease to a fresh sid when not. The
        next use probes the state again."""
        handle = lease.handle if lease.handle is not None else self._box[0]
        with _signals_held():
            try:
                facts = dre.get_facts(handle, lease.sid)
            except Exception:  # noqa: BLE001 - no state for this sid yet: nothing was stored
                facts = "[]"
            if facts != "[]":
                if lease.offset is not None:
                    with contextlib.suppress(Exception):
                        dre.abandon_action(handle, lease.offset)
                    with contextlib.suppress(Exception):
                        dre.delete_state(handle, lease.sid)
                else:  # interrupted before the state's offset was known: leave that sid behind
                    lease.sid = self._mint()
            lease.offset = None
            lease.fact = None

    def _rebuild(self, failed: int) -> None:
        """Replace a handle that hit (or nears) the 1,024-state limit, once, however many callers saw it."""
        with self._lock, _signals_held():
            if self._box[0] == failed:
                fresh = _create(self.ruleset_json)
                self._box.append(failed)
                self._box[0] = fresh
                self._states = len(self._leases)

    def live_facts(self) -> dict[str, str]:
        """The facts left in each known sid (all should be '[]')."""
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


def check_pool_size(pool_size: Any) -> None:
    """Refuse a pool size the engine cannot serve: not a whole number from 1 to MAX_POOL_SIZE."""
    if isinstance(pool_size, bool) or not isinstance(pool_size, int) or not 1 <= pool_size <= MAX_POOL_SIZE:
        raise EngineError(f"pool_size must be a whole number from 1 to {MAX_POOL_SIZE}, not {pool_size!r}",
                          where="pool_size",
                          hint="it bounds the threads deciding at once; each state id costs engine memory, "
                               "and the engine holds at most 1,024")


def _create(ruleset_json: str) -> int:
    try:
        return dre.create_ruleset("policy", ruleset_json)  # the C layer ignores the name
    except dre.error as exc:
        raise EngineError(f"the engine refused the ruleset ({exc})",
                          hint="report this: the limits checked at load should have caught it") from None


def _release(box: list[int]) -> None:
    for handle in box:
        with contextlib.suppress(Exception):  # a handle already gone needs nothing more
            dre.delete_ruleset(handle)


def engine_conditions(policy: Any) -> list[tuple[str, Condition]]:
    """The named conditions a policy's matcher compiles: its scope, then each rule (every version)."""
    return [(SCOPE_NAME, policy.scope)] + [(f"r{i}", r.condition) for i, r in enumerate(policy.rules)]
