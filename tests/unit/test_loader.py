"""The loader: policy YAML to the model; every malformed file fails with file:line and a fix."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.core import conditions as c
from policyengine.core.errors import PolicyEngineError, PolicyFileError
from policyengine.core.loader import load_policy
from policyengine.registry import policy_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOOD = sorted((FIXTURES / "good").glob("*.yaml"))
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
MARK = "# <- defect"
EXPECT = re.compile(r"^# expect: (?P<pairs>.*?) => (?P<verdict>\w+)(?: \((?P<reason>\w+)\))?"
                    r" \[(?P<ids>[^\]]*)\]$")
CONTRACT_IDS = {"clinton-1996", "clinton-1998-pdd64", "bush-2004", "obama-2014", "trump-2020", "biden-2022",
                "trump-2025", "ottawa", "apii", "stat-export"}

# Bad fixtures the loader gets wrong today (see the final report); strict, so a fix shows up.


def bad_expectation(path: Path) -> tuple[str, int]:
    """The message substring of the first-line `# error:` comment and the line marked as the defect."""
    lines = path.read_text(encoding="utf-8").splitlines()
    match = re.match(r"^# error: (.+)$", lines[0])
    assert match, f"{path.name}: the first line must be '# error: <substring>'"
    marked = [number for number, line in enumerate(lines, start=1) if line.rstrip().endswith(MARK)]
    assert len(marked) == 1, f"{path.name}: mark exactly one line with '{MARK}'"
    return match.group(1).strip(), marked[0]


def bad_params() -> list:
    """One parameter per bad fixture."""
    return [pytest.param(path, id=path.stem) for path in BAD]


def good_params() -> list:
    """One parameter per `# expect:` line of each good fixture."""
    params = []
    for path in GOOD:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("# expect:"):
                params.append(pytest.param(path, line, id=f"{path.stem}:{number}"))
    return params


class TestBadFixtures:
    """Each file of tests/fixtures/bad carries one defect and fails with its message at its line."""

    def test_there_are_bad_fixtures(self):
        """The bad folder holds the fixtures the parametrized test runs over."""
        assert len(BAD) >= 20

    @pytest.mark.parametrize("path", bad_params())
    def test_bad_file_fails_with_message_and_line(self, path: Path, vocab):
        """Loading the file raises PolicyFileError naming the defect and its file:line."""
        substring, line = bad_expectation(path)
        with pytest.raises(PolicyFileError) as info:
            load_policy(path, vocab)
        text = str(info.value)
        assert isinstance(info.value, PolicyEngineError)
        assert substring in text
        assert f"bad/{path.name}:{line}:" in text, text

    @pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
    def test_bad_fixture_is_well_formed(self, path: Path):
        """Every bad fixture states its message and marks exactly one defect line."""
        substring, line = bad_expectation(path)
        assert substring and line > 1


class TestGoodFixtures:
    """Each file of tests/fixtures/good loads and gives the decisions its `# expect:` lines state."""

    @pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
    def test_good_file_loads_and_states_expectations(self, path: Path, vocab):
        """The file loads without error and states at least one expected decision."""
        policy = load_policy(path, vocab)
        assert policy.rules
        assert any(line.startswith("# expect:") for line in path.read_text(encoding="utf-8").splitlines())

    @pytest.mark.parametrize("path, line", good_params())
    def test_good_file_gives_expected_decision(self, path: Path, line: str, vocab):
        """The scenario of one `# expect:` line gets the stated verdict, reason and deciding rules."""
        match = EXPECT.match(line)
        assert match, f"malformed expectation: {line}"
        words = match.group("pairs").split()
        interpretation = dict(w[1:].split("=", 1) for w in words if w.startswith("@"))
        scenario = vocab.parse_pairs([w for w in words if not w.startswith("@")])
        judge = pe.load_policy(path)
        decision = pe.evaluate(scenario, policy=judge, interpretation=interpretation or None)
        ids = sorted(i.strip() for i in match.group("ids").split(",") if i.strip())
        assert decision.verdict == match.group("verdict")
        assert sorted(decision.deciding_rules) == ids
        if match.group("reason"):
            assert decision.reason == match.group("reason")


class TestPolicyFields:
    """Top-level keys become the Policy's fields."""

    def test_required_and_optional_keys(self, vocab):
        """Every top-level key of good/full.yaml lands in its field, lists and dates typed."""
        policy = load_policy(FIXTURES / "good" / "full.yaml", vocab)
        assert (policy.id, policy.title, policy.kind, policy.binds_us) == (
            "good-full", "A policy using every optional key", "executive_policy", True)
        assert policy.president == "A. President"
        assert policy.announced == dt.date(2020, 1, 31)
        assert (policy.in_force_from, policy.in_force_to) == (dt.date(2020, 1, 31), dt.date(2022, 6, 21))
        assert policy.replaces == ("good-minimal",)
        assert policy.supplements == ("good-dated",)
        assert policy.notes == "Free text shown with every decision."
        assert policy.resolution is None
        assert policy.path.endswith("full.yaml")

    def test_open_ended_in_force(self, vocab):
        """`to: null` means still in force."""
        policy = load_policy(FIXTURES / "good" / "minimal.yaml", vocab)
        assert policy.in_force_to is None
        assert policy.in_force_on(dt.date(2099, 1, 1))
        assert not policy.in_force_on(dt.date(2019, 12, 31))

    def test_in_force_to_is_exclusive(self, vocab):
        """The `to` day is the day the instrument was replaced, so it is no longer in force that day."""
        policy = load_policy(FIXTURES / "good" / "full.yaml", vocab)
        assert policy.in_force_on(dt.date(2022, 6, 20))
        assert not policy.in_force_on(dt.date(2022, 6, 21))
        assert policy.in_force_on(dt.date(2020, 1, 31))

    def test_resolution(self, vocab):
        """`resolution: prohibition_overrides` is kept on the policy."""
        policy = load_policy(FIXTURES / "good" / "resolution.yaml", vocab)
        assert policy.resolution == "prohibition_overrides"

    def test_sources(self, vocab):
        """Sources keep title, url, optional date and evidence tag."""
        policy = load_policy(FIXTURES / "good" / "full.yaml", vocab)
        s1, s2 = policy.sources["S1"], policy.sources["S2"]
        assert (s1.title, s1.url, s1.date, s1.evidence) == (
            "A source", "https://example.org/s1", dt.date(2020, 1, 31), "primary_seen")
        assert (s2.date, s2.evidence) == (None, "secondary")

    def test_not_rules(self, vocab):
        """not_rules keep id, kind, reason and an optional source."""
        policy = load_policy(FIXTURES / "good" / "full.yaml", vocab)
        goal, process = policy.not_rules
        assert (goal.id, goal.kind, goal.source.id, goal.quote) == ("F-G", "policy_goal", "S1",
                                                                     "we will pursue alternatives")
        assert (process.id, process.kind, process.source) == ("F-P", "process", None)


