"""Course exercises: the student's side checks public cases only, the teacher's course folder holds the
hidden ones; references score full marks, starting files score 0 on the hidden part, bundled
instruments and diff witness lists do not pass, and no hidden verdict reaches any output."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import attrs
import pytest
import yaml

import policyengine as pe
from policyengine.core.conditions import fields_of
from policyengine.core.loader import load_policy
from policyengine.exercises import check, exercise, numbers, to_csv
from policyengine.registry import policy_files, vocabulary

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
ALL = ["01", "02", "03", "04", "05", "06"]
POLICY = ["01", "04"]
SCENARIOS = ["02", "03"]


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    """Keep the try counts of each test in its own folder."""
    monkeypatch.setenv("POLICYENGINE_STATE_DIR", str(tmp_path / "state"))


@cache
def keyed(number: str):
    """The exercise with the teacher's course key."""
    return exercise(number, key=COURSE)


@cache
def graded(number: str, path: Path):
    """The report of one file with the course key (graded once per test run)."""
    return check(keyed(number), path, pe.bundled())


class TestCatalogue:
    def test_six_exercises_of_three_kinds(self):
        """At least six exercises, each with a brief, a starting file and public cases."""
        assert len(numbers()) >= 6
        assert {exercise(n).kind for n in numbers()} == {"policy", "scenarios", "answers"}
        for n in numbers():
            folder = exercise(n).folder
            assert (folder / "brief.md").is_file() and (folder / "start.yaml").is_file()

    def test_hidden_data_is_in_the_course_folder_only(self):
        """Hidden cases and references live in course/NN/, never in the package or an exercise folder."""
        package = ROOT / "src" / "policyengine"
        assert not list(package.rglob("*reference*.yaml")) and not (package / "exercises" / "hidden").exists()
        for n in ALL:
            ex = keyed(n)
            assert ex.reference().is_file() and ex.reference().is_relative_to(COURSE)
            assert not list(ex.folder.glob("*reference*")) and not list(ex.folder.glob("key*"))

    def test_the_builds_leave_the_course_folder_out(self):
        """The wheel installs exercises/ (public) and nothing of course/; the sdist excludes course/."""
        build = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
        wheel = build.split("[tool.hatch.build.targets.wheel.force-include]")[1].split("\n\n")[0]
        assert '"exercises" = "policyengine/_data/exercises"' in wheel and "course" not in wheel
        assert 'exclude = ["/course"]' in build.split("[tool.hatch.build.targets.sdist]")[1]

    def test_reference_without_key_is_an_error(self):
        """Asking the student's side for a reference names the --key option."""
        with pytest.raises(pe.PolicyEngineError, match="--key"):
            exercise("01").reference()


@pytest.mark.parametrize("number", ALL)
class TestGrading:
    @pytest.mark.slow
    def test_reference_scores_full_marks(self, number):
        """The reference solution passes every public and hidden case and every guard."""
        report = graded(number, keyed(number).reference())
        assert report.passed and report.marks == 100.0 and report.guards_failed == 0
        assert report.score(hidden=True)[1] > 0 and report.score(hidden=False)[1] > 0

    def test_start_file_scores_zero_on_the_hidden_part(self, number):
        """The untouched starting file passes no hidden case, and fails with feedback naming the case."""
        report = graded(number, keyed(number).start)
        assert report.score(hidden=True)[0] == 0 and not report.passed
        failing = [c for c in report.cases if not c.passed and not c.guard]
        assert failing and all(c.label in c.failure for c in failing)

    def test_student_side_grades_public_cases_only(self, number):
        """Without the course key the check grades the public cases and says the rest is the teacher's."""
        ex = exercise(number)
        report = check(ex, ex.start, pe.bundled())
        assert report.cases and not any(c.hidden for c in report.cases)
        assert "hidden cases: graded by your teacher" in report.text()


