"""The durable_rules hazards of durable-rules.md sections 4 and 6, one class per hazard.

Each test drives the production matcher (`policyengine.core.engine.DurableMatcher`, through an
`Evaluator` for the real instruments biden-2022 and trump-2020, or directly for small rulesets) and
compares every answer with the reference evaluator. Evaluators are built fresh per test (not the
registry's shared ones) so that state counts, handles and pools belong to the test alone.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib.metadata
import json
import random
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from typing import Any

import durable_rules_engine as real_dre
import pytest

from policyengine.core import engine
from policyengine import registry
from policyengine.core.conditions import Test as Leaf
from policyengine.core.errors import EngineError, ScenarioError
from policyengine.core.evaluation import Evaluator
from policyengine.core.vocabulary import Field, Vocabulary

VOCAB = registry.vocabulary()
REAL = ("biden-2022", "trump-2020")
FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2030, 12, 31)
STATE_LIMIT = 1024  # C MAX_STATE_INDEX_LENGTH: live sids per ruleset handle
NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

each_real_policy = pytest.mark.parametrize("policy_id", REAL)


# --- helpers -----------------------------------------------------------------------------------

def fresh(policy_id: str, pool_size: int = 32) -> Evaluator:
    """A new evaluator (own matcher, own handle, own pool) for one bundled instrument."""
    return Evaluator(registry.evaluator(policy_id).policy, VOCAB, pool_size=pool_size)


def random_scenario(rng: random.Random) -> dict[str, Any]:
    """A complete, valid scenario with every field drawn at random."""
    out: dict[str, Any] = {}
    for name, spec in VOCAB.fields.items():
        domain = spec.domain()
        if domain:
            out[name] = rng.choice(domain)
        elif spec.type == "integer":
            out[name] = rng.choice((0, 1, 29, 30, 31, 32, 90)) if rng.random() < 0.5 else rng.randint(0, 400)
        else:
            out[name] = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    return VOCAB.repair(out)


def distinct_scenarios(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` pairwise different complete scenarios."""
    rng = random.Random(seed)
    seen: dict[tuple, dict[str, Any]] = {}
    while len(seen) < count:
        scenario = random_scenario(rng)
        seen.setdefault(tuple(scenario.items()), scenario)
    return list(seen.values())


def answer(decision: Any) -> tuple:
    """What must be right: verdict, reason, deciding and applicable rules."""
    return (decision.verdict, decision.reason, tuple(decision.deciding_rules),
            tuple(decision.applicable_rules))


def expected_answers(ev: Evaluator, scenarios: list[dict[str, Any]]) -> list[tuple]:
    """The reference evaluator's answers."""
    return [answer(ev.evaluate(s, matcher="reference")) for s in scenarios]


def wrong_answers(ev: Evaluator, scenarios: list[dict[str, Any]]) -> list[str]:
    """Scenarios where the engine's match set or decision differs from the reference."""
    out = []
    for s in scenarios:
        if ev.match(s, "engine") != ev.match(s, "reference"):
            out.append(f"match differs for {s}")
        elif answer(ev.evaluate(s, matcher="engine")) != answer(ev.evaluate(s, matcher="reference")):
            out.append(f"decision differs for {s}")
    return out


def assert_no_live_facts(ev: Evaluator) -> None:
    """Every pooled sid is empty, seen through the adapter and through the raw API."""
    matcher = ev.matcher
    assert matcher.live_facts() == {sid: "[]" for sid in matcher.sids()}
    for sid in matcher.sids():
        try:
            facts = real_dre.get_facts(matcher.handle, sid)
        except real_dre.error as exc:  # a sid never used (or deleted) has no state: code 309
            assert "309" in str(exc), exc
            continue
        assert facts == "[]", (sid, facts)


def fill_states(handle: int, prefix: str, limit: int = STATE_LIMIT + 1) -> int:
    """Create states with fresh sids (unmatched facts) until MemoryError; the number created."""
    for i in range(limit):
        try:
            real_dre.assert_fact(handle, json.dumps({"activity": "use", "sid": f"{prefix}{i}"}))
        except MemoryError:
            return i
    return limit


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads every 10 microseconds for the duration of the test."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


