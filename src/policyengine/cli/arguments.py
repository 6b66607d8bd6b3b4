"""The command line's argument helpers: the scenario, instrument, reading, date and format from the
arguments, and the corpus (the bundled instruments with `--with` files layered over them), built here
and nowhere else."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from ..core.corpus import Corpus
from ..core.errors import ScenarioError
from ..core.evaluation import Evaluator
from ..core.outcomes import FlagKind
from ..core.timeline import parse_date
from ..core.vocabulary import Value
from ..registry import bundled
from ..show.terminal import say as terminal_say
from ..testing.suites import named

EXIT_BAD_INPUT = 2
EXIT_BUG = 70  # EX_SOFTWARE of sysexits.h: an internal error, whatever the input
POLICY_SUFFIXES = (".yaml", ".yml")


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error that exits 2 and shows how to get help."""

    def error(self, message: str) -> NoReturn:
        """Print `error: <prog>: <message>; see <prog> --help` and exit 2."""
        self.exit(EXIT_BAD_INPUT, f"error: {self.prog}: {message}; see `{self.prog} --help`\n")


# -- the options several commands share ----------------------------------------------------------------


def add_with_argument(parser: argparse.ArgumentParser) -> None:
    """`--with FILE` (repeatable): a policy file of your own layered over the instruments."""
    parser.add_argument("--with", dest="with_policies", action="append", metavar="FILE",
                        help="add a policy file of your own to the instruments (replacing one of its id)")


