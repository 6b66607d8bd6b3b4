"""The claim checker: grammar, the four forms of claim, counterexamples, readings, claim files, CLI."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

import policyengine as pe
from policyengine import claim
from policyengine.analysis.claims import Answer, load_claims_file, parse_claim, run_claims_file
from policyengine.analysis.claims.grammar import Position, Quantified, Stricter
from policyengine.analysis.claims import suite as claims_suite
from policyengine.analysis.claims.suite import is_claims_file, outcome_title, run_claim_files
from policyengine.cli.app import main
from policyengine.core.conditions import evaluate
from policyengine.core.errors import ClaimError, PolicyFileError, ScenarioError, SuiteError
from policyengine.analysis.orders import PROHIBITING
from policyengine.core.outcomes import ALLOWING
from policyengine.testing.strategies import scenarios

ROOT = Path(__file__).resolve().parents[2]
NEWS = ROOT / "scenarios" / "claims" / "news.yaml"
OBAMA_USE = "under obama-2014, no scenarios where activity is use and location is elsewhere are permitted"


@functools.cache
def obama_use_claim():
    """The acceptance claim's result, checked once for the property test's examples."""
    return claim(OBAMA_USE, pe.bundled())


TRUMP_ANYWHERE = "under the 2020 policy, all scenarios where activity is use are permitted"


class TestGrammar:
    def test_quantified_claim_parses_conditions(self, vocab):
        """A quantified claim keeps its quantifier, its verdict and a test per condition."""
        parsed = parse_claim("under trump-2020 on 2021-03-01, some scenarios where mine is anti_personnel or "
                             "mixed_system and self_destruct_days is at most 30 are prohibited", vocab)
        assert isinstance(parsed, Quantified)
        assert (parsed.quantifier, parsed.verdict, str(parsed.date)) == ("some", "prohibited", "2021-03-01")
        assert evaluate(parsed.condition, {"mine": "mixed_system", "self_destruct_days": 30}, vocab) is True
        assert evaluate(parsed.condition, {"mine": "mixed_system", "self_destruct_days": 31}, vocab) is False

    def test_other_forms_parse(self, vocab):
        """Position and stricter claims parse to their own values; hyphenated values are accepted."""
        assert isinstance(parse_claim("on 2021-03-01, US policy permits mine is anti-personnel", vocab), Position)
        assert isinstance(parse_claim("biden-2022 is stricter than trump-2020", vocab), Stricter)

    def test_text_outside_the_grammar_is_refused_with_the_nearest_parse(self, vocab):
        """The refusal shows what was read, the word that was not, and the words expected there."""
        with pytest.raises(ClaimError) as caught:
            parse_claim("under trump-2020, mines may be used anywhere", vocab)
        text = str(caught.value)
        assert 'read "under trump-2020, ▸"' in text and "'mines'" in text
        assert "'no' or 'some'" in text and "write a claim of the form" in text

    @pytest.mark.parametrize("text, fix", [
        ("under trump-2020, all senarios where activity is use are permitted", "change 'senarios' to 'scenarios'"),
        ("under trump-2020, all scenarios where activity is use are permited", "change 'permited' to 'permitted'"),
        ("on 2021-03-01, US policy permit activity is use", "change 'permit' to 'permits'"),
    ])
    def test_refusal_says_what_to_change(self, vocab, text, fix):
        """A misspelt or synonymous word of the grammar gets the word to put instead."""
        with pytest.raises(ClaimError, match=fix):
            parse_claim(text, vocab)

    def test_unknown_value_names_the_fix(self, vocab):
        """An unknown value inside a grammatical claim is a ScenarioError with a suggestion."""
        with pytest.raises(ScenarioError, match="did you mean 'use'"):
            parse_claim("under trump-2020, all scenarios where activity is usage are permitted", vocab)

    def test_order_words_need_an_ordered_field(self, vocab):
        """`at least` on an unordered field is refused with what to write instead."""
        with pytest.raises(ClaimError, match="has no order"):
            parse_claim("under trump-2020, all scenarios where mine is at least anti_vehicle are permitted", vocab)


class TestQuantifiedClaims:
    def test_obama_use_outside_korea_is_never_permitted(self):
        """The acceptance claim is TRUE and names the provisions that bar the use."""
        result = claim(OBAMA_USE, pe.bundled())
        assert result.answer == Answer.TRUE
        assert {"O14-2", "O14-6"} <= set(result.provisions)
        assert result.classes > 0

    @pytest.mark.slow
    def test_2020_policy_does_not_permit_use_anywhere(self):
        """The claim that the 2020 policy lets mines be used anywhere is FALSE with a counterexample."""
        result = claim(TRUMP_ANYWHERE, pe.bundled())
        assert result.answer == Answer.FALSE
        example = result.example
        assert example is not None and result.example_role == "counterexample"
        decision = pe.evaluate(example.scenario, policy="trump-2020")
        assert decision.verdict not in ALLOWING and decision.verdict != "conditional"
        assert set(decision.deciding_rules) == {"T20-3", "T20-4"} == set(result.provisions)
        assert len(example.scenario) == 3

    @pytest.mark.slow
    def test_counterexample_is_minimal(self):
        """Dropping any field of the counterexample no longer decides it against the claim."""
        result = claim(TRUMP_ANYWHERE, pe.bundled())
        scenario = dict(result.example.scenario)
        for name in scenario:
            if name == "activity":
                continue
            rest = {k: v for k, v in scenario.items() if k != name}
            assert pe.evaluate(rest, policy="trump-2020").verdict in (*ALLOWING, "conditional")

    def test_some_claim_gives_an_instance(self):
        """A TRUE `some` claim comes with a scenario that has the verdict, and its provision."""
        result = claim("under biden-2022, some scenarios where activity is transfer and purpose is destruction "
                       "are permitted", pe.bundled())
        assert result.answer == Answer.TRUE and result.provisions == ("B22-2.destruction",)
        assert pe.evaluate(result.example.scenario, policy="biden-2022").verdict == "permitted"

    def test_interpretation_that_changes_the_answer_gives_each_reading(self):
        """A claim that turns on an interpretation is DEPENDS ON READING with each reading's answer."""
        result = claim("under trump-2025, some scenarios where activity is use and mine is anti_personnel and "
                       "location is elsewhere are permitted", pe.bundled())
        assert result.answer == Answer.DEPENDS_ON_READING
        answers = {tuple(r.readings.items()): r.answer for r in result.readings}
        assert answers[()] == Answer.TRUE
        assert answers[(("t25-interim-geography", "limits_remain"),)] == Answer.FALSE
        limited = next(r for r in result.readings if r.answer == Answer.FALSE)
        assert limited.example.provisions == ("T25-3.geography-pending",)

    def test_date_outside_the_period_is_noted(self):
        """A date on which the instrument was not in force is answered with a note saying so."""
        result = claim("under biden-2022 on 2020-06-01, all scenarios where activity is use and mine is "
                       "anti_personnel and location is elsewhere are prohibited", pe.bundled())
        assert result.answer == Answer.TRUE and result.provisions == ("B22-3",)
        assert any("was not in force on 2020-06-01" in fact for fact in result.facts)

    @settings(max_examples=max(1, settings.default.max_examples * 3 // 100))  # 60 under 'thorough'
    @given(scenarios(fields=["activity", "mine", "activation", "persistence", "self_destruct_days", "delivery",
                             "detectable", "location", "authorization", "exceptional_circumstances"],
                     values={"activity": ["use"], "location": ["elsewhere"]}))
    def test_a_true_claim_holds_on_sampled_scenarios(self, scenario):
        """Every scenario meeting the conditions of a TRUE `no ... permitted` claim is not permitted."""
        assert obama_use_claim().answer == Answer.TRUE
        scenario["date"] = pe.policy("obama-2014").in_force_from
        assert pe.evaluate(scenario, policy="obama-2014").verdict not in ALLOWING


class TestOtherClaims:
    def test_us_position_on_a_date(self):
        """`on DATE, US policy permits ...` answers over everything in force, re-evaluated with evaluate_on."""
        result = claim("on 2021-03-01, US policy permits activity is use and mine is anti_personnel and "
                       "location is elsewhere", pe.bundled())
        assert result.answer == Answer.TRUE and result.provisions == ("T20-2",)
        assessment = pe.evaluate_on(result.example.scenario, "2021-03-01")
        assert assessment.verdict == "permitted" and assessment.deciding_policy == "trump-2020"

    @pytest.mark.slow
    def test_us_prohibition_false_with_counterexample(self):
        """`prohibits` is FALSE when some scenario meeting the conditions is not prohibited."""
        result = claim("on 2023-03-01, US policy prohibits activity is use and mine is anti_personnel", pe.bundled())
        assert result.answer == Answer.FALSE
        assert result.example.assessment.verdict != "prohibited"
        assert result.example.assessment.deciding_rules == result.provisions

    @pytest.mark.slow
    def test_stricter(self):
        """By prohibitions: obama-2014 is stricter than trump-2020 for APL use outside Korea from step b;
        biden-2022 is not stricter than trump-2020 for use, since trump-2020 bars the use of persistent
        anti-vehicle mines, which biden-2022 does not address."""
        assert claim("obama-2014 is stricter than trump-2020 where activity is use and mine is anti_personnel and "
                     "location is elsewhere and date is at least 2014-09-23", pe.bundled()).answer == Answer.TRUE
        result = claim("biden-2022 is stricter than trump-2020 where activity is use", pe.bundled())
        assert result.answer == Answer.FALSE
        sides = {d.policy: d for d in result.example.decisions}
        assert sides["trump-2020"].verdict in PROHIBITING and sides["biden-2022"].verdict not in PROHIBITING
        assert result.provisions and set(result.provisions) <= set(sides["biden-2022"].deciding_rules
                                                                   + sides["trump-2020"].deciding_rules)

    @pytest.mark.slow  # two spaces searched; test_an_instrument_is_not_stricter_than_itself stays fast
    def test_stricter_outside_korea_counts_prohibitions_not_permissions(self):
        """biden-2022 is stricter than trump-2020 for APL outside Korea by what each prohibits, though by
        permissions it is not: B22-5.korea permits retention for Korea where trump-2020 is silent."""
        where = " where mine is anti_personnel and location is elsewhere"
        result = claim("biden-2022 is stricter than trump-2020" + where, pe.bundled())
        assert result.answer == Answer.TRUE and result.provisions
        sides = {d.policy: d for d in result.example.decisions}
        assert sides["biden-2022"].verdict in PROHIBITING and sides["trump-2020"].verdict not in PROHIBITING
        old = claim("biden-2022 is stricter in what it permits than trump-2020" + where, pe.bundled())
        assert old.answer == Answer.FALSE and old.provisions == ("B22-5.korea",)
        sides = {d.policy: d for d in old.example.decisions}
        assert (sides["trump-2020"].verdict, sides["biden-2022"].verdict) == ("not_addressed", "permitted")

    def test_an_instrument_is_not_stricter_than_itself(self):
        """Two instruments that prohibit the same scenarios: FALSE, without a counterexample."""
        result = claim("biden-2022 is stricter than biden-2022 where activity is transfer", pe.bundled())
        assert result.answer == Answer.FALSE and result.example is None
        assert "prohibit exactly the same scenarios" in result.summary

    def test_in_force(self):
        """`was in force on` answers from the timeline, with the instrument's period."""
        assert claim("trump-2020 was in force on 2021-03-01", pe.bundled()).answer == Answer.TRUE
        result = claim("trump-2025 was in force on 2025-03-01", pe.bundled())
        assert result.answer == Answer.FALSE and "from 2025-12-02" in result.facts[0]
        assert claim("trump-2025 was not in force on 2025-03-01", pe.bundled()).answer == Answer.TRUE

    def test_in_force_names_a_passed_horizon(self):
        """An interim instrument past the horizon it set is in force, with a word that it may be superseded."""
        result = claim("trump-2025 was in force on 2026-06-01")
        assert result.answer == Answer.TRUE
        assert "still is" not in " ".join(result.facts)
        assert any("the horizon it set (T25-4, to 2026-03-02) had passed" in fact for fact in result.facts)

    def test_in_force_says_ottawa_does_not_bind_the_us(self):
        """Ottawa is listed as in force, marked as not binding the US."""
        result = claim("ottawa was in force on 2020-01-01")
        assert result.answer == Answer.TRUE
        assert "ottawa (not binding on the US: not a party)" in " ".join(result.facts)
        assert "ottawa does not bind the US: the US is not a party" in result.facts


class TestGoalClaims:
    """`INSTRUMENT states|does not state the goal "WORDS"` reads the instrument's stated goals and objectives."""

    def test_biden_2022_still_states_accession(self):
        """Article 001's 'stopped saying it would seek to accede' is false: B22-7 states it."""
        result = claim('biden-2022 does not state the goal "accede to the Ottawa Convention"')
        assert result.answer == Answer.FALSE and result.provisions == ("B22-7",)
        assert claim('biden-2022 states the goal "Accede to the  Ottawa Convention"').answer == Answer.TRUE

    def test_trump_2025_names_combatant_not_field_commanders(self):
        """Article 004's 'field commanders' is not among the memo's objectives; combatant commanders are (T25-3)."""
        field = claim('trump-2025 states the goal "field commanders"')
        assert field.answer == Answer.FALSE and field.provisions == ()
        assert any("giving combatant commanders the authority" in fact for fact in field.facts)
        assert claim('trump-2025 states the goal "combatant commanders"').provisions == ("T25-3",)

    def test_a_goal_claim_without_quotes_is_refused_with_the_form(self):
        """The words must be in double quotes; the refusal shows the form."""
        with pytest.raises(ClaimError, match="states the goal"):
            claim("biden-2022 states the goal accede")


class TestClaimFiles:
    @pytest.fixture(autouse=True)
    def each_claim_once(self, check_each_claim_once):
        """The news claims are checked once in the session, however many tests read them."""
        check_each_claim_once(claims_suite)

    @pytest.mark.slow
    def test_news_claims_all_pass(self):
        """Every claim taken from the news articles gets its expected answer and provisions."""
        outcomes = run_claims_file(NEWS, pe.bundled())
        assert len(outcomes) >= 12
        assert [o.case.label for o in outcomes if not o.passed] == []
        assert {o.case.expect for o in outcomes} == set(Answer)

    @pytest.mark.slow
    def test_files_of_a_folder(self):
        """Given every YAML file of the scenarios folder, only the claim files' claims are run."""
        files = sorted((ROOT / "scenarios").rglob("*.yaml"))
        outcomes = run_claim_files(files, pe.bundled())
        assert {o.case.where.split(":")[0] for o in outcomes} == {str(NEWS)}
        assert outcome_title(outcomes[0]).startswith(f"{NEWS}:") and "biden-monday" in outcome_title(outcomes[0])

    @pytest.mark.slow
    def test_wrong_expectation_fails(self, tmp_path):
        """A claim whose expected answer or provisions are wrong fails with what disagreed."""
        path = tmp_path / "c.yaml"
        path.write_text(f'claims:\n  - claim: "{TRUMP_ANYWHERE}"\n    expect: true\n    provisions: [T20-2]\n')
        (outcome,) = run_claims_file(path, pe.bundled())
        assert not outcome.passed
        assert outcome.problems == ("expected true, got false", "provisions T20-2 not among T20-3, T20-4")

    def test_ungrammatical_claim_in_a_file_fails_without_raising(self, tmp_path):
        """A claim the checker refuses is a failing outcome naming the refusal."""
        path = tmp_path / "c.yaml"
        path.write_text('claims:\n  - claim: "Trump allowed mines"\n    expect: false\n')
        (outcome,) = run_claims_file(path, pe.bundled())
        assert not outcome.passed and "outside the grammar" in outcome.problems[0]

    def test_claim_files_are_told_from_suites(self, tmp_path):
        """A runner dispatches on `claims:`: the news file is a claim file, a suite and a broken non-claim file are not."""
        assert is_claims_file(NEWS)
        assert not is_claims_file(ROOT / "scenarios" / "suites" / "biden-2022.yaml")
        broken = tmp_path / "b.yaml"
        broken.write_text("cases: [\n")
        assert not is_claims_file(broken)
        broken.write_text("claims:\n  - claim: [\n")
        with pytest.raises(PolicyFileError, match="b.yaml"):
            is_claims_file(broken)

    def test_malformed_entry_names_the_line(self, tmp_path):
        """An entry with an unknown answer is a SuiteError at its line."""
        path = tmp_path / "c.yaml"
        path.write_text('claims:\n  - claim: "trump-2020 was in force on 2021-03-01"\n    expect: maybe\n')
        with pytest.raises(SuiteError, match=r"c.yaml:3: unknown answer 'maybe'"):
            load_claims_file(path)


class TestCommand:
    def test_acceptance_claims(self, capsys):
        """The CLI prints the answer with provisions, and a counterexample for the 2020 claim."""
        assert main(["claim", OBAMA_USE]) == 0
        out = capsys.readouterr().out
        assert out.startswith("TRUE:") and "O14-2" in out
        assert main(["claim", TRUMP_ANYWHERE]) == 0
        out = capsys.readouterr().out
        assert out.startswith("FALSE:") and "counterexample (3 fields)" in out and "T20-3" in out

    def test_ungrammatical_claim_exits_2_with_one_line(self, capsys):
        """Text outside the grammar exits 2 with one line giving the nearest parse."""
        assert main(["claim", "under trump-2020, mines may be used anywhere"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and 'read "under trump-2020, ▸"' in err and "Traceback" not in err

    @pytest.mark.slow
    def test_json(self, capsys):
        """--json prints the answer, the classes checked and the counterexample."""
        assert main(["claim", "--json", TRUMP_ANYWHERE]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["answer"] == "false" and data["example"]["decisions"][0]["deciding_rules"] == ["T20-3", "T20-4"]
