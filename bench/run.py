"""Benchmark: policyengine against the raw durable_rules floor, the reference evaluator and Cedar.

    python bench/run.py            # the full run (a few minutes)
    python bench/run.py --quick    # under two minutes
    python bench/run.py --json     # one JSON object on stdout instead of the report

Everything runs in one process on one seeded workload of complete scenarios over all ten bundled
instruments, in interleaved rounds (each round times every contender once; the median round counts),
so that the machine's load drifts over all contenders alike. The warm workload is timed after a pass
over it; the unseen workload (uniform over each instrument's value classes, never part of the warm
one) is fresh in every round, and times both engines. Cedar (cedarpy) runs the instruments
translated by bench/cedar_translation.py, after a check that it agrees with policyengine on every
scenario of the workload. Import and load are timed in fresh processes; memory is the process RSS.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gc
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import policyengine as pe
from policyengine import registry
from policyengine.core import engines

if engines.durable_missing():
    raise SystemExit(f"error: the benchmark times both engines and the raw durable_rules floor, but "
                     f"{engines.durable_missing()}; install it with {engines.INSTALL}")

import durable_rules_engine as dre  # noqa: E402 - after the check that says how to install it

TARGETS = {"evaluate_vs_cedar": 7.0, "evaluate_vs_floor": 0.7, "p99_us": 10.0, "load_ms": 50.0,
           "rss_growth_mb": 2.0, "p99_unseen_us": 10.0, "evaluate_unseen_vs_floor": 0.8,
           "rss_growth_unseen_mb": 10.0, "python_vs_durable": 0.5}
HIGHER_IS_BETTER = ("evaluate_vs_cedar", "evaluate_vs_floor", "evaluate_unseen_vs_floor", "python_vs_durable")
CLI_VS_PYTHON = 5.0  # cli_version_ms target: at most this many times `python -c pass`
CEDAR_INSTRUMENTS = ("biden-2022", "trump-2020")


def rss_mb() -> float:
    """The resident set size of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def workload(count: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """`count` (instrument id, complete scenario) pairs: every vocabulary field set, dates around
    each instrument's years, integers around the thresholds the instruments test."""
    rng = random.Random(seed)
    vocab = pe.vocabulary()
    ids = list(registry.evaluators())
    out = []
    for n in range(count):
        policy_id = ids[n % len(ids)]
        policy = registry.evaluator(policy_id).policy
        start = policy.in_force_from.toordinal()
        end = (policy.in_force_to or dt.date(2026, 1, 1)).toordinal()
        scenario: dict[str, Any] = {}
        for name, spec in vocab.fields.items():
            domain = spec.domain()
            if domain:
                scenario[name] = rng.choice(domain)
            elif spec.type == "integer":
                scenario[name] = rng.choice((0, 1, 29, 30, 31, 90, 120, 121, 365, rng.randint(0, 400)))
            else:
                scenario[name] = dt.date.fromordinal(rng.randint(start - 400, end + 400))
        # complete scenarios state no contradiction: a persistent mine becomes non-persistent, since it
        # could not carry the self-destruct time every complete scenario gives
        out.append((policy_id, vocab.validate(vocab.repair(scenario))))
    return out


class Unseen:
    """Complete scenarios drawn uniformly over each instrument's value classes: per field a class of
    the instrument (or any value, for a field it does not test), then a value inside it. Scenarios
    of the warm workload are skipped, so none was seen before the timing."""

    def __init__(self, seed: int, seen: Sequence[tuple[str, dict[str, Any]]]) -> None:
        self.rng = random.Random(seed)
        self.vocab = pe.vocabulary()
        self.ids = list(registry.evaluators())
        self.seen = {(pid, tuple(sorted(s.items()))) for pid, s in seen}
        self.choices = {pid: self._choices(pid) for pid in self.ids}

    def _choices(self, policy_id: str) -> dict[str, list[Callable[[random.Random], Any]]]:
        judge = registry.evaluator(policy_id)
        policy = judge.policy
        start = policy.in_force_from.toordinal() - 400
        end = (policy.in_force_to or dt.date(2026, 1, 1)).toordinal() + 400
        out: dict[str, list[Callable[[random.Random], Any]]] = {}
        for name, spec in self.vocab.fields.items():
            classes = judge.classes.get(name)
            if spec.domain():
                groups = [list(c.values) for c in classes] if classes else [[v] for v in spec.domain()]
                out[name] = [lambda r, g=g: r.choice(g) for g in groups]
            elif spec.type == "integer":
                bounds = [(c.low if c.low is not None else 0, c.high if c.high is not None else 400)
                          for c in classes] if classes else [(0, 400)]
                out[name] = [lambda r, lo=lo, hi=hi: r.randint(lo, max(lo, hi)) for lo, hi in bounds]
            else:
                bounds = [(max(start, c.low.toordinal()) if c.low else start,
                           min(end, c.high.toordinal()) if c.high else end) for c in classes] if classes else [(start, end)]
                out[name] = [lambda r, lo=lo, hi=hi: dt.date.fromordinal(r.randint(lo, max(lo, hi)))
                             for lo, hi in bounds]
        return out

    def draw(self, count: int) -> list[tuple[str, dict[str, Any]]]:
        """`count` fresh (instrument id, complete scenario) pairs, the instruments in turn."""
        out: list[tuple[str, dict[str, Any]]] = []
        rng, vocab = self.rng, self.vocab
        while len(out) < count:
            policy_id = self.ids[len(out) % len(self.ids)]
            scenario = {name: rng.choice(options)(rng) for name, options in self.choices[policy_id].items()}
            scenario = vocab.validate(vocab.repair(scenario))
            if (policy_id, tuple(sorted(scenario.items()))) not in self.seen:
                out.append((policy_id, scenario))
        return out


def memo_hit_rates(items: Sequence[tuple[str, dict[str, Any]]], engine: str) -> dict[str, float]:
    """For each instrument, the share of `items` its memo answered without the engine (one pass)."""
    judges = {pid: ev.with_engine(engine) for pid, ev in registry.evaluators().items()}
    before = {pid: j.memo.stored for pid, j in judges.items()}
    counts = collections.Counter(pid for pid, _ in items)
    for policy_id, scenario in items:
        pe.evaluate(scenario, policy_id, engine=engine)
    return {pid: round(1 - (judges[pid].memo.stored - before[pid]) / counts[pid], 4) for pid in judges if counts[pid]}


def cli_ms(runs: int) -> dict[str, float]:
    """Median wall time of `policyengine --version` and of `python -c pass`, each a fresh process."""
    command = str(Path(sys.executable).with_name("policyengine"))
    times: dict[str, list[float]] = {"cli_version_ms": [], "python_pass_ms": []}
    for _ in range(runs):
        for key, argv in (("cli_version_ms", [command, "--version"]), ("python_pass_ms", [sys.executable, "-c", "pass"])):
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            times[key].append((time.perf_counter() - start) * 1000)
    return {key: statistics.median(values) for key, values in times.items()}


def partials(items: Sequence[tuple[str, dict[str, Any]]], seed: int) -> list[tuple[str, dict[str, Any]]]:
    """The same scenarios with activity and mine kept and about half of the other fields dropped."""
    rng = random.Random(seed)
    out = []
    for policy_id, scenario in items:
        kept = {k: v for k, v in scenario.items() if k in ("activity", "mine") or rng.random() < 0.5}
        out.append((policy_id, kept))
    return out


class Floor:
    """The raw durable_rules calls on the project's own rulesets and fact encoding: assert, drain
    every action, retract. No validation, no memo, no decision: what the engine alone costs."""

    def __init__(self, items: Sequence[tuple[str, dict[str, Any]]]) -> None:
        self.handles = {pid: dre.create_ruleset("floor", ev.matcher.ruleset_json)
                        for pid, ev in registry.evaluators().items()}
        self.facts = [(self.handles[pid], registry.evaluator(pid).matcher.encoder.body(s) + ',"sid":"f"}')
                      for pid, s in items]

    def run(self) -> int:
        """Match every fact once; the number of rules fired (so the work cannot be skipped)."""
        fired = 0
        assert_fact, start, complete, retract = (dre.assert_fact, dre.start_action_for_state,
                                                 dre.complete_and_start_action, dre.retract_fact)
        for handle, fact in self.facts:
            code, offset = assert_fact(handle, fact)
            if code == 0:
                got = start(handle, offset)
                message = got[1] if got else None
                names = []
                while message is not None:
                    name = message[2:message.index('"', 2)]
                    if name not in names:
                        names.append(name)
                    message = complete(handle, offset)
                retract(handle, fact)
                fired += len(names)
        return fired

    def close(self) -> None:
        """Release the handles."""
        for handle in self.handles.values():
            dre.delete_ruleset(handle)


def check_cedar(cedar: dict[str, Any], items: Sequence[tuple[str, dict[str, Any]]]) -> int:
    """Compare Cedar and policyengine on every scenario of the Cedar instruments; the count checked."""
    checked = 0
    for policy_id, scenario in items:
        instrument = cedar.get(policy_id)
        if instrument is None:
            continue
        decision = pe.evaluate(scenario, policy_id)
        got = instrument.decision(instrument.authorize(instrument.request(scenario)))
        want = (decision.verdict, decision.reason, tuple(decision.deciding_rules))
        if got != want:
            raise SystemExit(f"Cedar disagrees on {policy_id} {scenario}: Cedar {got}, policyengine {want}")
        checked += 1
    return checked


def timed(run: Callable[[], Any], count: int) -> float:
    """Decisions per second of one call of `run` that makes `count` decisions."""
    start = time.perf_counter()
    run()
    return count / (time.perf_counter() - start)


def latencies(items: Sequence[tuple[str, dict[str, Any]]], matcher: str = "auto",
              engine: str | None = None) -> list[float]:
    """Per-call time of pe.evaluate in microseconds, one call per item."""
    clock, evaluate = time.perf_counter_ns, pe.evaluate
    out = []
    for policy_id, scenario in items:
        start = clock()
        evaluate(scenario, policy_id, matcher=matcher, engine=engine)
        out.append((clock() - start) / 1000)
    return out


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def load_ms(runs: int) -> dict[str, float]:
    """Median import and import+load of the ten instruments, each in a fresh process (bytecode cached):
    with the instruments from the on-disk cache (as every process after the first runs), and without it
    (the first process after an install or an edit of a policy file)."""
    code = ("import time; t0 = time.perf_counter(); import policyengine; t1 = time.perf_counter(); "
            "from policyengine import registry; registry.evaluators(); t2 = time.perf_counter(); "
            "print((t1 - t0) * 1000, (t2 - t0) * 1000)")
    # as installed code runs: with compiled bytecode cached (PYTHONDONTWRITEBYTECODE, if set here,
    # would make every process compile every module again); the first process writes both caches
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "POLICYENGINE_CACHE")}
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    times: dict[str, list[float]] = {"import_ms": [], "load_ms": [], "load_uncached_ms": []}
    for _ in range(runs):
        for key, extra in (("load_ms", {}), ("load_uncached_ms", {"POLICYENGINE_CACHE": "off"})):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 env={**env, **extra}).stdout.split()
            times[key].append(float(out[1]))
            if key == "load_ms":
                times["import_ms"].append(float(out[0]))
    return {key: statistics.median(values) for key, values in times.items()}


