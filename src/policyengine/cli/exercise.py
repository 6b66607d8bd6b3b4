"""`policyengine exercise list|check|grade|new`: the student's check of public cases, the teacher's
grading of a folder of submissions with the course key, and the scaffold of a new exercise."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..core.errors import SuiteError
from ..exercises import catalogue, gradebook, report, scaffold, state
from ..exercises.catalogue import Exercise
from ..show.terminal import say
from .arguments import corpus_of

DESCRIPTION = (
    "course exercises: list them, check your file, grade a class (teachers), scaffold a new one. `check` scores "
    "the public cases of your file; each failing check of the same file raises the feedback tier: 1 which case "
    "fails, 2 which provision or field is mishandled, 3 a counterexample (pacing, not security: the tries are "
    "counted in .policyengine-tries.json next to your file). `grade NN FOLDER --key COURSE` grades every file in "
    "FOLDER against the hidden cases of the teacher's course folder and prints a CSV gradebook (--gradescope PATH "
    "writes results.json). `new NN --kind KIND --key COURSE` scaffolds an exercise and checks that its start file "
    "fails some hidden case and its reference passes all.")
EXAMPLES = """\
examples:
  policyengine exercise list                              the exercises and their briefs
  policyengine exercise check 01 my.yaml                  public cases of your file (more feedback each try)
  policyengine exercise check 01 my.yaml --tier 3         every tier of feedback at once
  policyengine exercise grade 01 submissions/ --key course/ --csv      a class gradebook (teachers)
  policyengine exercise grade 01 sub/ --key course/ --gradescope out.json  Gradescope's results.json
  policyengine exercise new 07 --kind policy --key course/ --exercises exercises/  a new exercise"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The action, the exercise and files, the course and exercise folders, the output and the tier."""
    parser.add_argument("action", choices=("list", "check", "grade", "new"))
    parser.add_argument("number", nargs="?", help="exercise number, e.g. 01")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="check: your file(s), default the exercise's start.yaml; grade: the folder of submissions")
    parser.add_argument("--key", metavar="COURSE_DIR", help="the teacher's course folder (hidden cases, references)")
    parser.add_argument("--exercises", metavar="DIR", help="the folder of public exercises (default: the installed ones)")
    parser.add_argument("--kind", choices=("policy", "scenarios", "answers"), default="policy",
                        help="new: the kind of exercise to scaffold")
    parser.add_argument("--json", action="store_true", help="check: print the report as JSON")
    parser.add_argument("--csv", action="store_true", help="check: one CSV row per file; grade: the gradebook (default)")
    parser.add_argument("--gradescope", nargs="?", const="results.json", metavar="PATH",
                        help="grade: write Gradescope's results.json (default path: ./results.json)")
    parser.add_argument("--tier", type=int, choices=(1, 2, 3), help="show feedback up to this tier, whatever the tries")



def run(args: argparse.Namespace) -> int:
    """Run one action; `check` exits 1 when a file misses full marks, `grade` exits 0 whatever the marks."""
    root = Path(args.exercises) if args.exercises else None
    key = Path(args.key) if args.key else None
    if args.action == "list":
        for number in catalogue.numbers(root):
            ex = catalogue.exercise(number, root=root)
            say(f"{number}  {ex.kind:<9}  {ex.title}  ({ex.folder / 'brief.md'})")
        return 0
    if not args.number:
        raise SuiteError("no exercise number", where="command line", hint="write policyengine exercise check 01 FILE")
    if args.action == "new":
        return _new(args, root, key)
    ex = catalogue.exercise(args.number, key=key, root=root)
    if args.action == "grade":
        return _grade(args, ex)
    return _check(args, ex)


def _check(args: argparse.Namespace, ex: Exercise) -> int:
    """The student's check: public cases (and hidden ones only with --key), feedback by tries."""
    paths = [Path(f) for f in args.files] or [ex.start]
    for path in paths:
        if not path.is_file():
            raise SuiteError(f"no file '{path}'", where="command line",
                             hint=f"give the file you wrote, e.g. a copy of {ex.start}")
    reports = []
    counted = bool(args.files) and not args.tier  # the installed start file is nobody's attempt
    for path in paths:
        first = report.check(ex, path, corpus_of(args))
        tier = args.tier or (state.record(ex.number, path, False) if counted and not first.passed else 1)
        if first.passed and counted:
            state.record(ex.number, path, True)
        reports.append(report.Report(first.exercise, first.title, first.file, first.cases, min(tier, report.TIERS)))
    if args.csv:
        print(report.to_csv(reports), end="")
    elif args.json:
        data = [r.to_dict() for r in reports]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        say("\n\n".join(r.text() for r in reports))
    return 0 if all(r.passed for r in reports) else 1


def _grade(args: argparse.Namespace, ex: Exercise) -> int:
    """The teacher's gradebook over a folder of submissions; exit 0 whatever the marks."""
    if not ex.has_key:
        raise SuiteError("grading needs the course key", where="command line",
                         hint="write policyengine exercise grade 01 SUBMISSIONS --key course/")
    if not args.files or len(args.files) != 1:
        raise SuiteError("give one folder of submissions", where="command line",
                         hint="write policyengine exercise grade 01 SUBMISSIONS --key course/")
    corpus = corpus_of(args)
    entries = gradebook.grade_folder(ex, Path(args.files[0]), corpus, args.tier or 2)
    size = gradebook.totals(ex, corpus)
    if args.gradescope:
        target = Path(args.gradescope)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(gradebook.gradescope(entries, size), indent=2, ensure_ascii=False),
                          encoding="utf-8")
        print(f"wrote {target} ({len(entries)} file(s))")
    if args.csv or not args.gradescope:
        print(gradebook.gradebook_csv(entries, size), end="")
    return 0


def _new(args: argparse.Namespace, root: Path | None, key: Path | None) -> int:
    """Scaffold an exercise (when its folders do not exist yet), then check it as authored."""
    if key is None:
        raise SuiteError("a new exercise needs the course folder", where="command line",
                         hint="write policyengine exercise new 07 --kind policy --key course/ --exercises exercises/")
    root = root or Path("exercises")
    made = scaffold.scaffold(args.number, args.kind, root, key)
    for path in made:
        print(f"wrote {path}")
    problems, summary = scaffold.verify(args.number, root, key, corpus_of(args))
    print(summary)
    for line in problems:
        print(f"- {line}")
    return 1 if problems else 0


