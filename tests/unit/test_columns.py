"""Text output fits the width: every command, piped, wraps to `COLUMNS` (80 when unset) between words."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyengine.cli.app import main
from policyengine.show.terminal import PIPED

ROOT = Path(__file__).resolve().parents[2]
APL_USE = ("activity=use", "mine=anti_personnel")

#: Every command that prints text, with arguments that make its output long.
COMMANDS = [
    ("fields",),
    ("fields", "mine"),
    ("fields", "self_destruct_days"),
    ("scenarios",),
    ("scenarios", "transfer-apl-for-destruction"),
    ("evaluate", "--policy", "biden-2022", "--scenario", "transfer-apl-for-destruction"),
    ("evaluate", "--policy", "trump-2020", "--scenario", "use-self-deactivating-mine-outside-korea", "--level", "short"),
    ("evaluate", "--policy", "trump-2020", "--scenario", "use-self-deactivating-mine-outside-korea", "--level", "full"),
    ("evaluate", "--policy", "biden-2022", "--on", "2010-01-01", *APL_USE, "--level", "short"),
    ("evaluate", "--on", "2021-03-01", *APL_USE, "location=korean_dmz"),
    ("evaluate", "--on", "2021-03-01", *APL_USE, "--level", "short"),
    ("explain", "--policy", "biden-2022", "--scenario", "transfer-apl-for-destruction", "--level", "full"),
    ("explain", "--policy", "trump-2020", "--why-not", "T20-2", *APL_USE),
    ("explain", "--across", "--scenario", "transfer-apl-for-destruction"),
    ("explain", "--on", "2021-03-01", *APL_USE),
    ("explain", "--term", "persistent"),
    ("policies",),
    ("timeline",),
    ("diff", "trump-2020", "biden-2022"),
    ("diff", "trump-2020", "biden-2022", "--summary"),
    ("compare", "trump-2020", "biden-2022"),
    ("check", str(ROOT / "policies" / "us" / "biden-2022.yaml")),
    ("claim", "under obama-2014, no scenarios where activity is use and location is elsewhere are permitted"),
    ("exercise", "list"),
    ("suite", "--policy", "biden-2022"),
    ("test", str(ROOT / "scenarios" / "suites" / "biden-2022.yaml")),
]


HELP = ["", "evaluate", "explain", "diff", "compare", "policies", "timeline", "fields", "scenarios", "check",
        "test", "suite", "claim", "exercise", "report", "serve", "completion"]


def too_long(text: str, width: int) -> list[str]:
    """The lines longer than `width` in characters or UTF-8 bytes (as `awk 'length > 80'` counts
    them), but for an id longer than the whole line (a named scenario's, at 60 columns), which is
    never cut; a web address is."""
    return [line for line in text.splitlines() if max(len(line), len(line.encode())) > width
            and (len(line.split()) > 1 or "://" in line)]


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv)[:60])
def test_every_line_fits(capsys, monkeypatch, argv, width):
    """At COLUMNS=60 and 80 no line of the command's output is longer than the width."""
    monkeypatch.setenv("COLUMNS", str(width))
    status = main(list(argv))
    out = capsys.readouterr().out
    assert status in (0, 1) and out.strip()
    assert too_long(out, width) == []


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("command", HELP, ids=lambda c: c or "policyengine")
def test_help_fits(capsys, monkeypatch, command, width):
    """Every --help fits too: prose wraps, and a long example command breaks with a shell continuation."""
    monkeypatch.setenv("COLUMNS", str(width))
    with pytest.raises(SystemExit) as done:
        main([*([command] if command else []), "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "usage:" in out
    assert too_long(out, width) == []


def test_a_long_example_breaks_with_a_continuation(capsys, monkeypatch):
    """At 60 columns a long example command is continued with a backslash, its words whole."""
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    out = capsys.readouterr().out
    assert " \\\n" in out and "use-self-deactivating-mine-outside-korea" in out.split()


def test_a_web_address_longer_than_the_line_breaks_after_a_slash(capsys, monkeypatch):
    """A source's address too long for 80 columns is cut after a `/` or `-`, and its pieces rejoin
    into the address."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["explain", "--policy", "biden-2022", "--scenario", "transfer-apl-for-destruction"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if "https://thenewsfort.org/" in line)
    assert lines[start].rstrip().endswith(("/", "-"))
    joined = lines[start].strip() + lines[start + 1].strip()
    assert joined == "https://thenewsfort.org/2022/06/22/biden-reverses-trump-era-policies-on-anti-personnel-landmines/"


def test_piped_output_defaults_to_80(capsys, monkeypatch):
    """Without COLUMNS, output that is not a terminal wraps at 80 columns."""
    monkeypatch.delenv("COLUMNS", raising=False)
    assert PIPED == 80
    assert main(["explain", "--across", "--scenario", "transfer-apl-for-destruction"]) == 0
    out = capsys.readouterr().out
    assert too_long(out, 80) == [] and max(len(line) for line in out.splitlines()) > 60


def test_words_stay_whole(capsys, monkeypatch):
    """Wrapping happens between words: every provision id of the short answer appears whole."""
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["evaluate", "--policy", "trump-2020", "--scenario", "use-self-deactivating-mine-outside-korea",
                 "--level", "short"]) == 0
    words = capsys.readouterr().out.split()
    for rule in ("(T20-2.unmet,", "T20-2b,", "T20-6,", "T20-8,", "plan_approved_by_secdef,", "exceptional_circumstances"):
        assert rule in words


def test_tables_piped_use_ascii_rules(capsys, monkeypatch):
    """A table printed to a pipe draws its rules in ASCII, one byte per column."""
    monkeypatch.setenv("COLUMNS", "100")  # at 80 the timeline's cells no longer fit, and it becomes a list
    assert main(["timeline"]) == 0
    out = capsys.readouterr().out
    assert out.isascii() and "+-----" in out and "| stat-export" in out
