"""Engine limits are checked at load, before any decision, and every reproducer ends cleanly.

The limits come from durable_rules' fixed-size C tables; the checker models the alpha network the
engine will build (limits._Network). These tests probe the engine itself at each limit: what the
checker accepts runs and answers right, and one step past it the raw engine fails (error codes 107,
108, 113 and 303) or spins (the full child table), which is why the checker refuses it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import durable_rules_engine as dre
import pytest

import policyengine as pe
from policyengine.cli import app as cli
from policyengine.core import limits
from policyengine import registry
from policyengine.core.errors import EngineError, PolicyEngineError

REPRO = Path(__file__).parent.parent / "fixtures" / "repro"
REPRO_FILES = sorted(REPRO.glob("*.yaml"))
ACCEPTED = {"wide-512-values.yaml"}  # a wide rule the compiler writes as a range: accepted, answered right
KNOWN = ({"activity": "use", "mine": "anti_personnel", "persistence": "persistent", "location": "korean_dmz"},
         "biden-2022", "prohibited", ("B04-2",))


def answers_known_scenario() -> None:
    """The bundled biden-2022 still answers a known scenario with its verdict and deciding rule."""
    scenario, policy_id, verdict, deciding = KNOWN
    decision = pe.evaluate(scenario, policy_id)
    assert (decision.verdict, decision.deciding_rules) == (verdict, deciding)


def ruleset(rules: dict[str, dict]) -> str:
    """Ruleset JSON of single-message rules with priorities in order."""
    return json.dumps({name: {"all": [{"m": cond}], "pri": i + 1} for i, (name, cond) in enumerate(rules.items())})


def fire(rules: dict[str, dict], fact: dict) -> list[str]:
    """Run the raw engine on one fact; the fired rule names (raises durable_rules_engine.error)."""
    handle = dre.create_ruleset("probe", ruleset(rules))
    try:
        text = json.dumps({**fact, "sid": "p"})
        code, offset = dre.assert_fact(handle, text)
        fired = []
        if code == 0:
            got = dre.start_action_for_state(handle, offset)
            message = got[1] if got else None
            while message is not None:
                fired.append(message[2:message.index('"', 2)])
                message = dre.complete_and_start_action(handle, offset)
            dre.retract_fact(handle, text)
        return fired
    finally:
        dre.delete_ruleset(handle)


def problem(rules: dict[str, dict]) -> limits.LimitError | None:
    """What the checker says about a raw ruleset."""
    return limits.limit_problem(json.loads(ruleset(rules)))


class TestReproducers:
    """Each reproducer ends in one PolicyEngineError naming file:line, or is accepted and answers right."""

    def test_there_are_reproducers(self) -> None:
        """The fixtures folder holds the reproducers found by fuzzing."""
        assert len(REPRO_FILES) >= 17

    @pytest.mark.parametrize("path", REPRO_FILES, ids=[p.name for p in REPRO_FILES])
    def test_load_policy_ends_cleanly(self, path: Path) -> None:
        """pe.load_policy raises a one-line error with file:line (or accepts the wide rule)."""
        if path.name in ACCEPTED:
            judge = pe.Evaluator.of(pe.load_policy(path))
            scenario = judge.vocab.validate({"activity": "use", "mine": "anti_personnel", "self_destruct_days": 300})
            assert judge.evaluate(scenario).deciding_rules == judge.evaluate(scenario, matcher="reference").deciding_rules
        else:
            with pytest.raises(PolicyEngineError) as info:
                pe.load_policy(path)
            text = str(info.value)
            assert "\n" not in text and "\x1b" not in text and len(text) < 1000
            assert text.startswith(f"{path}:"), text
            assert text.split(":")[1].strip().isdigit(), text
        answers_known_scenario()

    @pytest.mark.parametrize("path", REPRO_FILES, ids=[p.name for p in REPRO_FILES])
    def test_check_command_ends_cleanly(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`policyengine check FILE` exits 2 with error lines naming file:line (0 for the wide rule)."""
        status = cli.main(["check", str(path)])
        err = capsys.readouterr().err
        if path.name in ACCEPTED:
            assert status == 0
        else:
            assert status == 2
            lines = err.strip().splitlines()
            assert lines and all(line.startswith(f"error: {path}:") for line in lines), err
            assert "\x1b" not in err and "Traceback" not in err
        answers_known_scenario()

    def test_check_command_in_a_fresh_process_ends_within_seconds(self) -> None:
        """All reproducers through the installed command: it returns (a hang would hit the timeout)."""
        result = subprocess.run([sys.executable, "-m", "policyengine.cli", "check", *map(str, REPRO_FILES)],
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert result.stdout.count("ok: ") == len(ACCEPTED)


class TestLimitsProbedInTheEngine:
    """At each limit the engine works; one past it, the engine fails, and the checker says so first."""

    def test_children_of_one_test(self) -> None:
        """511 values under one test run; the 512th is refused by the checker (the engine would spin)."""
        wide = {f"r{i}": {"$and": [{"a": 1}, {"b": i}]} for i in range(511)}
        assert problem(wide) is None
        assert fire(wide, {"a": 1, "b": 510}) == ["r510"]
        wide["r511"] = {"$and": [{"a": 1}, {"b": 511}]}
        found = problem(wide)
        assert found is not None and found.name == "r511" and "511" in found.message

    def test_a_full_child_table_spins_in_the_engine(self) -> None:
        """With 512 children the raw engine does not return (probed in a child process, killed)."""
        rules = {f"r{i}": {"$and": [{"a": 1}, {"b": i}]} for i in range(512)}
        code = textwrap.dedent(f"""
            import durable_rules_engine as dre
            h = dre.create_ruleset("probe", {ruleset(rules)!r})
            dre.assert_fact(h, '{{"a": 1, "b": 9999, "sid": "p"}}')
        """)
        with pytest.raises(subprocess.TimeoutExpired):
            subprocess.run([sys.executable, "-c", code], timeout=3, capture_output=True, check=False)

    def test_alternatives_per_test(self) -> None:
        """127 forward links under one test are accepted; 128 and up make the engine fail (error 107)."""
        base = {f"r{i}": {"$or": [{"a": 1}, {"z": i}]} for i in range(127)}
        assert problem(base) is not None  # 127 alternatives pushed at once exceed the 64-deep stack
        over = {f"r{i}": {"$or": [{"a": 1}, {"z": i}]} for i in range(130)}
        with pytest.raises(dre.error, match="107"):
            fire(over, {"a": 1})
        assert problem(over) is not None

    def test_matching_stack(self) -> None:
        """Alternatives a fact can match at once: the checker's bound holds where the engine's 64 fail."""
        ok = {f"r{i}": {"$and": [{"a": 1}, {"$or": [{"m": 1}, {"m": 2}]}]} for i in range(60)}
        assert problem(ok) is None
        assert len(fire(ok, {"a": 1, "m": 1})) == 60
        over = {f"r{i}": {"$and": [{"a": 1}, {"$or": [{"m": 1}, {"m": 2}]}]} for i in range(65)}
        with pytest.raises(dre.error, match="303"):
            fire(over, {"a": 1, "m": 1})
        assert problem(over) is not None

    def test_rules_ending_on_one_test(self) -> None:
        """255 rules ending on the same tests run; 256 or more are refused. (In the engine, 256 and 257
        write past a table: a child process crashes, or answers, depending on its heap; from about 300
        the engine reports error 108. Being undefined, that is not asserted.)"""
        ok = {f"r{i}": {"a": 1} for i in range(255)}
        assert problem(ok) is None
        assert len(fire(ok, {"a": 1})) == 255
        for count in (256, 257, 300):
            assert problem({f"r{i}": {"a": 1} for i in range(count)}) is not None

    def test_connectives_per_rule(self) -> None:
        """15 and/or groups in one rule run; 16 fail in the engine (error 113)."""

        def nested(depth: int) -> dict:
            cond: dict = {"a": 1}
            for i in range(depth):
                cond = {"$and" if i % 2 else "$or": [cond, {"b": i}]}
            return cond

        assert problem({"r": nested(15)}) is None
        assert fire({"r": nested(15)}, {"a": 1, "b": 14}) == ["r"]
        with pytest.raises(dre.error, match="113"):
            fire({"r": nested(16)}, {"a": 1, "b": 15})
        assert problem({"r": nested(16)}) is not None


class TestLimitsAtLoad:
    """A policy past a limit fails at load with EngineError naming file:line, the rule and the limit."""

    def test_rules_sharing_leading_tests(self, make_policy) -> None:
        """520 rules that share `activity: use` and differ in one integer: refused, naming the 512th."""
        rules = "".join(f"- {{id: W{i}, effect: prohibited, when: {{activity: use, self_destruct_days: {i * 2}}}, "
                        f"source: S1, quote: q}}\n" for i in range(520))
        with pytest.raises(EngineError) as info:
            make_policy(rules)
        text = str(info.value)
        assert "rule 'W511'" in text and "511" in text and "policy.yaml:" in text

    def test_bundled_instruments_are_within_limits(self) -> None:
        """Every bundled instrument passes the check with room to spare on the matching stack."""
        for judge in registry.evaluators().values():
            network = limits._Network()
            for name, rule in json.loads(judge.matcher.ruleset_json).items():
                network.add(name, rule)
            assert network.stack_peak() <= limits.MAX_STACK // 2, judge.policy.id


class TestPoolSize:
    """pool_size is a whole number from 1 to 1,000; anything else fails when the evaluator is made."""

    @pytest.mark.parametrize("size", [0, -1, 1001, 5000, 1.5, True, "8"])
    def test_bad_pool_size(self, size: object) -> None:
        """A pool the engine cannot serve (0 blocked, above 1,024 leaked) is refused up front."""
        with pytest.raises(EngineError, match="pool_size"):
            pe.Evaluator(registry.evaluator("biden-2022").policy, pe.vocabulary(), pool_size=size)  # type: ignore[arg-type]

    @pytest.mark.parametrize("size", [1, 1000])
    def test_good_pool_size(self, size: int) -> None:
        """The bounds themselves are accepted and the evaluator answers."""
        judge = pe.Evaluator(registry.evaluator("biden-2022").policy, pe.vocabulary(), pool_size=size)
        scenario, _, verdict, deciding = KNOWN
        decision = judge.evaluate(judge.vocab.validate(scenario), matcher="engine")
        assert (decision.verdict, decision.deciding_rules) == (verdict, deciding)
        judge.matcher.close()
