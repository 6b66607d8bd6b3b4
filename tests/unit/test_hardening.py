"""Bad input never escapes: files, YAML, numbers, dates, messages, every error of a file, the CLI."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli import app as cli
from policyengine.core.errors import PolicyEngineError, PolicyFileError, PolicyFileErrors, ScenarioError, shown
from policyengine.core.loader import load_policy
from policyengine.core.yamlio import MAX_BYTES, parse_yaml

HEAD = textwrap.dedent("""\
    id: t
    title: t
    kind: executive_policy
    binds_us: true
    announced: 2020-01-01
    in_force: {from: 2020-01-01, to: null}
    scope: {mine: [anti_personnel]}
    sources:
      S1: {title: t, url: "http://x", evidence: secondary}
    """)


class TestFiles:
    """Only regular UTF-8 files of bounded size are read."""

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_fifo_is_refused(self, tmp_path: Path, vocab) -> None:
        """A FIFO is refused before it is opened (reading it would block)."""
        fifo = tmp_path / "policy.yaml"
        os.mkfifo(fifo)
        with pytest.raises(PolicyFileError, match="not a regular file"):
            load_policy(fifo, vocab)

    def test_device_and_directory_are_refused(self, tmp_path: Path, vocab) -> None:
        """A directory (and a device, where there is one) is not a policy file."""
        with pytest.raises(PolicyFileError, match="not a regular file"):
            load_policy(tmp_path, vocab)
        if Path("/dev/zero").exists():
            with pytest.raises(PolicyFileError, match="not a regular file"):
                load_policy("/dev/zero", vocab)

    def test_oversized_file_is_refused(self, tmp_path: Path, vocab) -> None:
        """A file above the size bound fails without being parsed."""
        path = tmp_path / "big.yaml"
        path.write_bytes(b"#" * (MAX_BYTES + 1))
        with pytest.raises(PolicyFileError, match="more than"):
            load_policy(path, vocab)

    def test_non_utf8_names_the_line(self, tmp_path: Path, vocab) -> None:
        """Latin-1 text fails with the line of the first bad byte."""
        path = tmp_path / "latin1.yaml"
        path.write_bytes(HEAD.encode() + "notes: caf\xe9\n".encode("latin-1"))
        with pytest.raises(PolicyFileError, match=r"latin1.yaml:10: is not UTF-8"):
            load_policy(path, vocab)


class TestYaml:
    """The node graph is bounded before anything is built from it."""

    def test_recursive_alias(self) -> None:
        """An alias inside its own anchor is refused, not followed."""
        with pytest.raises(PolicyFileError):
            parse_yaml("a: &x [1, *x]\n", "f.yaml")

    def test_alias_bomb(self) -> None:
        """Nine levels of ten aliases (10^9 values) fail fast with the line of the expansion."""
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
        with pytest.raises(PolicyFileError, match=r"f.yaml:\d+: expands to more than"):
            parse_yaml("\n".join(lines) + "\n", "f.yaml")

    def test_moderate_aliases_are_fine(self) -> None:
        """Aliases that expand to a few values load as usual."""
        assert parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml") == {"a": [1, 2], "b": [1, 2]}

    def test_deep_nesting(self) -> None:
        """Nesting past the bound is refused with its line; just under it loads."""
        assert parse_yaml("a: " + "[" * 40 + "]" * 40 + "\n", "f.yaml")
        with pytest.raises(PolicyFileError, match="levels deep"):
            parse_yaml("a: " + "[" * 200 + "]" * 200 + "\n", "f.yaml")

    def test_complex_key(self) -> None:
        """A list used as a mapping key is refused (it would be unhashable)."""
        with pytest.raises(PolicyFileError, match="mapping key must be a plain name"):
            parse_yaml("? [a]\n: b\n", "f.yaml")

    def test_huge_integer(self) -> None:
        """An integer of more digits than the engine holds fails at its line."""
        with pytest.raises(PolicyFileError, match=r"f.yaml:1: the integer"):
            parse_yaml("a: " + "9" * 30 + "\n", "f.yaml")


class TestValues:
    """Integers and dates parse strictly and stay in range."""

    @pytest.mark.parametrize("text", ["--5", "+-5", "5-", "1e3", "0x10", "", "-", "9" * 19])
    def test_bad_integers(self, text: str) -> None:
        """Malformed or oversized whole numbers are a ScenarioError, never a ValueError."""
        with pytest.raises(ScenarioError, match="self_destruct_days"):
            pe.vocabulary().validate({"self_destruct_days": text})

    @pytest.mark.parametrize("text", ["30", " 30 ", "+30", "0"])
    def test_good_integers(self, text: str) -> None:
        """Plain, signed and padded whole numbers parse."""
        assert pe.vocabulary().validate({"self_destruct_days": text})["self_destruct_days"] == int(text)

    @pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1799-12-31", "2200-01-01"])
    def test_extreme_dates(self, text: str) -> None:
        """Dates outside 1800-2199 are refused in scenarios."""
        with pytest.raises(ScenarioError, match="from 1800-01-01 to 2199-12-31"):
            pe.vocabulary().validate({"date": text})

    def test_extreme_rule_date(self, write_policy, vocab) -> None:
        """A rule dated 0001-01-01 fails at load (it overflowed at the first decision before)."""
        path = write_policy(HEAD + "rules:\n  - {id: R1, effect: prohibited, when: {activity: use}, "
                                   "from: 0001-01-01, source: S1, quote: q}\n")
        with pytest.raises(PolicyFileError, match=r"policy.yaml:11: 'from' is 0001-01-01"):
            load_policy(path, vocab)


class TestMessages:
    """Messages quote user input escaped and shortened."""

    def test_terminal_escape_is_escaped(self, write_policy, vocab) -> None:
        """An ANSI escape in a value is shown as \\x1b, never written raw."""
        path = write_policy(HEAD.replace("kind: executive_policy", 'kind: "\\e[2J\\e[31mOK"') + "rules: []\n")
        with pytest.raises(PolicyFileError) as info:
            load_policy(path, vocab)
        assert "\x1b" not in str(info.value) and "\\x1b[2J" in str(info.value)

    def test_long_value_is_shortened(self) -> None:
        """A 5 MB value is quoted in a few dozen characters."""
        assert len(shown("x" * 5_000_000)) <= 60
        error = PolicyEngineError("m" * 10_000, where="w", hint="h")
        assert len(str(error)) < 500

    def test_rule_id_with_newline(self, write_policy, vocab) -> None:
        """A rule id ending in a newline is refused, with the newline shown."""
        path = write_policy(HEAD + 'rules:\n  - {id: "R1\\n", effect: prohibited, when: {activity: use}, '
                                   "source: S1, quote: q}\n")
        with pytest.raises(PolicyFileError, match=r"rule id 'R1\\n'"):
            load_policy(path, vocab)


class TestAllErrors:
    """`check` reports every error of a file, not only the first."""

    BAD = HEAD + textwrap.dedent("""\
        rules:
          - {id: R1, effect: forbidden, when: {activity: use}, source: S1, quote: q}
          - {id: R2, effect: prohibited, when: {activity: usee}, source: S1, quote: q}
          - {id: R3, effect: prohibited, when: {activity: use}, source: S9, quote: q}
        """)

    def test_loader_collects_every_error(self, write_policy, vocab) -> None:
        """Three broken rules give PolicyFileErrors with three errors, each naming its line."""
        path = write_policy(self.BAD)
        with pytest.raises(PolicyFileErrors) as info:
            load_policy(path, vocab)
        lines = [str(e).split(":")[1] for e in info.value.errors]
        assert lines == ["11", "12", "13"]
        assert "and 2 more errors" in str(info.value) and "\n" not in str(info.value)

    def test_check_prints_every_error(self, write_policy, capsys: pytest.CaptureFixture[str]) -> None:
        """`policyengine check FILE` prints one line per error and exits 2."""
        path = write_policy(self.BAD)
        assert cli.main(["check", str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 3 and all(line.startswith(f"error: {path}:") for line in err)


class TestApi:
    """The API refuses bad arguments with PolicyEngineError."""

    def test_interpretation_must_be_a_mapping(self) -> None:
        """interpretation='a=b' (a string) is a ScenarioError, not an AttributeError."""
        with pytest.raises(ScenarioError, match="mapping of names to readings"):
            pe.evaluate({"activity": "use"}, "biden-2022", interpretation="a=b")  # type: ignore[arg-type]

    @pytest.mark.parametrize("policy", [12, None, ["biden-2022"], {"id": "x"}])
    def test_policy_of_the_wrong_type(self, policy: object) -> None:
        """A policy that is no id, Policy or path is an UnknownPolicyError, not an AttributeError."""
        with pytest.raises(PolicyEngineError, match="policy"):
            pe.evaluate({"activity": "use"}, policy)  # type: ignore[arg-type]

    def test_explain_needs_a_decision(self) -> None:
        """pe.explain of something that is not a Decision is a ScenarioError."""
        with pytest.raises(ScenarioError, match="takes a Decision"):
            pe.explain("prohibited")  # type: ignore[arg-type]

    def test_unhashable_policy_id(self) -> None:
        """pe.policy(['x']) names the value and suggests ids."""
        with pytest.raises(PolicyEngineError, match="unknown policy"):
            pe.policy(["x"])  # type: ignore[arg-type]

    def test_evaluate_many(self) -> None:
        """evaluate_many decides each scenario in order and names the position of a bad one."""
        good = {"activity": "use", "mine": "anti_personnel", "persistence": "persistent", "location": "korean_dmz"}
        decisions = list(pe.evaluate_many([good, {**good, "location": "elsewhere"}], "biden-2022"))
        assert [d.deciding_rules for d in decisions] == [pe.evaluate(good, "biden-2022").deciding_rules,
                                                         pe.evaluate({**good, "location": "elsewhere"},
                                                                     "biden-2022").deciding_rules]
        with pytest.raises(ScenarioError, match="scenario 2"):
            list(pe.evaluate_many([good, {"activity": "usee"}], "biden-2022"))

    def test_explanation_modules_load_lazily(self) -> None:
        """`explain` and `across` stay functions after their modules are imported."""
        import policyengine.analysis.across
        import policyengine.explanation.why  # noqa: F401
        from policyengine import api

        assert callable(pe.explain) and pe.explain is api.explain
        assert callable(pe.across) and pe.across is api.across


class TestCli:
    """The command fails with exit 2 and one line on bad input."""

    def test_suite_with_unknown_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`suite -p nope` exits 2 with a suggestion instead of '0 passed'."""
        assert cli.main(["suite", "-p", "bidne-2022"]) == 2
        err = capsys.readouterr().err
        assert "unknown policy 'bidne-2022'" in err and "did you mean 'biden-2022'" in err

    def test_bad_integer_on_the_command_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """self_destruct_days=--5 is a one-line error, not a traceback."""
        assert cli.main(["evaluate", "-p", "biden-2022", "activity=use", "self_destruct_days=--5"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "takes a whole number" in err
