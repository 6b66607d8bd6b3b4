"""Corpora: the bundled instruments, a user's policy layered over them, and what ranges over a corpus."""

from __future__ import annotations

import attrs
import pytest

import policyengine as pe
from policyengine.core import engine
from policyengine.core.errors import UnknownPolicyError

#: A student's instrument: in force from 2023 and replacing biden-2022, it bans every use of APL.
STUDENT = """\
- id: STU-1
  effect: prohibited
  when: {activity: use}
  source: S1
  quote: no use of anti-personnel mines anywhere
"""
USE = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent", "location": "korean_dmz",
       "delivery": "hand_emplaced", "detectable": True, "self_destruct_days": 2,
       "compliant_sd_sda": True}


@pytest.fixture
def student(make_policy) -> pe.Policy:
    """The student's policy, loaded as a user would with pe.load_policy."""
    judge = make_policy(STUDENT, in_force="{from: 2023-01-01, to: null}", extra="replaces: [biden-2022]\n")
    return judge.policy


class TestBundled:
    """pe.bundled() is the ten instruments, loaded once."""

    def test_ten_instruments_in_order_of_entry_into_force(self):
        """The bundled corpus holds the ten instruments, oldest first, and is the same object each time."""
        corpus = pe.bundled()
        assert len(corpus) == 10
        assert corpus.ids[0] == "stat-export" and corpus.ids[-1] == "trump-2025"
        assert pe.bundled() is corpus

    def test_unknown_id_suggests(self):
        """An unknown id names the nearest instrument."""
        with pytest.raises(UnknownPolicyError, match="did you mean 'biden-2022'"):
            pe.bundled().evaluator("biden-2021")


class TestLayering:
    """with_policy and without derive new corpora and leave the original alone."""

    def test_with_policy_adds_a_user_instrument(self, student):
        """A loaded policy joins the corpus in date order; the bundled corpus is unchanged."""
        corpus = pe.bundled().with_policy(student)
        assert corpus.ids[-2:] == ("test-policy", "trump-2025") and len(corpus) == 11
        assert "test-policy" not in pe.bundled()

    def test_with_policy_replaces_the_same_id(self, make_policy):
        """A policy with a bundled id replaces that instrument, as a reform replaces its baseline."""
        judge = make_policy(STUDENT, name="mine.yaml")
        renamed = attrs.evolve(judge.policy, id="biden-2022")
        corpus = pe.bundled().with_policy(renamed)
        d = pe.evaluate(USE, policy="biden-2022", corpus=corpus)
        assert (d.verdict, d.deciding_rules) == ("prohibited", ("STU-1",))
        assert len(corpus) == 10

    def test_without_drops_an_instrument(self):
        """without() removes the named instruments; an unknown id is an error."""
        corpus = pe.bundled().without("ottawa", "apii")
        assert "ottawa" not in corpus and len(corpus) == 8
        with pytest.raises(UnknownPolicyError):
            pe.bundled().without("otawa")

    def test_policy_file_path_resolves(self, student):
        """A path to a policy file is accepted wherever an instrument is named."""
        d = pe.evaluate(USE, policy=student.path)
        assert (d.verdict, d.deciding_rules) == ("prohibited", ("STU-1",))


class TestRangesOverCorpus:
    """evaluate_on, in_force and across see a user's instrument through the corpus."""

    def test_evaluate_on_counts_the_student_policy(self, student):
        """On 2024-01-01 the student's ban is in force beside biden-2022 and decides the US position."""
        corpus = pe.bundled().with_policy(student)
        a = pe.evaluate_on(USE, "2024-01-01", corpus=corpus)
        assert [layer.policy for layer in a.layers][:2] == ["biden-2022", "test-policy"]
        assert (a.verdict, a.deciding_policy, a.deciding_rules) == ("prohibited", "test-policy", ("STU-1",))
        bundled = pe.evaluate_on(USE, "2024-01-01")
        assert (bundled.verdict, bundled.deciding_rules) == ("permitted", ("B22-6",))

    def test_in_force_lists_it(self, student):
        """in_force on a corpus lists the student's instrument with the note that it modifies biden-2022."""
        entries = {e.policy.id: e for e in pe.in_force("2024-01-01", corpus=pe.bundled().with_policy(student))}
        assert "test-policy" in entries
        assert "modified in part by test-policy" in entries["biden-2022"].note

    def test_across_shows_it(self, student):
        """across() on a corpus has a period for the student's instrument with its deciding rule."""
        text = pe.across(USE, corpus=pe.bundled().with_policy(student), format="json")
        assert '"policy": "test-policy"' in text and '"STU-1"' in text


    def test_diff_against_the_student_policy(self, student):
        """diff from biden-2022 to the student's ban lists Korean use going from permitted (B22-6) to prohibited."""
        found = pe.diff("biden-2022", student, corpus=pe.bundled().with_policy(student))
        hits = [c for c in found.classes if c.before.deciding == ("B22-6",) and c.after.deciding == ("STU-1",)]
        assert hits and all(c.after.verdict == "prohibited" for c in hits)
        assert pe.evaluate(hits[0].witness, policy=student).deciding_rules == ("STU-1",)


class TestCompiledOnce:
    """A loaded policy keeps its compiled evaluator."""

    def test_ten_thousand_evaluations_compile_once(self, student, monkeypatch):
        """Evaluating a loaded policy 10,000 times builds one Evaluator and one durable_rules ruleset."""
        built = []
        original = engine.DurableMatcher.__init__

        def counting(self, *args, **kwargs):
            built.append(1)
            original(self, *args, **kwargs)

        monkeypatch.setattr(engine.DurableMatcher, "__init__", counting)
        first = pe.Evaluator.of(student)
        for _ in range(10_000):
            d = pe.evaluate(USE, policy=student)
        assert (d.verdict, d.deciding_rules) == ("prohibited", ("STU-1",))
        assert pe.Evaluator.of(student) is first
        assert len(built) <= 1