class TestRuleFields:
    """Rule keys become the Rule's fields."""

    def rules(self, vocab):
        """The rules of good/full.yaml by id."""
        return {r.id: r for r in load_policy(FIXTURES / "good" / "full.yaml", vocab).rules}

    def test_evidence_defaults_to_the_source(self, vocab):
        """A rule without `evidence` takes its source's tag; one with it keeps its own."""
        rules = self.rules(vocab)
        assert rules["F-1"].evidence == "primary_seen"
        assert rules["F-2"].evidence == "news_article_only"
        assert rules["F-2"].source.id == "S2"

    def test_confidence_and_note(self, vocab):
        """Confidence defaults to high; a low rule keeps its note."""
        rules = self.rules(vocab)
        assert (rules["F-1"].confidence, rules["F-1"].low_confidence) == ("high", False)
        assert (rules["F-2"].confidence, rules["F-2"].low_confidence) == ("low", True)
        assert rules["F-2"].note == "only a news report says so"

    def test_title_exceptions_and_inheritance(self, vocab):
        """Title, exception_to (a tuple) and inherited_from are kept."""
        rules = self.rules(vocab)
        assert rules["F-3"].title == "Self-destruct within 30 days"
        assert rules["F-3"].exception_to == ("F-1",)
        assert rules["F-3"].inherited_from == "good-dated"
        assert rules["F-1"].exception_to == ()

    def test_exception_to_as_a_single_id(self, vocab):
        """`exception_to: ID` (a string) is read as a one-item list."""
        policy = load_policy(FIXTURES / "good" / "exceptions.yaml", vocab)
        assert policy.rules[2].exception_to == ("E-1.destruction",)

    def test_rule_line(self, vocab):
        """Each rule remembers the line of its entry in the file."""
        path = FIXTURES / "good" / "full.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        rule = self.rules(vocab)["F-3"]
        assert lines[rule.line - 1].strip() == "- id: F-3"

    def test_dates_become_conditions_on_date(self, vocab):
        """`from`/`until` are kept and added to the rule's condition as inclusive tests on `date`."""
        policy = load_policy(FIXTURES / "good" / "dated.yaml", vocab)
        until, since = policy.rules
        assert (until.start, until.end) == (None, dt.date(2010, 12, 31))
        assert (since.start, since.end) == (dt.date(2011, 1, 1), None)
        assert c.Test("date", "lte", (dt.date(2010, 12, 31),)) in c.tests_of(until.condition)
        assert c.Test("date", "gte", (dt.date(2011, 1, 1),)) in c.tests_of(since.condition)
        assert "date" not in c.fields_of(until.when)

    def test_undated_rule_condition_is_its_when(self, vocab):
        """A rule without dates has its `when` as its condition."""
        rule = self.rules(vocab)["F-1"]
        assert rule.condition == rule.when

    def test_quote_whitespace_is_normalized(self, write_policy, vocab):
        """A folded multi-line quote is stored on one line with single spaces."""
        path = write_policy("""\
            id: p
            title: t
            kind: statute
            binds_us: true
            announced: 2020-01-01
            in_force: {from: 2020-01-01, to: null}
            scope: {mine: anti_personnel}
            sources:
              S1: {title: s, url: u, evidence: secondary}
            rules:
              - id: R-1
                effect: prohibited
                when: {activity: use}
                source: S1
                quote: >-
                  no   use
                  of mines
            """)
        assert load_policy(path, vocab).rules[0].quote == "no use of mines"


