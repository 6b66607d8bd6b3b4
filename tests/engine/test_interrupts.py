"""Interrupt safety: a decision interrupted at any point leaves no fact behind and loses no sid.

A KeyboardInterrupt or a signal-based timeout can arrive between any two bytecodes, including just
after `assert_fact` returned. The matcher marks its sid dirty before asserting and clean after
retracting, and the thread's next call clears a dirty sid; these tests interrupt at every line of
the matcher, just after every C call returns, and at random times from a timer signal, on a
one-sid pool (where a lost sid would make the next call block forever).
"""

from __future__ import annotations

import faulthandler
import itertools
import random
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from test_hazards import answer, assert_no_live_facts, distinct_scenarios, expected_answers, fresh

from policyengine.core import engine

real_dre = pytest.importorskip("durable_rules_engine", reason=(
    "tests of durable_rules itself; the python engine answers where it is missing"))


class Interrupt(BaseException):
    """Stands for KeyboardInterrupt (a BaseException, as it is), so that pytest is not stopped."""


@pytest.fixture
def watchdog() -> Iterator[None]:
    """Fail the run loudly instead of hanging if some call blocks."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def interrupt_at_line(step: int) -> Any:
    """A trace function raising Interrupt at the `step`-th line executed in engine.py."""
    count = [0]

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            count[0] += 1
            if count[0] == step:
                raise Interrupt
        return local

    def outer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == engine.__file__ else None

    return outer


class AfterCall:
    """Stands in for the C module: the `nth` call of `name` completes, then Interrupt is raised."""

    def __init__(self, name: str, nth: int) -> None:
        self.name, self.nth, self.seen, self.fired = name, nth, 0, False

    def __getattr__(self, attr: str) -> Any:
        real = getattr(real_dre, attr)
        if attr != self.name:
            return real

        def call(*args: Any) -> Any:
            result = real(*args)
            self.seen += 1
            if self.seen == self.nth:
                self.fired = True
                raise Interrupt
            return result

        return call


@pytest.mark.slow
class TestInterruptAtEveryStep:
    """Interrupting each step of one decision leaves later decisions right and every sid empty."""

    @pytest.mark.parametrize("matcher", ["engine", "auto"])
    def test_every_line_of_the_matcher(self, matcher: str, watchdog: None) -> None:
        """An interrupt at the 1st, 2nd, ... line the matcher executes, until a decision runs through."""
        ev = fresh("biden-2022", pool_size=1)
        scenarios = distinct_scenarios(40, seed=101)
        expected = expected_answers(ev, scenarios)
        interrupted = 0
        for step in range(1, 400):
            index = step % len(scenarios)
            ev.memo.clear()
            sys.settrace(interrupt_at_line(step))
            try:
                decision = ev.evaluate(scenarios[index], matcher=matcher)
            except Interrupt:
                interrupted += 1
                decision = None
            finally:
                sys.settrace(None)
            if decision is None:
                for k in (index, (index + 7) % len(scenarios)):
                    assert answer(ev.evaluate(scenarios[k], matcher="engine")) == expected[k], (step, k)
                continue
            assert answer(decision) == expected[index]
            break
        else:
            pytest.fail("a decision never completed")
        assert interrupted > 10
        ev.evaluate(scenarios[0], matcher="engine")
        assert_no_live_facts(ev)

    @pytest.mark.parametrize("name", ["assert_fact", "start_action_for_state", "complete_and_start_action",
                                      "retract_fact"])
    def test_just_after_each_engine_call(self, name: str, monkeypatch: pytest.MonkeyPatch,
                                         watchdog: None) -> None:
        """An interrupt just after a C call returned (the fact live, an action leased, or retracted)."""
        ev = fresh("biden-2022", pool_size=1)
        scenarios = distinct_scenarios(300, seed=103)
        expected = expected_answers(ev, scenarios)
        fired = 0
        for nth in (1, 2, 3, 5, 8):
            stub = AfterCall(name, nth)
            monkeypatch.setattr(engine, "dre", stub)
            for k, scenario in enumerate(scenarios[:30]):
                try:
                    assert answer(ev.evaluate(scenario, matcher="engine")) == expected[k]
                except Interrupt:
                    pass
            fired += stub.fired
            monkeypatch.setattr(engine, "dre", real_dre)
            assert [answer(ev.evaluate(s, matcher="engine")) for s in scenarios] == expected
        assert fired == 5
        assert_no_live_facts(ev)


@pytest.mark.slow
class TestRandomInterrupts:
    """10,000 decisions under timer interrupts at random points: 0 wrong, and no call blocks."""

    @pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")
    def test_ten_thousand_decisions(self, watchdog: None) -> None:
        """Each decision arms a timer at a random point; every completed decision is right, every other
        one ended by the interrupt and nothing else, however fast the machine is."""
        assert threading.current_thread() is threading.main_thread()
        ev = fresh("biden-2022", pool_size=1)
        scenarios = distinct_scenarios(500, seed=107)
        expected = expected_answers(ev, scenarios)
        for scenario in scenarios:  # fill the lazily built caches, so that decisions take microseconds
            for matcher in ("engine", "auto"):
                ev.evaluate(scenario, matcher=matcher)
        rng = random.Random(109)

        armed = False  # a timer that fires after its decision ended (it lands a few bytecodes late) is ignored

        def handler(signum: int, frame: FrameType | None) -> None:
            if armed:
                raise Interrupt

        previous = signal.signal(signal.SIGALRM, handler)
        completed = interrupted = 0
        wrong: list[int] = []
        # The timer's range follows the machine: longer after an interrupt, shorter after a decision that
        # completed, so that about half of the decisions are interrupted on a fast machine or a busy one.
        longest = 40e-6
        try:
            for n in itertools.count():
                if n >= 10_000 and min(completed, interrupted) >= 100:
                    break
                assert n < 100_000, f"{interrupted} interrupted, {completed} completed of {n}"
                index = rng.randrange(len(scenarios))
                matcher = "engine" if n % 4 else "auto"
                got = None
                try:
                    try:
                        armed = True
                        signal.setitimer(signal.ITIMER_REAL, rng.uniform(1e-6, longest))
                        got = answer(ev.evaluate(scenarios[index], matcher=matcher))
                    finally:
                        armed = False
                except Interrupt:  # only the interrupt: any other exception fails the test
                    got = None
                signal.setitimer(signal.ITIMER_REAL, 0)
                if got is None:
                    interrupted += 1
                    longest = min(longest * 1.05, 0.1)
                    continue
                completed += 1
                longest = max(longest / 1.05, 2e-6)
                if got != expected[index]:
                    wrong.append(index)
        finally:
            armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        assert wrong == []
        assert completed + interrupted == n
        assert [answer(ev.evaluate(s, matcher="engine")) for s in scenarios] == expected
        assert_no_live_facts(ev)