@pytest.mark.parametrize("number", POLICY)
class TestPolicyExercises:
    def test_asks_for_an_instrument_that_is_not_bundled(self, number):
        """The start file's instrument id is none of the bundled ones."""
        start = yaml.safe_load(keyed(number).start.read_text(encoding="utf-8"))
        assert start["id"] not in pe.bundled().ids

    def test_no_bundled_policy_file_scores_full_marks(self, number):
        """Submitting any bundled instrument's file misses full marks."""
        for path in policy_files():
            report = check(keyed(number), path, pe.bundled())
            assert not report.passed and report.score(hidden=True)[0] < report.score(hidden=True)[1], path

    def test_hidden_part_covers_every_value_of_every_field_the_reference_reads(self, number):
        """Every value of every finite field the reference reads appears in some hidden case or guard."""
        ex = keyed(number)
        policy = load_policy(ex.reference(), vocabulary())
        read = set(fields_of(policy.scope)).union(*(fields_of(d.when) for d in policy.definitions),
                                                   *(fields_of(r.when) for r in policy.rules)) - {"date"}
        seen = {(f, v) for c in [*ex.key["cases"], *ex.key.get("guards", [])] for f, v in c["scenario"].items()}
        missing = [(f, v) for f in read for v in vocabulary().fields[f].domain() if (f, v) not in seen]
        assert not missing


@pytest.mark.parametrize("number", SCENARIOS)
class TestScenarioExercises:
    def test_the_second_instrument_is_kept_from_students(self, number):
        """The instrument to tell apart is not bundled: its file is in the course folder only."""
        ex = keyed(number)
        assert ex.public["instruments"][1] not in pe.bundled().ids
        assert all(ex.key_file(f).is_file() for f in ex.key["instruments"].values())

    @pytest.mark.slow
    def test_no_diff_witness_list_scores_full_marks(self, number, tmp_path):
        """The witnesses of `diff` between the first instrument and any bundled one miss full marks."""
        first = keyed(number).public["instruments"][0]
        for other in pe.bundled().ids:
            if other == first:
                continue
            witnesses = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in c.witness.items()}
                         for c in pe.diff(first, other).classes]
            if not witnesses:
                continue
            path = tmp_path / f"{other}.yaml"
            path.write_text(yaml.safe_dump({"scenarios": witnesses}), encoding="utf-8")
            assert not check(keyed(number), path, pe.bundled()).passed, other

    def test_public_cases_are_half_checked_without_the_key(self, number):
        """Without the key, a public case is checked on the bundled side only, and the report says so."""
        ex = exercise(number)
        report = check(ex, keyed(number).reference(), pe.bundled())
        assert report.passed and "is in your teacher's key" in report.text()


def _hidden_verdicts(number: str) -> dict[str, set[str]]:
    """For each hidden case, the words of its expected verdict or answer."""
    ex = keyed(number)
    if ex.kind == "policy":
        return {c["label"]: {c["verdict"]} for c in ex.key["cases"] + ex.key["guards"]}
    if ex.kind == "scenarios":
        return {t["label"]: {t["a"]["verdict"], t["b"]["verdict"]} for t in ex.key["targets"]}
    if ex.public["mode"] == "claims":
        return {str(q["id"]): {str(q["answer"])} for q in ex.key["questions"]}
    questions = {q["id"]: q for q in ex.public["questions"]}
    return {qid: {str(pe.evaluate_on(questions[qid]["scenario"], questions[qid]["date"]).verdict)}
            for qid in ex.key["hidden"]}


@pytest.mark.parametrize("number", ALL)
def test_no_output_reveals_a_hidden_verdict(number):
    """Text, JSON and CSV at every tier, with the key, for the starting file: a hidden case's feedback
    never holds its expected verdict, and its JSON entry no expected answer."""
    hidden = _hidden_verdicts(number)
    for tier in (1, 2, 3):
        report = attrs.evolve(graded(number, keyed(number).start), tier=tier)
        data = report.to_dict()
        for case, entry in zip(report.cases, data["cases"]):
            if not case.hidden:
                continue
            assert set(entry) == {"label", "hidden", "passed", "feedback"}
            for word in hidden[case.label]:
                pattern = re.compile(rf"\b{re.escape(word).replace('_', '[_ ]')}\b", re.IGNORECASE)
                for line in report.feedback(case) if not case.passed else []:
                    assert not pattern.search(line), (case.label, line)
        assert "expected" not in to_csv([report])