class TestDefinitionsAndScope:
    """Definitions are named conditions; the scope may rest on one."""

    def test_definition_fields(self, vocab):
        """A definition keeps id, term, source and quote."""
        policy = load_policy(FIXTURES / "good" / "definitions.yaml", vocab)
        (definition,) = policy.definitions
        assert (definition.id, definition.term, definition.source.id) == (
            "D-DEF", "anti_personnel_mine", "S1")
        assert definition.quote.startswith("a mine designed")

    def test_scope_long_form_rests_on_the_definition(self, vocab):
        """`scope: {when: {defined: term}, ...}` parses to a Defined condition citing the definition."""
        policy = load_policy(FIXTURES / "good" / "definitions.yaml", vocab)
        assert isinstance(policy.scope, c.Defined)
        assert (policy.scope.term, policy.scope.definition) == ("anti_personnel_mine", "D-DEF")

    def test_definition_used_in_a_rule(self, make_policy):
        """`defined: term` in a rule's `when` stands for the definition's condition."""
        judge = make_policy("""\
            - id: R-1
              effect: prohibited
              when: {activity: use, defined: claymore}
              source: S1
              quote: q
            """, extra="""\
            definitions:
              - id: DEF-C
                term: claymore
                when: {mine: directional_fragmentation}
                source: S1
                quote: a claymore
            """, scope="{mine: {not: anti_vehicle}}")
        hit = pe.evaluate({"activity": "use", "mine": "directional_fragmentation"}, policy=judge)
        miss = pe.evaluate({"activity": "use", "mine": "anti_personnel"}, policy=judge)
        assert (hit.verdict, hit.deciding_rules) == ("prohibited", ("R-1",))
        assert (miss.verdict, miss.reason, miss.deciding_rules) == ("not_addressed", "no_rule_applies", ())