def rss_growth_unseen(unseen: Unseen, decisions: int) -> float:
    """RSS growth, in MB, over `decisions` decisions on scenarios drawn fresh (never repeated), in
    batches so the scenarios themselves are not kept; the first batch warms up."""
    batch = 10_000
    for policy_id, scenario in unseen.draw(batch):
        pe.evaluate(scenario, policy_id)
    gc.collect()
    before = rss_mb()
    done = 0
    while done < decisions:
        for policy_id, scenario in unseen.draw(min(batch, decisions - done)):
            pe.evaluate(scenario, policy_id)
        done += batch
    gc.collect()
    return rss_mb() - before


def rss_growth(items: Sequence[tuple[str, dict[str, Any]]], decisions: int) -> dict[str, float]:
    """RSS after load and one warm-up pass, and its growth over `decisions` more decisions."""
    evaluate = pe.evaluate
    for policy_id, scenario in items:
        evaluate(scenario, policy_id)
    gc.collect()
    before = rss_mb()
    done = 0
    while done < decisions:
        for policy_id, scenario in items[: decisions - done]:
            evaluate(scenario, policy_id)
        done += min(len(items), decisions - done)
    gc.collect()
    after = rss_mb()
    return {"rss_before_mb": before, "rss_growth_mb": after - before, "rss_decisions": decisions}


