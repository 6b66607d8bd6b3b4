"""The `exercise` command: the student's check (tiers counted in their folder), the teacher's grade of
a folder (CSV gradebook, Gradescope results.json), the scaffold of a new exercise, and answer files
checked like policy files."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli.app import main
from policyengine.exercises import exercise, numbers

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"


@pytest.fixture(autouse=True)
def _state(monkeypatch):
    """The try counts go next to each checked file (no override)."""
    monkeypatch.delenv("POLICYENGINE_STATE_DIR", raising=False)


@pytest.fixture
def submissions(tmp_path) -> Path:
    """A class folder: a good file, a wrong one (the start file) and a broken one."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(COURSE / "01" / "reference.yaml", folder / "alice.yaml")
    shutil.copy(ROOT / "exercises" / "01" / "start.yaml", folder / "bob.yaml")
    (folder / "carol").mkdir()
    (folder / "carol" / "answer.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return folder


class TestStudentCheck:
    def test_start_file_fails_naming_a_case_and_a_provision(self, tmp_path, capsys):
        """`exercise check 01 FILE` grades the public cases and names the failing case's provision."""
        mine = tmp_path / "mine.yaml"
        shutil.copy(ROOT / "exercises" / "01" / "start.yaml", mine)
        assert main(["exercise", "check", "01", str(mine)]) == 1
        out = capsys.readouterr().out
        assert "public cases: 0/3 passed; hidden cases: graded by your teacher" in out
        assert "fails: expected prohibited by" in out

    def test_tiers_grow_with_tries_counted_in_the_students_folder(self, tmp_path, capsys):
        """Repeated failing checks of one file show the provision, then a counterexample; the count is
        in .policyengine-tries.json beside the file."""
        mine = tmp_path / "mine.yaml"
        shutil.copy(ROOT / "exercises" / "01" / "start.yaml", mine)
        outs = []
        for _ in range(3):
            main(["exercise", "check", "01", str(mine)])
            outs.append(capsys.readouterr().out)
        assert "tier 1 of 3" in outs[0] and "provision N26-" not in outs[0]
        assert "tier 2 of 3" in outs[1] and "your file has no provision N26-2" in outs[1]
        assert "counterexample" not in outs[1] and "counterexample: on " in outs[2]
        assert json.loads((tmp_path / ".policyengine-tries.json").read_text()) == {"01:mine.yaml": 3}

    def test_passing_resets_the_tries(self, tmp_path):
        """A file that passes resets its count, so a later failure starts again at tier 1."""
        from policyengine.exercises import state

        path = tmp_path / "answer.yaml"
        path.write_text("x")
        assert [state.record("01", path, False) for _ in range(3)] == [1, 2, 3]
        assert state.record("01", path, True) == 1 and state.record("01", path, False) == 1

    def test_list(self, capsys):
        """`exercise list` names every exercise with its kind and brief."""
        assert main(["exercise", "list"]) == 0
        out = capsys.readouterr().out
        assert all(f"{n}  " in out for n in numbers()) and "brief.md" in out

    def test_unknown_exercise_exits_2(self, capsys):
        """An unknown exercise number is one line with the known numbers."""
        assert main(["exercise", "check", "99"]) == 2
        assert "no exercise '99'" in capsys.readouterr().err


class TestTeacherGrade:
    def test_gradebook_has_a_row_per_file_and_a_student_column(self, submissions, capsys):
        """A good, a wrong and a broken file: three rows, the broken one scored 0 with the reason; exit 0."""
        assert main(["exercise", "grade", "01", str(submissions), "--key", str(COURSE), "--csv"]) == 0
        rows = {r["student"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
        assert set(rows) == {"alice", "bob", "carol"}
        assert rows["alice"]["full_marks"] == "yes" and rows["alice"]["marks"] == "100.0"
        assert rows["bob"]["hidden_passed"] == "0" and rows["bob"]["full_marks"] == "no"
        assert rows["carol"]["marks"] == "0.0" and "not valid YAML" in rows["carol"]["error"]
        assert rows["carol"]["hidden_total"] == rows["alice"]["hidden_total"] != "0"

    def test_teacher_runs_are_not_tries(self, submissions):
        """Grading a class writes no try count into the students' folders."""
        main(["exercise", "grade", "01", str(submissions), "--key", str(COURSE)])
        assert not list(submissions.rglob(".policyengine-tries.json"))

    def test_gradescope_results_json(self, submissions, tmp_path, capsys):
        """--gradescope writes results.json: a score, a max_score and one test per case with visibility."""
        target = tmp_path / "results" / "results.json"
        assert main(["exercise", "grade", "01", str(submissions), "--key", str(COURSE), "--gradescope",
                     str(target)]) == 0
        data = json.loads(target.read_text(encoding="utf-8"))
        assert isinstance(data["score"], float) and data["max_score"] >= data["score"] > 0
        for test in data["tests"]:
            assert set(test) == {"name", "score", "max_score", "output", "visibility"}
            assert test["visibility"] in ("visible", "after_published", "hidden", "after_due_date")
            assert 0 <= test["score"] <= test["max_score"] or test["max_score"] == 0
        assert any("could not be read" in t["name"] and t["score"] == 0 for t in data["tests"])

    def test_grading_needs_the_key(self, submissions, capsys):
        """Without --key, grade exits 2 and names the option."""
        assert main(["exercise", "grade", "01", str(submissions)]) == 2
        assert "--key" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["policy", "scenarios", "answers"])
def test_new_scaffolds_an_exercise_that_checks_out(kind, tmp_path, capsys):
    """`exercise new` writes the public and course files of a working exercise and checks that the
    reference passes every case and the start file fails some hidden one."""
    root, course = tmp_path / "exercises", tmp_path / "course"
    assert main(["exercise", "new", "07", "--kind", kind, "--key", str(course), "--exercises", str(root)]) == 0
    out = capsys.readouterr().out
    assert "the reference passes" in out and "the start file fails 1/1 hidden cases" in out
    assert (root / "07" / "start.yaml").is_file() and (course / "07" / "key.yaml").is_file()
    assert exercise("07", key=course, root=root).kind == kind


def test_new_flags_a_start_file_that_passes_the_hidden_cases(tmp_path, capsys):
    """An exercise whose start file already passes its hidden cases is reported, exit 1."""
    root, course = tmp_path / "exercises", tmp_path / "course"
    main(["exercise", "new", "07", "--key", str(course), "--exercises", str(root)])
    shutil.copy(course / "07" / "reference.yaml", root / "07" / "start.yaml")
    capsys.readouterr()
    assert main(["exercise", "new", "07", "--key", str(course), "--exercises", str(root)]) == 1
    assert "passes every hidden case" in capsys.readouterr().out


class TestAnswerFiles:
    @pytest.mark.parametrize(("text", "message", "hint"), [
        ("answers:\n  q01: {verdict: permited}\n", "unknown verdict 'permited'", "did you mean 'permitted'?"),
        ("answers:\n  q01: {policy: bush2004}\n", "unknown instrument 'bush2004'", "did you mean 'bush-2004'?"),
        ("answers:\n  q1: {verdict: permitted}\n", "unknown question id 'q1'", "did you mean"),
        ("answers:\n  q01: {provisions: [B04-44]}\n", "unknown provision 'B04-44'", "did you mean"),
        ("answers:\n  q01: {verdit: permitted}\n", "unknown field 'verdit'", "did you mean 'verdict'?"),
    ])
    def test_mistakes_exit_2_with_line_and_did_you_mean(self, tmp_path, capsys, text, message, hint):
        """Unknown ids, verdicts, instruments and provisions in an answer file exit 2 with file:line."""
        path = tmp_path / "answers.yaml"
        path.write_text(text, encoding="utf-8")
        assert main(["exercise", "check", "05", str(path)]) == 2
        err = capsys.readouterr().err
        assert message in err and hint in err and f"{path}:2" in err

    def test_claim_answer_misspelt(self, tmp_path, capsys):
        """A misspelt fact-check answer exits 2 with a suggestion."""
        path = tmp_path / "answers.yaml"
        path.write_text("answers:\n  q01: {answer: flase}\n", encoding="utf-8")
        assert main(["exercise", "check", "06", str(path)]) == 2
        assert "did you mean 'false'?" in capsys.readouterr().err

    @pytest.mark.parametrize("spelling", ["permitted", "Permitted", "PERMITTED", "allowed"])
    def test_verdict_spellings_are_accepted_alike(self, tmp_path, spelling):
        """Every spelling the library accepts for a verdict scores the same."""
        path = tmp_path / "answers.yaml"
        path.write_text(f"answers:\n  q01: {{verdict: {spelling}, policy: bush-2004, provisions: [B04-4]}}\n",
                        encoding="utf-8")
        from policyengine.exercises import check

        report = check(exercise("05"), path, pe.bundled())
        assert next(c for c in report.cases if c.label == "q01").passed

    def test_not_addressed_in_words(self, tmp_path):
        """`not addressed` and `Not_Addressed` read as the verdict not_addressed."""
        from policyengine.exercises.answer_file import read_answers

        path = tmp_path / "answers.yaml"
        path.write_text("answers:\n  q01: {verdict: not addressed}\n  q02: {verdict: Not_Addressed}\n", encoding="utf-8")
        got = read_answers(path, "dates", ["q01", "q02"], pe.bundled())
        assert got["q01"]["verdict"] == got["q02"]["verdict"] == "not_addressed"


def test_check_works_from_an_install_without_the_course_folder(tmp_path, monkeypatch, capsys):
    """With only what the wheel installs (policies, scenarios, exercises), the student's check runs."""
    data = tmp_path / "data"
    for name in ("policies", "scenarios", "exercises"):
        shutil.copytree(ROOT / name, data / name)
    monkeypatch.setenv("POLICYENGINE_DATA", str(data))
    mine = tmp_path / "mine.yaml"
    shutil.copy(data / "exercises" / "04" / "start.yaml", mine)
    assert main(["exercise", "check", "04", str(mine)]) == 1
    out = capsys.readouterr().out
    assert "public cases: 0/3 passed; hidden cases: graded by your teacher" in out
    assert not list(data.rglob("key.yaml")) and not list(data.rglob("reference.yaml"))
