"""Course exercises: references score full marks, starting files fail with feedback, seeded wrong
answers get feedback naming the provision they mishandle, and no output reveals a hidden verdict."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import attrs
import pytest
import yaml
from mutants import mutants

from policyengine.analysis.claims import claim
from policyengine.cli.app import main
from policyengine.exercises import check, exercise, numbers, to_csv
from policyengine.core.timeline import evaluate_on

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    """Keep the try counts of each test in its own folder."""
    monkeypatch.setenv("POLICYENGINE_STATE_DIR", str(tmp_path / "state"))


@cache
def _mutant_files(number: str, folder: str) -> list[tuple[str, Path, set[str]]]:
    ex = exercise(number)
    out = []
    for i, (what, data, named) in enumerate(mutants(ex)):
        path = Path(folder) / f"{number}-mutant-{i:02d}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        out.append((what, path, named))
    return out


@cache
def _graded(number: str, path: Path):
    """The case results of one file (graded once; reports at each tier are built from them)."""
    ex = exercise(number)
    return check(ex, path)


def _at(report, tier: int):
    return attrs.evolve(report, tier=tier)


@pytest.fixture(scope="module")
def mutant_dir(tmp_path_factory) -> str:
    """One folder for the seeded wrong answers of every exercise."""
    return str(tmp_path_factory.mktemp("mutants"))


def _hidden_verdicts(number: str) -> dict[str, set[str]]:
    """For each hidden case, the words of its expected verdict or answer."""
    ex = exercise(number)
    if ex.kind == "policy":
        return {c["label"]: {c["verdict"]} for c in ex.hidden["cases"]}
    if ex.kind == "scenarios":
        return {t["label"]: {t["a"]["verdict"], t["b"]["verdict"]} for t in ex.hidden["targets"]}
    questions = {q["id"]: q for q in ex.public["questions"]}
    if ex.public["mode"] == "claims":
        return {r["id"]: {str(claim(r["claim"]).answer)} for r in ex.hidden["reference_claims"]
                if r["id"] in ex.hidden["hidden"]}
    return {qid: {str(evaluate_on(questions[qid]["scenario"], questions[qid]["date"]).verdict)}
            for qid in ex.hidden["hidden"]}


def _pattern(word: str) -> re.Pattern[str]:
    spelled = re.escape(word).replace("_", "[_ ]")
    return re.compile(rf"\b{spelled}\b", re.IGNORECASE)


class TestCatalogue:
    def test_six_exercises_of_three_kinds(self):
        """At least six exercises, each with a brief, a starting file and public cases."""
        assert len(numbers()) >= 6
        kinds = {exercise(n).kind for n in numbers()}
        assert kinds == {"policy", "scenarios", "answers"}
        for n in numbers():
            folder = exercise(n).folder
            assert (folder / "brief.md").is_file() and (folder / "start.yaml").is_file()

    def test_hidden_data_is_outside_the_exercise_folders(self):
        """The reference solutions and hidden cases are packaged with the library, not in exercises/."""
        for n in numbers():
            ex = exercise(n)
            assert ex.reference().is_file() and not ex.reference().is_relative_to(ex.folder.parent)
            assert not list(ex.folder.glob("*reference*")) and not list(ex.folder.glob("hidden*"))


@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05", "06"])
class TestGrading:
    def test_reference_scores_full_marks(self, number):
        """The reference solution passes every public and hidden case."""
        ex = exercise(number)
        report = check(ex, ex.reference())
        assert report.passed and report.marks == 100.0
        assert report.score(hidden=True)[1] > 0 and report.score(hidden=False)[1] > 0

    def test_starting_file_fails(self, number):
        """The untouched starting file misses full marks, with feedback on a named case."""
        ex = exercise(number)
        report = check(ex, ex.start)
        assert not report.passed
        failing = [c for c in report.cases if not c.passed]
        assert failing and all(c.label in c.failure for c in failing)

    def test_seeded_wrong_answers_get_feedback_naming_the_provision(self, number, mutant_dir):
        """At least 20 mutations of the reference fail, and tier-2 feedback names the mishandled provision
        in at least 90% of them."""
        files = _mutant_files(number, mutant_dir)
        assert len(files) >= 20
        named = 0
        missed = []
        for what, path, provisions in files:
            report = _at(_graded(number, path), 2)
            text = report.text()
            if not report.passed and any(re.search(rf"(?<![\w.-]){re.escape(p)}(?![\w-]|\.\w)", text)
                                         for p in provisions):
                named += 1
            else:
                missed.append(what)
        assert named / len(files) >= 0.9, missed

    def test_no_output_reveals_a_hidden_verdict(self, number, mutant_dir):
        """Text, JSON and CSV, at every tier, for the starting file and every mutant: a hidden case's
        feedback never holds its expected verdict, and its JSON entry no expected answer."""
        ex = exercise(number)
        hidden = _hidden_verdicts(number)
        paths = [ex.start] + [p for _, p, _ in _mutant_files(number, mutant_dir)]
        for path in paths:
            for tier in (1, 2, 3):
                report = _at(_graded(number, path), tier)
                data = report.to_dict()
                table = to_csv([report])
                for case, entry in zip(report.cases, data["cases"]):
                    if not case.hidden:
                        continue
                    assert set(entry) == {"label", "hidden", "passed", "feedback"}
                    for word in hidden[case.label]:
                        for line in report.feedback(case) if not case.passed else []:
                            assert not _pattern(word).search(line), (path, case.label, line)
                assert "expected" not in table


class TestCommand:
    def test_acceptance_start_file(self, capsys):
        """`exercise check 01 exercises/01/start.yaml` fails, naming a case and a provision."""
        assert main(["exercise", "check", "01", str(ROOT / "exercises" / "01" / "start.yaml")]) == 1
        out = capsys.readouterr().out
        assert "public cases: 0/3 passed" in out
        assert re.search(r"case \S+ fails: expected \w+ by O14-\d", out)

    def test_acceptance_reference(self, capsys):
        """The reference solution scores full marks from the command line."""
        ex = exercise("01")
        assert main(["exercise", "check", "01", str(ex.reference())]) == 0
        assert "(full marks)" in capsys.readouterr().out

    def test_tiers_grow_with_tries(self, capsys):
        """Repeated failing checks of one file show the provision, then a counterexample."""
        start = str(ROOT / "exercises" / "01" / "start.yaml")
        outs = []
        for _ in range(3):
            main(["exercise", "check", "01", start])
            outs.append(capsys.readouterr().out)
        assert "tier 1 of 3" in outs[0] and "provision O14-" not in outs[0]
        assert "tier 2 of 3" in outs[1] and "provision O14-2 is missing from your file" in outs[1]
        assert "counterexample" not in outs[1] and "counterexample: on " in outs[2]

    def test_json_and_csv(self, capsys):
        """--json gives the scores for a gradebook; --csv one row per file for a class."""
        ex = exercise("04")
        main(["exercise", "check", "04", str(ex.start), "--json"])
        data = json.loads(capsys.readouterr().out)
        assert data["public"] == {"passed": 0, "total": 3} and data["passed"] is False
        main(["exercise", "check", "04", str(ex.start), str(ex.reference()), "--csv"])
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert [r["full_marks"] for r in rows] == ["no", "yes"] and rows[1]["hidden_passed"] == rows[1]["hidden_total"]

    def test_list(self, capsys):
        """`exercise list` names every exercise with its kind and brief."""
        assert main(["exercise", "list"]) == 0
        out = capsys.readouterr().out
        assert all(f"{n}  " in out for n in numbers()) and "brief.md" in out

    def test_passing_resets_the_tries(self, tmp_path):
        """A file that passes resets its count, so a later failure starts again at tier 1."""
        from policyengine.exercises import state

        path = tmp_path / "answer.yaml"
        path.write_text("x")
        assert [state.record("01", path, False) for _ in range(3)] == [1, 2, 3]
        assert state.record("01", path, True) == 1
        assert state.record("01", path, False) == 1
        assert state.state_file().is_file()

    def test_unknown_exercise_exits_2(self, capsys):
        """An unknown exercise number is one line with the known numbers."""
        assert main(["exercise", "check", "99"]) == 2
        assert "no exercise '99'" in capsys.readouterr().err
