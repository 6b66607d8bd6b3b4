"""`policyengine suite [FILE ...] [--suite FILE] [--policy ID|FILE]`: `policyengine test` without coverage,
over suite files or the bundled suites, one instrument's if asked (kept for scripts written before `test`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import ScenarioError
from ..show.terminal import say
from ..testing.runner import load_cases, run_cases
from .arguments import corpus_of, is_path, load_judge, one
from .test import EXIT_FAILED, text

EXAMPLES = """\
examples:
  policyengine suite                                   every bundled suite
  policyengine suite --policy biden-2022               the suite of one instrument
  policyengine suite ./my_suite.yaml                   a suite file of your own
  policyengine suite --suite ./my_suite.yaml --policy ./my_policy.yaml
                                                       your suite against your own policy file"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The suite files, --suite and --policy."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="suite files (default: every bundled suite)")
    parser.add_argument("--suite", action="append", metavar="FILE", help="a suite file (repeatable)")
    parser.add_argument("--policy", "-p", action="append", metavar="ID|FILE",
                        help="only this instrument's cases; or a policy file of your own that the suites name")


def run(args: argparse.Namespace) -> int:
    """Run the suites, one instrument's if asked; exit 1 if a case fails."""

    files = [*args.files, *(args.suite or [])]
    for path in files:
        if not Path(path).is_file():
            raise ScenarioError(f"no suite file '{path}'", where="suite",
                                hint="give the path of a suite YAML file (format: docs/policy-format.md)")
    policy = one(args.policy, "--policy", "give one instrument, or none to run every suite")
    corpus = corpus_of(args)
    if policy:
        judge = load_judge(policy, corpus)  # an unknown id fails with a suggestion instead of running nothing
        corpus = corpus.with_policy(judge.policy) if is_path(policy) else corpus
        policy = judge.policy.id
    run = run_cases([c for c in load_cases(files, corpus) if not policy or c.policy == policy], corpus,
                    generate=False)
    say(text(run, None, True, coverage=False))
    return EXIT_FAILED if run.failures else 0