class Flaky:
    """Stands in for the `durable_rules_engine` module: delegates everything, and makes one call raise
    at a seeded rate (before or after delegating). Records the calls the adapter makes on sids."""

    def __init__(self, target: str, rate: float, after: bool = False, seed: int = 0) -> None:
        self.target, self.rate, self.after = target, rate, after
        self.rng = random.Random(seed)
        self.injected = 0
        self.asserted: dict[str, int] = {}  # sid -> code of its last assert_fact
        self.deleted_after: list[tuple[str, int | None]] = []  # (sid, code of the assert before)

    def __getattr__(self, name: str) -> Any:
        return getattr(real_dre, name)

    def _call(self, name: str, real: Callable[..., Any], *args: Any) -> Any:
        if name != self.target or self.rng.random() >= self.rate:
            return real(*args)
        self.injected += 1
        if self.after:
            real(*args)
        raise InjectedError(name)

    def assert_fact(self, handle: int, fact: str) -> Any:
        result = real_dre.assert_fact(handle, fact)
        self.asserted[json.loads(fact)["sid"]] = result[0]
        return result

    def delete_state(self, handle: int, sid: str) -> Any:
        self.deleted_after.append((sid, self.asserted.get(sid)))
        return real_dre.delete_state(handle, sid)

    def start_action_for_state(self, handle: int, offset: int) -> Any:
        return self._call("start_action_for_state", real_dre.start_action_for_state, handle, offset)

    def complete_and_start_action(self, handle: int, offset: int) -> Any:
        return self._call("complete_and_start_action", real_dre.complete_and_start_action, handle, offset)

    def retract_fact(self, handle: int, fact: str) -> Any:
        return self._call("retract_fact", real_dre.retract_fact, handle, fact)


class InjectedError(RuntimeError):
    """The failure Flaky injects."""


# --- 1. import canary --------------------------------------------------------------------------

class TestImportCanary:
    """The C extension imports on this Python and answers a two-rule policy."""

    def test_pinned_release_is_installed(self) -> None:
        """The installed durable_rules is the pinned 2.0.28."""
        assert importlib.metadata.version("durable_rules") == "2.0.28"

    def test_two_rule_policy_matches(self) -> None:
        """A two-rule ruleset fires both, one or none of its rules, in priority order."""
        matcher = engine.DurableMatcher(
            [("uses", Leaf("activity", "in", ("use",))), ("apl", Leaf("mine", "in", ("anti_personnel",)))],
            VOCAB)
        try:
            assert matcher.match({"activity": "use", "mine": "anti_personnel"}) == ["uses", "apl"]
            assert matcher.match({"activity": "use", "mine": "anti_vehicle"}) == ["uses"]
            assert matcher.match({"activity": "retain", "mine": "anti_personnel"}) == ["apl"]
            assert matcher.match({"activity": "retain", "mine": "anti_vehicle"}) == []
        finally:
            matcher.close()

    @pytest.mark.skipif(sys.version_info < (3, 13),
                        reason="3.13 removed PyEval_CallObject (jruizgit/rules#403)")
    def test_import_fails_on_python_313(self) -> None:
        """On 3.13 the 2.0.28 extension fails to import for want of PyEval_CallObject."""
        probe = subprocess.run([sys.executable, "-c", "import durable_rules_engine"], check=False,
                               capture_output=True, text=True)
        assert probe.returncode != 0 and "PyEval_CallObject" in probe.stderr


# --- 2/3. more than 1,024 evaluations through one ruleset --------------------------------------