def add_json_argument(parser: argparse.ArgumentParser, help: str = "print as JSON") -> None:
    """`--json`."""
    parser.add_argument("--json", action="store_true", help=help)


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario (field=value words, --scenario), the instrument or date, the readings, --json, --with."""
    parser.add_argument("fields", nargs="*", metavar="field=value",
                        help="scenario fields, e.g. activity=use mine=anti_personnel (`policyengine fields` "
                             "lists them, `policyengine fields NAME` the values)")
    parser.add_argument("--policy", "-p", action="append", metavar="ID|FILE",
                        help="instrument id (`policyengine policies`), e.g. biden-2022, or a policy file of your own")
    parser.add_argument("--scenario", "-s", metavar="NAME",
                        help="a named scenario (`policyengine scenarios`); field=value words override its fields")
    add_interpretation_argument(parser)
    parser.add_argument("--on", metavar="DATE", help="evaluate under everything in force on this ISO date")
    add_json_argument(parser, "print the result as one JSON object")
    add_with_argument(parser)


def add_pair_arguments(parser: argparse.ArgumentParser) -> None:
    """Instruments A and B (ids or files), the date, the readings, --json and --with, of diff and compare."""
    parser.add_argument("a", metavar="A", help="instrument id (`policyengine policies`) or policy file")
    parser.add_argument("b", metavar="B", help="instrument id (`policyengine policies`) or policy file")
    parser.add_argument("--on", metavar="DATE", help="compare on this ISO date only")
    add_interpretation_argument(parser)
    add_json_argument(parser, "print the result as one JSON object")


def add_interpretation_argument(parser: argparse.ArgumentParser) -> None:
    """`--interpretation NAME=READING` (repeatable)."""
    parser.add_argument("--interpretation", "-i", action="append", metavar="NAME=READING",
                        help="choose a reading of an ambiguous provision (repeatable)")


# -- scenario, instrument and reading from the command line -------------------------------------------


def scenario_of(args: argparse.Namespace) -> dict[str, Value]:
    """The named scenario (if any) with the field=value words on top; a field given twice is an error."""
    fields: dict[str, Value] = {}
    if args.scenario:

        fields.update(named(args.scenario, corpus_of(args).vocabulary).fields)
    seen: dict[str, str] = {}
    for pair in args.fields:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if sep and name in seen:
            raise ScenarioError(f"field '{name}' given twice ({seen[name]} and {value.strip()})",
                                where="command line", hint=f"give {name}= once")
        seen[name] = value.strip()
    fields.update(corpus_of(args).vocabulary.parse_pairs(args.fields))
    if not fields:
        raise ScenarioError("no scenario given", where="command line",
                            hint="add field=value pairs (activity=use mine=anti_personnel ...; "
                                 "`policyengine fields` lists them) or --scenario NAME (`policyengine scenarios`)")
    return fields


def interpretation_of(args: argparse.Namespace) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in args.interpretation or []:
        name, sep, reading = pair.partition("=")
        if not sep or not name or not reading:
            raise ScenarioError(f"'{pair}' is not NAME=READING", where="--interpretation",
                                hint="write for example --interpretation b22-2-korea=literal")
        if name in out:
            raise ScenarioError(f"interpretation '{name}' given twice ({out[name]} and {reading})",
                                where="--interpretation", hint=f"give {name}= once")
        out[name] = reading
    return out


def one(values: list[str] | None, option: str, hint: str) -> str | None:
    """The single value of a repeatable option; an error when it was given more than once."""
    if not values:
        return None
    if len(values) > 1:
        raise ScenarioError(f"{option} given {len(values)} times ({', '.join(values)})", where="command line",
                            hint=hint)
    return values[0]


def is_path(value: str) -> bool:
    """True when a --policy, --with or --suite value names a file rather than an instrument id."""
    return value.endswith(POLICY_SUFFIXES) or "/" in value or "\\" in value or Path(value).is_file()


def existing(value: str, option: str) -> str:
    """`value`, when it is an instrument id or an existing file; a one-line error naming it otherwise."""
    if is_path(value) and not Path(value).is_file():
        raise ScenarioError(f"no policy file '{value}' (tried {Path(value).resolve()})", where=option,
                            hint="give the path of a policy YAML file, or an instrument id (`policyengine policies`)")
    return value


def corpus_of(args: argparse.Namespace) -> Corpus:
    """The bundled instruments with the policy files of `--with` layered over them."""
    extra = [existing(value, "--with") for value in getattr(args, "with_policies", None) or []]
    return bundled().with_policy(*extra) if extra else bundled()


def load_judge(value: str, corpus: Corpus, option: str = "--policy") -> Evaluator:
    """The evaluator of an instrument id (of the corpus), or of a policy file of your own."""
    return corpus.resolve(existing(value, option))


def judge_of(args: argparse.Namespace) -> Evaluator | None:
    value = one(args.policy, "--policy", "give one instrument; to compare them all use "
                                          "`policyengine explain --across`, or --on DATE for everything in force")
    return load_judge(value, corpus_of(args)) if value else None


def date_of(args: argparse.Namespace) -> Any:
    """The --on date, refusing a date before the first instrument entered into force."""
    day = parse_date(args.on, "--on")
    first = min(corpus_of(args), key=lambda p: p.in_force_from)
    if day < first.in_force_from and not args.policy:
        raise ScenarioError(f"no instrument was in force on {day.isoformat()}", where="--on",
                            hint=f"the first, {first.id}, entered into force on {first.in_force_from.isoformat()}; "
                                 "give a date from then on (`policyengine timeline` lists them)")
    return day


def format_of(args: argparse.Namespace, default: str = "text") -> str:
    """The output format from --format and --json, which must agree."""
    chosen = getattr(args, "format", None)
    if args.json and chosen not in (None, "json"):
        raise ScenarioError(f"--json and --format {chosen} conflict", where="command line",
                            hint="give one of them (--json is --format json)")
    return "json" if args.json else chosen or default


def say(text: str) -> None:
    """Print prose wrapped to the terminal, or to `COLUMNS` (80 when piped), between words."""
    terminal_say(text)


def warnings_of(flags: Sequence[Any]) -> list[str]:
    """The flags a reader must see before anything else: the instrument was not in force."""
    return [f"warning: {f.message}" for f in flags if f.kind == FlagKind.NOT_IN_FORCE]
