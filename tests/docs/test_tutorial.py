"""Every code block of docs/tutorial.md runs, in order, in one folder, and prints what the page says.

Python blocks are doctests (one namespace for the whole page); `console` blocks run each `$ policyengine`
line through the CLI and compare its output (`...` stands for lines left out); `yaml` blocks whose
first line is `# file: NAME` are written to that file for the blocks after them.
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from policyengine.cli.app import main

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def blocks() -> list[tuple[int, str, str]]:
    """(line, language, body) of every fenced block of the tutorial."""
    text = TUTORIAL.read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 1, m.group(1), m.group(2)) for m in FENCE.finditer(text)]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """One folder for the files the tutorial writes."""
    return tmp_path_factory.mktemp("tutorial")


@pytest.fixture(scope="module")
def namespace() -> dict:
    """The Python namespace shared by the tutorial's doctests."""
    return {}


def _console(body: str, capsys: pytest.CaptureFixture[str]) -> None:
    commands = re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]
    checker = doctest.OutputChecker()
    for chunk in commands:
        line, _, expected = chunk.partition("\n")
        argv = shlex.split(line)
        assert argv[0] == "policyengine"
        status = main(argv[1:])
        out = capsys.readouterr().out
        assert status == 0, out
        assert checker.check_output(expected, out, FLAGS), (
            f"$ {line}\n--- expected\n{expected}--- got\n{out}")


@pytest.mark.parametrize("line, language, body", blocks(), ids=[f"line-{b[0]}-{b[1]}" for b in blocks()])
def test_tutorial_block(line, language, body, workdir, namespace, monkeypatch, capsys):
    """The block at this line of the tutorial runs and prints what the tutorial shows."""
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("COLUMNS", "100")
    if language == "yaml":
        first, _, rest = body.partition("\n")
        name = first.removeprefix("# file:").strip()
        assert first.startswith("# file:") and name
        (workdir / name).write_text(rest, encoding="utf-8")
        return
    if language == "console":
        _console(body, capsys)
        return
    assert language == "python"
    test = doctest.DocTestParser().get_doctest(body, namespace, f"tutorial.md:{line}", str(TUTORIAL), line)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=lambda text: pytest.fail(text, pytrace=False), clear_globs=False)
    assert runner.failures == 0 and runner.tries > 0
    namespace.update(test.globs)


def test_every_block_is_runnable():
    """The tutorial has blocks of the three kinds the runner knows, and no other."""
    kinds = {language for _, language, _ in blocks()}
    assert kinds == {"python", "console", "yaml"}