class TestMoreThan1024Scenarios:
    """Thousands of distinct facts and short-lived threads never exhaust the 1,024-state limit."""

    @each_real_policy
    def test_5000_distinct_scenarios_then_1500_threads(self, policy_id: str) -> None:
        """5,000 distinct scenarios, then 1,500 one-call threads, on one handle get the reference answers."""
        ev = fresh(policy_id)
        scenarios = distinct_scenarios(5000, seed=11)
        expected = expected_answers(ev, scenarios)
        handle = ev.matcher.handle
        got = [answer(ev.evaluate(s, matcher="engine")) for s in scenarios]
        assert [i for i, (g, e) in enumerate(zip(got, expected)) if g != e] == []
        assert any(not ev.matcher.match(s) for s in scenarios), "the stream should include unmatched facts"

        results: list[Any] = [None] * 1500
        threads = [threading.Thread(target=lambda i=i: results.__setitem__(
            i, answer(ev.evaluate(scenarios[i], matcher="engine")))) for i in range(1500)]
        for wave in range(0, 1500, 100):
            for t in threads[wave:wave + 100]:
                t.start()
            for t in threads[wave:wave + 100]:
                t.join()
        assert [i for i in range(1500) if results[i] != expected[i]] == []
        assert ev.matcher.handle == handle, "a MemoryError made the adapter rebuild the handle"
        assert_no_live_facts(ev)


# --- 4. threads --------------------------------------------------------------------------------

