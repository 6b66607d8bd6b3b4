"""`policyengine check [FILE ...]`: every error of policy files, then the consistency findings of each."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..analysis.baseline import changes
from ..analysis.check import check, stale
from ..core.errors import PolicyEngineError, PolicyFileErrors, ScenarioError
from ..core.loader import load_policy
from ..registry import policy_files, vocabulary
from .arguments import EXIT_BAD_INPUT, corpus_of, say

EXAMPLES = """\
examples:
  policyengine check                      every bundled policy file
  policyengine check ./my_policy.yaml     a policy file of your own (format: docs/policy-format.md)
  policyengine check --strict             exit 1 on a finding no file documents, or an entry of
                                          findings: that documents nothing
  policyengine check --json -v            every finding, documented or not, as JSON
  policyengine check --baseline main      every change of answer since main (a revision or a folder)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The files, --strict, --verbose, --json and --baseline."""
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a finding is not documented in its file, "
                                                              "or a findings: entry matches nothing")
    parser.add_argument("--verbose", "-v", action="store_true", help="also list the findings files document")
    parser.add_argument("--json", action="store_true", help="print the findings of every file as JSON")
    parser.add_argument("--baseline", metavar="REF", help="also report every change of answer against the files at "
                                                          "REF (a git revision, or a folder)")


def run(args: argparse.Namespace) -> int:
    """Load policy files, report every error, then the consistency findings of each file that loads."""
    paths = args.files or [str(p) for p in policy_files()]
    failed = undocumented = changed = 0
    report = []
    for path in paths:
        try:
            if not Path(path).is_file():
                raise ScenarioError(f"no policy file '{path}' (tried {Path(path).resolve()})", where="check",
                                    hint="give the path of a policy YAML file (none: every bundled one)")
            policy = load_policy(path, corpus_of(args).vocabulary)
        except PolicyFileErrors as exc:
            failed += 1
            for error in exc.errors:
                print(f"error: {error}", file=sys.stderr)
            continue
        except PolicyEngineError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        if args.baseline:
            for change in changes(policy, path, args.baseline, vocabulary()):
                say(f"changed: {path}: {change.words()}")
                changed += 1
        findings = check(policy)
        unused = stale(policy, findings, vocabulary())
        report.append({"path": path, "policy": policy.id, "findings": [f.to_dict() for f in findings],
                       "stale": [{"kind": e.kind, "rules": list(e.rules), "line": e.line} for e in unused]})
        open_findings = [f for f in findings if not f.documented]
        undocumented += len(open_findings) + len(unused)
        for entry in unused:
            print(f"{'error' if args.strict else 'warning'}: {path}:{entry.line}: the `findings:` entry "
                  f"({entry.kind}{' ' + ', '.join(entry.rules) if entry.rules else ''}) documents no finding of "
                  "the check; remove it, or fix its kind, rules or when", file=sys.stderr)
        if args.json:
            continue
        say(f"ok: {path}: {policy.id}, {len(policy.rule_ids())} rules, "
               f"{len(policy.not_rules)} not-rules, {len(policy.interpretations)} interpretations; "
               f"{len(findings)} findings, {len(open_findings)} undocumented")
        listed = [f for f in findings if args.verbose or not f.documented]
        for f in listed:
            say(f"  {'documented' if f.documented else 'finding'}: {path}{f':{f.line}' if f.line else ''}: {f.words()}")
            if f.documented:
                say(f"    why: {f.documented}")
        for kind in dict.fromkeys(f.kind for f in listed if not f.documented):
            say(f"  fix for {kind}: {open_findings[[f.kind for f in open_findings].index(kind)].hint}")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.baseline and not args.json:
        say(f"{changed} change{'s' if changed != 1 else ''} of answer or layering against {args.baseline}")
    if failed:
        return EXIT_BAD_INPUT
    return 1 if args.strict and undocumented else 0
