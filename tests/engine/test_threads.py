"""Threads: 4 threads x 25,000 mixed decisions agree with the reference evaluator, memory stays flat.

Mixed: all ten instruments, complete scenarios through the memo and through the engine on every
call, a few partial scenarios, and every reading of each interpretation now and then. Expected
answers come from the reference evaluator, computed single-threaded first.
"""

from __future__ import annotations

import random
import sys
import threading
from typing import Any

import pytest
from test_hazards import answer, distinct_scenarios

import policyengine as pe
from policyengine import registry

THREADS = 4
DECISIONS = 25_000


def rss_mb() -> float:
    """The resident set size of this process in MB (Linux), or 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@pytest.fixture
def fast_switching() -> Any:
    """Switch threads every 10 microseconds, so that calls interleave as much as they can."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def workload(seed: int) -> list[tuple[str, dict[str, Any], dict[str, str] | None, str, tuple]]:
    """Distinct (instrument, scenario, interpretation, matcher, expected answer) items."""
    rng = random.Random(seed)
    judges = registry.evaluators()
    ids = list(judges)
    items = []
    for n, scenario in enumerate(distinct_scenarios(3000, seed)):
        policy_id = ids[n % len(ids)]
        judge = judges[policy_id]
        if n % 50 == 0:  # partial: the reference decision tree answers, on every path
            scenario = {k: v for k, v in scenario.items() if k in ("activity", "mine", "location")}
        interpretation = None
        if judge.policy.interpretations and rng.random() < 0.2:
            name = rng.choice(list(judge.policy.interpretations))
            interpretation = {name: rng.choice(list(judge.policy.interpretations[name].readings))}
        matcher = "engine" if rng.random() < 0.3 and judge.is_complete(scenario) else "auto"
        expected = answer(judge.evaluate(scenario, interpretation, matcher="reference"))
        items.append((policy_id, scenario, interpretation, matcher, expected))
    return items


def run_threads(items: list, count: int, decisions: int) -> tuple[list[str], list[str]]:
    """`count` threads making `decisions` random decisions of `items` each; (wrong, errors)."""
    wrong: list[str] = []
    errors: list[str] = []
    start = threading.Barrier(count)

    def work(k: int) -> None:
        rng = random.Random(k)
        start.wait()
        for _ in range(decisions):
            policy_id, scenario, interpretation, matcher, expected = items[rng.randrange(len(items))]
            try:
                got = answer(pe.evaluate(scenario, policy_id, interpretation, matcher))
            except Exception as exc:  # noqa: BLE001 - what the test looks for
                errors.append(repr(exc))
                continue
            if got != expected:
                wrong.append(f"{policy_id} {scenario} {interpretation} {matcher}: {got} != {expected}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return wrong, errors


class TestFourThreads:
    """4 threads x 25,000 mixed decisions: 0 wrong, 0 errors; one thread stays within 10 MB of its
    after-load RSS, and each further thread costs one engine state per instrument, once."""

    def test_mixed_decisions_against_the_reference(self, fast_switching: None) -> None:
        """Every decision of every thread equals the reference's; memory stays flat after warm-up."""
        items = workload(seed=211)
        for policy_id, scenario, interpretation, matcher, _ in items:  # load, compile, warm the caches
            pe.evaluate(scenario, policy_id, interpretation, matcher)
        after_load = rss_mb()
        assert run_threads(items, 1, DECISIONS) == ([], [])
        assert rss_mb() - after_load < 10, (after_load, rss_mb())
        assert run_threads(items, THREADS, DECISIONS) == ([], [])
        with_threads = rss_mb()
        assert run_threads(items, THREADS, DECISIONS) == ([], [])  # new threads reuse the ended ones' sids
        assert rss_mb() - with_threads < 2, (with_threads, rss_mb())
        for judge in registry.evaluators().values():
            matcher = judge.matcher
            assert len(matcher.sids()) <= THREADS + 1
            assert matcher.live_facts() == {sid: "[]" for sid in matcher.sids()}


class TestIdleThreadsGiveBackTheirSlot:
    """A slot of an idle thread goes to the next thread once the pool is full; its thread gets another."""

    def test_more_live_threads_than_slots(self) -> None:
        """With 2 slots, 6 live threads deciding one after another all answer right, and the first
        thread, whose slot was taken meanwhile, still answers when it decides again."""
        judge = pe.Evaluator(registry.evaluator("biden-2022").policy, pe.vocabulary(), pool_size=2)
        scenario = judge.vocab.validate({"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction"})
        turn, done, answers = threading.Lock(), threading.Event(), []

        def worker() -> None:
            for _ in range(2):
                with turn:
                    decision = judge.evaluate(scenario, matcher="engine")
                    answers.append((decision.verdict, decision.deciding_rules))
                done.wait()

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for thread in threads:
            thread.start()
        while len(answers) < 6:
            threading.Event().wait(0.01)
        done.set()
        for thread in threads:
            thread.join()
        assert answers == [("permitted", ("B22-2.destruction",))] * 12
        assert len(judge.matcher.sids()) == 2 and set(judge.matcher.live_facts().values()) == {"[]"}
        judge.matcher.close()