class TestInterpretationsLoading:
    """Interpretations and the rule versions tagged with their readings."""

    def test_interpretation_fields(self, vocab):
        """Question, readings, default and brief are kept."""
        policy = load_policy(FIXTURES / "good" / "interpretations.yaml", vocab)
        spec = policy.interpretations["korea-reading"]
        assert spec.question == "Is the transfer ban carved out for Korea?"
        assert tuple(spec.readings) == ("framing", "literal")
        assert (spec.default, spec.brief) == ("framing", "section 3 item 4")
        assert policy.default_selection == {"korea-reading": "framing"}

    def test_versions_of_one_id(self, vocab):
        """Two versions of I-2 tagged with different readings load, each holding under its reading."""
        policy = load_policy(FIXTURES / "good" / "interpretations.yaml", vocab)
        framing, literal = policy.rules_named("I-2")
        assert framing.holds_under({"korea-reading": "framing"})
        assert not framing.holds_under({"korea-reading": "literal"})
        assert literal.holds_under({"korea-reading": "literal"})
        assert policy.rule_ids() == ("I-2", "I-2.korea")

    def test_same_id_same_reading_is_a_duplicate(self, make_policy):
        """Two versions tagged with the same reading are duplicate ids."""
        extra = """\
            interpretations:
              k:
                question: q
                readings: {a: one, b: other}
                default: a
            """
        rule = """\
            - id: R-1
              effect: prohibited
              when: {activity: use}
              interpretation: {k: a}
              source: S1
              quote: q
            """
        message = r"policy\.yaml:\d+: duplicate rule id 'R-1' \(first at line \d+\)"
        with pytest.raises(PolicyFileError, match=message):
            make_policy(textwrap.dedent(rule) * 2, extra=extra)

    def test_untagged_and_tagged_versions_are_duplicates(self, make_policy):
        """An untagged rule and a tagged one with the same id clash (the untagged one holds everywhere)."""
        extra = """\
            interpretations:
              k:
                question: q
                readings: {a: one, b: other}
                default: a
            """
        rules = """\
            - id: R-1
              effect: prohibited
              when: {activity: use}
              source: S1
              quote: q
            - id: R-1
              effect: permitted
              when: {activity: use}
              interpretation: {k: b}
              source: S1
              quote: q
            """
        with pytest.raises(PolicyFileError, match="duplicate rule id 'R-1'"):
            make_policy(rules, extra=extra)


class TestFileErrors:
    """Problems with the file itself."""

    def test_missing_file(self, tmp_path: Path, vocab):
        """A path that does not exist fails with PolicyFileError naming the path."""
        path = tmp_path / "nowhere.yaml"
        with pytest.raises(PolicyFileError, match="cannot read the file") as info:
            load_policy(path, vocab)
        assert str(path) in str(info.value)

    def test_empty_file(self, write_policy, vocab):
        """An empty file is not a policy."""
        with pytest.raises(PolicyFileError, match="the policy must be a mapping"):
            load_policy(write_policy(""), vocab)

    def test_public_load_policy_raises_the_same_error(self):
        """`pe.load_policy` raises the loader's PolicyFileError for a bad file."""
        bad = FIXTURES / "bad" / "unknown_field.yaml"
        with pytest.raises(PolicyFileError, match="did you mean 'location'"):
            pe.load_policy(bad)


class TestBundledPolicies:
    """The instruments shipped under policies/ load cleanly."""

    @pytest.mark.parametrize("path", policy_files(), ids=[p.stem for p in policy_files()])
    def test_bundled_file_loads(self, path: Path, vocab):
        """Each bundled policy file loads and has an id fixed by the design contract."""
        policy = load_policy(path, vocab)
        assert policy.id in CONTRACT_IDS
        assert policy.rules