class TestThreads:
    """Concurrent callers on one evaluator each get their own sid: no wrong and no missing answers."""

    @each_real_policy
    @pytest.mark.parametrize("n_threads", [2, 4])
    def test_threads_share_one_evaluator(self, policy_id: str, n_threads: int, fast_switching: None) -> None:
        """n threads x 5,000 decisions with a 10 us switch interval: 0 wrong, 0 undecided, 0 errors."""
        ev = fresh(policy_id)
        scenarios = distinct_scenarios(1000, seed=23)
        expected = expected_answers(ev, scenarios)
        wrong = [0] * n_threads
        undecided = [0] * n_threads
        errors: list[str] = []
        start = threading.Barrier(n_threads)

        def work(k: int) -> None:
            start.wait()
            for j in range(5000):
                i = (k * 337 + j) % len(scenarios)
                try:
                    decision = ev.evaluate(scenarios[i], matcher="engine")
                except Exception as exc:  # noqa: BLE001 - counted, reported below
                    errors.append(repr(exc))
                    continue
                if decision is None or decision.verdict == "conditional":
                    undecided[k] += 1
                elif answer(decision) != expected[i]:
                    wrong[k] += 1

        threads = [threading.Thread(target=work, args=(k,)) for k in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert sum(wrong) == 0
        assert sum(undecided) == 0
        assert_no_live_facts(ev)


# --- 2/13. no fact or state left behind --------------------------------------------------------

class TestNoStateLeftBehind:
    """After matched, unmatched and failed decisions every pooled sid is empty and no sid has leaked."""

    @each_real_policy
    def test_pooled_sids_are_empty_and_no_sid_leaked(self, policy_id: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
        """5,000 decisions (some unmatched, 5% failing) leave '[]' in every sid and room for 1,024 - pool."""
        pool = 8
        ev = fresh(policy_id, pool_size=pool)
        scenarios = distinct_scenarios(5000, seed=5)
        flaky = Flaky("complete_and_start_action", 0.05, seed=3)
        monkeypatch.setattr(engine, "dre", flaky)
        unmatched = 0
        for s in scenarios:
            try:
                unmatched += not ev.matcher.match(s)
            except InjectedError:
                pass
        monkeypatch.setattr(engine, "dre", real_dre)
        assert unmatched > 0 and flaky.injected > 0
        assert_no_live_facts(ev)
        assert wrong_answers(ev, scenarios[:500]) == []
        # last: this exhausts the handle. Only the sids in use hold states (one per thread that
        # decided, so one here), so 1,024 - that many fresh ones fit.
        handle = ev.matcher.handle
        used = len(ev.matcher.sids())
        assert used == 1
        assert fill_states(handle, "fresh", STATE_LIMIT - used) == STATE_LIMIT - used
        assert fill_states(handle, "extra", 1) == 0, "the 1,024-state limit should now be reached"


# --- 6/11. failure path -------------------------------------------------------------------------

class TestFailurePath:
    """An exception mid-decision abandons the action and deletes the sid's state: nothing replays."""

    @each_real_policy
    @pytest.mark.parametrize("target,after", [
        ("complete_and_start_action", False),
        ("complete_and_start_action", True),
        ("start_action_for_state", False),
        ("retract_fact", False),
    ])
    def test_injected_failures_leave_no_wrong_answers(self, policy_id: str, target: str, after: bool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
        """With one pooled sid and ~5% of calls failing, every later answer is right and no fact is left."""
        ev = fresh(policy_id, pool_size=1)
        scenarios = distinct_scenarios(3000, seed=17)
        expected = expected_answers(ev, scenarios)
        flaky = Flaky(target, 0.05, after=after, seed=29)
        monkeypatch.setattr(engine, "dre", flaky)
        wrong = failed = 0
        for s, want in zip(scenarios, expected):
            try:
                got = answer(ev.evaluate(s, matcher="engine"))
            except InjectedError:
                failed += 1
                continue
            wrong += got != want
        assert failed == flaky.injected and failed >= 50
        assert wrong == 0
        monkeypatch.setattr(engine, "dre", real_dre)
        assert_no_live_facts(ev)
        assert wrong_answers(ev, scenarios[:1000]) == []
        assert_no_live_facts(ev)

    @each_real_policy
    def test_delete_state_only_on_a_sid_with_a_matched_fact(self, policy_id: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
        """The adapter calls delete_state only on a sid whose last assert matched (code 0)."""
        # durable_rules 2.0.28 frees an uninitialized pointer when delete_state is called on a sid whose
        # state only ever saw unmatched facts (SIGSEGV or 'free(): invalid pointer' once PyYAML's C
        # extension is loaded, as it is here), so the failure path must never reach such a sid.
        ev = fresh(policy_id, pool_size=1)
        flaky = Flaky("complete_and_start_action", 0.1, seed=31)
        monkeypatch.setattr(engine, "dre", flaky)
        for s in distinct_scenarios(2000, seed=37):
            try:
                ev.matcher.match(s)
            except InjectedError:
                pass
        assert flaky.deleted_after, "no failure reached delete_state"
        assert {code for _, code in flaky.deleted_after} == {engine.OK}


# --- 1 (section 4). MemoryError recovery ---------------------------------------------------------

class TestMemoryErrorRecovery:
    """When foreign sids fill the 1,024-state limit, the adapter rebuilds its handle and still answers."""

    @each_real_policy
    def test_full_handle_is_rebuilt(self, policy_id: str) -> None:
        """After 1,024 foreign states, matching raises no MemoryError, answers right, on a new handle."""
        ev = fresh(policy_id, pool_size=4)
        scenarios = distinct_scenarios(300, seed=41)
        old = ev.matcher.handle
        assert fill_states(old, "foreign") == STATE_LIMIT
        assert wrong_answers(ev, scenarios) == []
        assert ev.matcher.handle != old
        assert_no_live_facts(ev)
        ev.matcher.close()  # releases the new handle and the full one kept for in-flight callers
        for handle in (old, ev.matcher.handle):
            with pytest.raises(real_dre.error):
                real_dre.get_facts(handle, "foreign0")

    @each_real_policy
    def test_used_pooled_sid_keeps_working_at_the_limit(self, policy_id: str) -> None:
        """A pooled sid that already holds a state still answers on the full handle, without a rebuild."""
        ev = fresh(policy_id, pool_size=1)
        scenarios = distinct_scenarios(300, seed=43)
        ev.matcher.match(scenarios[0])  # the only pooled sid now has a state
        old = ev.matcher.handle
        assert fill_states(old, "foreign") == STATE_LIMIT - 1
        assert wrong_answers(ev, scenarios) == []
        assert ev.matcher.handle == old
        assert_no_live_facts(ev)

    @each_real_policy
    def test_first_fresh_pooled_sid_triggers_the_rebuild(self, policy_id: str) -> None:
        """With one thread's sid used before the limit, a second thread's (fresh) sid makes the adapter rebuild."""
        ev = fresh(policy_id, pool_size=4)
        scenarios = distinct_scenarios(300, seed=43)
        ev.matcher.match(scenarios[0])  # this thread's s0 has a state; no other sid has one
        old = ev.matcher.handle
        assert fill_states(old, "foreign") == STATE_LIMIT - 1
        found: list[list[str]] = []
        other = threading.Thread(target=lambda: found.append(wrong_answers(ev, scenarios)))
        other.start()
        other.join()
        assert found == [[]]
        assert wrong_answers(ev, scenarios) == []
        assert ev.matcher.handle != old
        assert_no_live_facts(ev)

    def test_concurrent_callers_survive_a_rebuild(self, fast_switching: None) -> None:
        """4 threads meeting a full handle at once all get right answers, whichever of them rebuilds."""
        base = fresh("biden-2022")
        scenarios = distinct_scenarios(200, seed=47)
        expected = expected_answers(base, scenarios)
        problems: list[str] = []
        for _ in range(6):
            ev = fresh("biden-2022", pool_size=8)
            fill_states(ev.matcher.handle, "foreign")
            start = threading.Barrier(4)

            def work(k: int, ev: Evaluator = ev, start: threading.Barrier = start) -> None:
                start.wait()
                for j in range(100):
                    i = (k * 53 + j) % len(scenarios)
                    try:
                        got = answer(ev.evaluate(scenarios[i], matcher="engine"))
                    except Exception as exc:  # noqa: BLE001 - this is what the test looks for
                        problems.append(repr(exc))
                        continue
                    if got != expected[i]:
                        problems.append(f"wrong answer for {scenarios[i]}")

            threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ev.matcher.close()  # durable_rules keeps a full handle's memory (about 330 MB): few rounds
            if problems:
                break
        assert problems == []


# --- 7. hygiene ---------------------------------------------------------------------------------

def vocab_with(name: str) -> Vocabulary:
    """The bundled vocabulary plus one boolean field called `name`."""
    return Vocabulary(fields={**VOCAB.fields, name: Field(name=name, type="bool", description="test")})


class TestHygiene:
    """Compilation, validation, threads, modules and garbage: the adapter keeps the engine's contract."""

    @pytest.mark.parametrize("name", ["sid", "id", "_", "$s", "$weird"])
    def test_reserved_field_name_is_rejected(self, name: str) -> None:
        """A vocabulary field the engine reserves (sid, id, the constant '_', '$...') fails compilation."""
        with pytest.raises(EngineError, match="reserved"):
            engine.compile_ruleset([("r1", Leaf("activity", "in", ("use",)))], vocab_with(name))

    @pytest.mark.parametrize("name", ["has space", 'quo"te', "", "slash/name", "colon:name", "é", "a,b",
                                      "{x}"])
    def test_rule_name_outside_the_safe_alphabet_is_rejected(self, name: str) -> None:
        """Rule names the adapter could not slice out of the action JSON fail compilation."""
        with pytest.raises(EngineError):
            engine.compile_ruleset([(name, Leaf("activity", "in", ("use",)))], VOCAB)

    def test_duplicate_rule_name_is_rejected(self) -> None:
        """Two rules with one name fail compilation (the second would replace the first)."""
        with pytest.raises(EngineError):
            engine.compile_ruleset([("r1", Leaf("activity", "in", ("use",))),
                                    ("r1", Leaf("mine", "in", ("anti_personnel",)))], VOCAB)

    def test_more_rules_than_priorities_is_rejected(self) -> None:
        """A ruleset needing a priority above 65,535 fails compilation."""
        conds = [(f"r{i}", Leaf("activity", "in", ("use",))) for i in range(engine.MAX_PRI + 1)]
        with pytest.raises(EngineError):
            engine.compile_ruleset(conds, VOCAB)

    @pytest.mark.parametrize("policy_id", list(registry.evaluators()))
    def test_every_generated_rule_is_single_message_with_priority(self, policy_id: str) -> None:
        """Every compiled rule has one element in 'all', a unique pri in 1..65535 and a safe name."""
        rules = json.loads(fresh(policy_id).matcher.ruleset_json)
        assert rules
        for name, rule in rules.items():
            assert NAME.match(name), name
            assert set(rule) == {"all", "pri"}, name
            assert len(rule["all"]) == 1 and set(rule["all"][0]) == {"m"}, name
            assert isinstance(rule["pri"], int) and 1 <= rule["pri"] <= 65535, name
        assert len({r["pri"] for r in rules.values()}) == len(rules)

    @pytest.mark.parametrize("bad", [
        {"self_destruct_days": "abc"}, {"self_destruct_days": True}, {"self_destruct_days": 2.5},
        {"live": 1}, {"activity": 5}, {"activity": "usee"}, {"date": 20210301}, {"authorization": 3},
    ])
    def test_validation_rejects_wrong_types(self, bad: dict) -> None:
        """Values the engine would coerce ('5' == 5, true == 1) are rejected before they reach it."""
        with pytest.raises(ScenarioError):
            VOCAB.validate({"activity": "use", "mine": "anti_personnel", **bad})

    def test_loading_starts_no_threads_and_no_dsl(self) -> None:
        """Loading and using every instrument starts no thread and imports no durable.engine/lang."""
        script = textwrap.dedent("""
            import json, os, sys, threading
            def threads():
                task = "/proc/self/task"
                return (threading.active_count(), len(os.listdir(task)) if os.path.isdir(task) else None)
            before = threads()
            from policyengine import registry
            for ev in registry.evaluators().values():
                ev.matcher
                ev.evaluate({"activity": "use", "mine": "anti_personnel"})
                ev.evaluate(registry.vocabulary().validate({
                    name: spec.domain()[-1] if spec.domain() else 30 if spec.type == "integer"
                    else "2021-03-01"
                    for name, spec in registry.vocabulary().fields.items()}), matcher="engine")
            print(json.dumps({"before": before, "after": threads(),
                              "durable": sorted(m for m in sys.modules if m.split(".")[0] == "durable")}))
        """)
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
        assert run.returncode == 0, run.stderr
        report = json.loads(run.stdout.strip().splitlines()[-1])
        assert report["after"] == report["before"]
        assert "durable.engine" not in report["durable"] and "durable.lang" not in report["durable"]
        assert report["durable"] == []

    @each_real_policy
    def test_no_reference_cycles_after_20000_decisions(self, policy_id: str) -> None:
        """With gc disabled, 20,000 engine decisions leave nothing for gc.collect() to free."""
        ev = fresh(policy_id)
        scenarios = distinct_scenarios(1000, seed=53)
        for s in scenarios:  # warm up: compile, fill the outcome cache
            ev.evaluate(s, matcher="engine")
        gc.collect()
        gc.disable()
        try:
            for i in range(20000):
                ev.evaluate(scenarios[i % len(scenarios)], matcher="engine")
            freed = gc.collect()
        finally:
            gc.enable()
        assert freed == 0

    def test_largest_bundled_policy_compiles(self) -> None:
        """The bundled instrument with the most rules compiles and agrees with the reference."""
        largest = max(registry.evaluators().values(), key=lambda e: len(e.policy.rules))
        ev = fresh(largest.policy.id)
        assert len(json.loads(ev.matcher.ruleset_json)) == len(largest.policy.rules) + 2  # + the scope, the probe
        assert wrong_answers(ev, distinct_scenarios(500, seed=59)) == []

    def test_all_bundled_rules_in_one_ruleset_compile(self) -> None:
        """Every rule of every instrument in one ruleset (headroom over the largest) compiles and matches."""
        named: list[tuple[str, Any]] = []
        owners: list[tuple[Evaluator, int]] = []
        for k, ev in enumerate(registry.evaluators().values()):
            for i, rule in enumerate(ev.policy.rules):
                named.append((f"p{k}.r{i}", rule.condition))
                owners.append((ev, i))
        matcher = engine.DurableMatcher(named, VOCAB)
        try:
            for s in distinct_scenarios(300, seed=61):
                fired = set(matcher.match(s))
                expected = {name for (name, _), (ev, i) in zip(named, owners)
                            if i in ev.match(s, "reference")[0]}
                assert fired == expected, s
        finally:
            matcher.close()