def threaded(items: Sequence[tuple[str, dict[str, Any]]], threads: int) -> float:
    """Total decisions per second of `threads` threads, each deciding every item once."""
    barrier = threading.Barrier(threads + 1)

    def work() -> None:
        barrier.wait()
        for policy_id, scenario in items:
            pe.evaluate(scenario, policy_id)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in pool:
        t.join()
    return threads * len(items) / (time.perf_counter() - start)


def sweeps(sweep: Sequence[dict[str, Any]], rounds: int) -> dict[str, float]:
    """evaluate_many against evaluate one by one on biden-2022, alternating, median microseconds."""
    many, single = [], []
    for _ in range(rounds):
        # each decision dropped as soon as it is made, as in the one-by-one loop (a list of them would
        # add the cyclic collector's passes over everything kept)
        many.append(per_call_us(lambda batch: collections.deque(pe.evaluate_many(batch, "biden-2022"), maxlen=0),
                                [sweep]) / len(sweep))
        single.append(per_call_us(lambda s: pe.evaluate(s, "biden-2022"), sweep))
    return {"evaluate_many_per_decision_us": statistics.median(many),
            "evaluate_one_by_one_per_decision_us": statistics.median(single)}


def per_call_us(run: Callable[[Any], Any], args: Sequence[Any]) -> float:
    """Mean microseconds of `run(arg)` over `args`."""
    start = time.perf_counter()
    for arg in args:
        run(arg)
    return (time.perf_counter() - start) / len(args) * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run, under two minutes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if importlib.util.find_spec("cedarpy") is None:  # the [bench] extra
        print("error: cedarpy is not installed; install the benchmark's peers with: pip install -e '.[bench]'",
              file=sys.stderr)
        return 2
    size, rounds, cedar_size, fresh = (20_000, 5, 4_000, 7) if args.quick else (100_000, 7, 20_000, 11)
    rss_decisions = 1_000_000
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))

    started = time.perf_counter()
    registry.evaluators()
    items = workload(size, args.seed)
    say(f"workload: {len(items):,} complete scenarios over {len(registry.evaluators())} instruments")

    from cedar_translation import CedarInstrument

    cedar = {pid: CedarInstrument(registry.evaluator(pid).policy, pe.vocabulary()) for pid in CEDAR_INSTRUMENTS}
    cedar_items = [it for it in items if it[0] in cedar][:cedar_size]
    agreed = check_cedar(cedar, [it for it in items if it[0] in cedar])
    say(f"Cedar agrees with policyengine on all {agreed:,} scenarios of {', '.join(CEDAR_INSTRUMENTS)}")
    requests = [(cedar[pid], cedar[pid].request(s)) for pid, s in cedar_items]

    floor = Floor(items)
    for policy_id, scenario in items:  # warm-up: compile matchers, fill caches, under both engines
        pe.evaluate(scenario, policy_id)
        pe.evaluate(scenario, policy_id, engine="python")
    unseen = Unseen(args.seed + 7, items)
    fresh_size = min(size, 20_000)  # scenarios per unseen stream (one stream a round)
    first_unseen = unseen.draw(fresh_size)
    hit_rates = memo_hit_rates(first_unseen, "durable")
    say("memo hit rate on unseen scenarios: " + ", ".join(f"{k} {v:.1%}" for k, v in hit_rates.items()))
    streams = [first_unseen] + [unseen.draw(fresh_size) for _ in range(rounds - 1)]  # a fresh stream per round
    stream = [first_unseen]
    unseen_floor = [Floor(s) for s in streams]

    def run_unseen(engine: str) -> None:
        evaluate = pe.evaluate
        for policy_id, scenario in stream[0]:
            evaluate(scenario, policy_id, engine=engine)

    def run_evaluate(batch: Sequence[tuple[str, dict]] = items) -> None:
        evaluate = pe.evaluate
        for policy_id, scenario in batch:
            evaluate(scenario, policy_id)

    def run_engine() -> None:
        evaluate = pe.evaluate
        for policy_id, scenario in items:
            evaluate(scenario, policy_id, matcher="engine")

    def run_reference() -> None:
        evaluate = pe.evaluate
        for policy_id, scenario in items[: size // 4]:
            evaluate(scenario, policy_id, matcher="reference")

    def run_cedar() -> None:
        for instrument, request in requests:
            instrument.authorize(request)

    contenders: dict[str, tuple[Callable[[], Any], int]] = {
        "evaluate": (run_evaluate, len(items)),
        "evaluate_cedar_instruments": (lambda: run_evaluate(cedar_items), len(cedar_items)),
        "evaluate_engine_every_call": (run_engine, len(items)),
        "floor": (floor.run, len(items)),
        "evaluate_unseen": (lambda: run_unseen("durable"), fresh_size),
        "evaluate_unseen_python": (lambda: run_unseen("python"), fresh_size),
        "floor_unseen": (lambda: unseen_floor[streams.index(stream[0])].run(), fresh_size),
        "reference": (run_reference, size // 4),
        "cedar": (run_cedar, len(requests)),
    }
    results: dict[str, list[float]] = {name: [] for name in contenders}
    for number in range(rounds):
        stream[0] = streams[number]  # never seen before this round by either engine
        for name, (run, count) in contenders.items():
            results[name].append(timed(run, count))
        say(f"round {number + 1}/{rounds}: " + ", ".join(f"{k} {v[-1]:,.0f}/s" for k, v in results.items()))
    rate = {name: statistics.median(values) for name, values in results.items()}
    floor.close()
    for each in unseen_floor:
        each.close()

    lat = latencies(items)
    lat_engine = latencies(items[: size // 4], "engine")
    lat_unseen = latencies(unseen.draw(fresh_size))
    lat_unseen_python = latencies(unseen.draw(fresh_size // 2), engine="python")
    part = partials(items[:2000], args.seed + 1)
    vocab_date = dt.date(2023, 1, 1)
    sample = items[:200]
    sweep = [s for p, s in items if p == "biden-2022"]
    extras = {
        "partial_evaluate_us": per_call_us(lambda it: pe.evaluate(it[1], it[0]), part),
        "explain_us": per_call_us(lambda it: pe.explain(pe.evaluate(it[1], it[0]), level="standard"), sample[:100]),
        "evaluate_on_us": per_call_us(lambda it: pe.evaluate_on(it[1], vocab_date), sample),
        "across_us": per_call_us(lambda it: pe.across(it[1]), sample[:20]),
        **sweeps(sweep, rounds),
    }
    one_thread = threaded(items[: size // 4], 1)
    four_threads = threaded(items[: size // 4], 4)
    memory = rss_growth(items, rss_decisions)
    say("RSS over 1M fresh decisions ...")
    memory_unseen = rss_growth_unseen(unseen, rss_decisions)
    loading = load_ms(fresh)
    cli = cli_ms(fresh)

    report = {
        "evaluate_vs_cedar": rate["evaluate_cedar_instruments"] / rate["cedar"],
        "evaluate_vs_floor": rate["evaluate"] / rate["floor"],
        "evaluate_engine_every_call_vs_floor": rate["evaluate_engine_every_call"] / rate["floor"],
        "reference_vs_evaluate": rate["reference"] / rate["evaluate"],
        "p50_us": percentile(lat, 50),
        "p99_us": percentile(lat, 99),
        "python_vs_durable": rate["evaluate_unseen_python"] / rate["evaluate_unseen"],
        "p50_unseen_us": percentile(lat_unseen, 50),
        "p99_unseen_us": percentile(lat_unseen, 99),
        "p99_unseen_python_us": percentile(lat_unseen_python, 99),
        "evaluate_unseen_vs_floor": rate["evaluate_unseen"] / rate["floor_unseen"],
        "rss_growth_unseen_mb": memory_unseen,
        "memo_hit_rate_min": min(hit_rates.values()),
        "memo_hit_rate": hit_rates,
        "cli_version_ms": cli["cli_version_ms"],
        "python_pass_ms": cli["python_pass_ms"],
        "engine": str(pe.engine()),
        "p50_engine_every_call_us": percentile(lat_engine, 50),
        "p99_engine_every_call_us": percentile(lat_engine, 99),
        "load_ms": loading["load_ms"],
        "import_ms": loading["import_ms"],
        "load_uncached_ms": loading["load_uncached_ms"],
        "rss_growth_mb": memory["rss_growth_mb"],
        "rss_before_mb": memory["rss_before_mb"],
        "rss_decisions": memory["rss_decisions"],
        "decisions_per_second": {k: round(v) for k, v in rate.items()},
        "threads_1_per_second": round(one_thread),
        "threads_4_per_second": round(four_threads),
        **{k: round(v, 2) for k, v in extras.items()},
        "cedar_instruments": list(CEDAR_INSTRUMENTS),
        "cedar_agreement_checked": agreed,
        "workload": {"scenarios": len(items), "seed": args.seed, "rounds": rounds, "quick": args.quick},
        "machine": {"python": sys.version.split()[0], "cpus": os.cpu_count()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    report["targets"] = {key: {"target": target, "value": round(report[key], 2),
                               "reached": report[key] >= target if key in HIGHER_IS_BETTER
                               else report[key] <= target}
                         for key, target in TARGETS.items()}
    cli_target = round(CLI_VS_PYTHON * report["python_pass_ms"], 2)
    report["targets"]["cli_version_ms"] = {"target": cli_target, "value": round(report["cli_version_ms"], 2),
                                           "reached": report["cli_version_ms"] <= cli_target}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"\npolicyengine benchmark ({'quick' if args.quick else 'full'}, {report['seconds']} s)")
    for name, value in report["decisions_per_second"].items():
        print(f"  {name:32} {value:>12,} decisions/s")
    print(f"  {'1 thread / 4 threads':32} {report['threads_1_per_second']:>12,} / {report['threads_4_per_second']:,}")
    for key in ("p50_us", "p99_us", "p50_unseen_us", "p99_unseen_us", "p99_unseen_python_us", "python_vs_durable",
                "evaluate_unseen_vs_floor", "memo_hit_rate_min", "rss_growth_unseen_mb", "cli_version_ms",
                "python_pass_ms", "p50_engine_every_call_us", "p99_engine_every_call_us", "partial_evaluate_us", "explain_us", "evaluate_on_us", "across_us",
                "evaluate_many_per_decision_us", "evaluate_one_by_one_per_decision_us", "import_ms", "load_ms",
                "load_uncached_ms",
                "rss_before_mb", "rss_growth_mb"):
        print(f"  {key:32} {report[key]:>12.2f}")
    print("targets:")
    for key, info in report["targets"].items():
        mark = "reached" if info["reached"] else "NOT reached"
        print(f"  {key:32} {info['value']:>12} (target {info['target']}) {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
