"""Across instruments: `policyengine explain --across ...` and `pe.across(...)`.

One scenario under every bundled instrument as a table (instrument, in force from and to, verdict,
deciding provisions), split where an instrument's own dated provisions change its answer, then one
sentence per change of the executive answer naming the provisions on both sides.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import ClassVar

import pytest

import policyengine as pe
from policyengine.cli import app as cli
from policyengine import registry
from policyengine.analysis.across import Shift
from policyengine.explanation.why import verdict_words
from policyengine.testing.suites import named

FOR_DESTRUCTION = "transfer-apl-for-destruction"
TEN = ("stat-export", "clinton-1996", "clinton-1998-pdd64", "ottawa", "apii", "bush-2004", "obama-2014",
       "trump-2020", "biden-2022", "trump-2025")
DAY = dt.timedelta(days=1)
COLUMNS = ["instrument", "kind", "from", "to", "verdict", "deciding provisions", "flags"]


def across(fields: dict, interpretation: dict | None = None) -> dict:
    """The across view of a scenario as parsed JSON."""
    return json.loads(pe.across(fields, interpretation, format="json"))


def executive() -> set[str]:
    """The ids of the executive policies."""
    return {p.id for p in pe.policies() if p.kind == "executive_policy"}


def side(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """One side of a change sentence: the policies named, the provisions named, the verdict words."""
    if text == "no executive policy was in force":
        return (), (), None
    if text.endswith(" did not address it"):
        return tuple(text[:-len(" did not address it")].split(" and ")), (), None
    excepted = re.fullmatch(r"(.*) excepted it from .* \((.*)\)", text)
    if excepted:
        head, verdict = excepted.groups()
    else:
        head, verdict = re.split(r" (?:made|had|left) it ", text)
        verdict = verdict.removesuffix(" (not affected)")
    policy, _, rules = head.partition(" ")
    return (policy,), tuple(rules.split(", ")) if rules else (), verdict


def changes(data: dict) -> list[tuple[dt.date, tuple, tuple]]:
    """The change sentences of an across view, parsed: date, the side after, the side before."""
    out = []
    for change in data["changes"]:
        match = re.fullmatch(r"(\d{4}-\d\d-\d\d): (.*); before, (.*)", change["text"])
        assert match, change["text"]
        assert match.group(1) == change["date"]
        out.append((dt.date.fromisoformat(match.group(1)), side(match.group(2)), side(match.group(3))))
    return out


class TestAcceptance:
    """`policyengine explain --across --scenario transfer-apl-for-destruction`."""

    def test_lists_all_ten_instruments(self, capsys, monkeypatch):
        """On a wide terminal the table has a row for each of the ten instruments, with its dates,
        verdict and provisions (a narrow one gets a record per instrument: tests/unit/test_columns.py)."""
        monkeypatch.setenv("COLUMNS", "200")
        status = cli.main(["explain", "--across", "--scenario", FOR_DESTRUCTION])
        out, err = capsys.readouterr()
        assert status == 0 and err == ""
        lines = out.splitlines()
        assert lines[0] == "the scenario across instruments"
        header = lines.index("  instruments:") + 1
        assert lines[header].split() == ["instrument", "kind", "from", "to", "verdict", "deciding", "provisions",
                                         "flags"]
        table = lines[header + 1: lines.index("  when the executive answer changed:")]
        listed = {row.split()[0] for row in table}
        assert listed == set(TEN) == set(registry.evaluators())
        assert "under each of the 10 instruments" in " ".join(lines[1:3])

    def test_states_when_the_answer_changed_and_by_which_provisions(self, capsys):
        """The 2022 policy's exception for destruction permitted what the 2020 policy left unaddressed."""
        before = pe.evaluate(named(FOR_DESTRUCTION, pe.vocabulary()).fields, policy="trump-2020")
        after = pe.evaluate(named(FOR_DESTRUCTION, pe.vocabulary()).fields, policy="biden-2022")
        assert (before.verdict, after.verdict, after.deciding_rules) == (
            "not_addressed", "permitted", ("B22-2.destruction",))
        cli.main(["explain", "--across", "--scenario", FOR_DESTRUCTION])
        out = " ".join(capsys.readouterr().out.split())
        assert ("- 2022-06-21: biden-2022 B22-2.destruction excepted it from B22-2 (permitted); before, "
                "trump-2020 did not address it") in out

    def test_a_policy_that_left_anti_vehicle_mines_alone_did_not_make_them_permitted(self, capsys):
        """clinton-1996 did not affect anti-vehicle mines (C96-4): it left their use permitted."""
        cli.main(["explain", "--across", "activity=use", "mine=anti_vehicle", "persistence=non_persistent",
                  "location=elsewhere"])
        out = " ".join(capsys.readouterr().out.split())
        assert "- 1996-05-16: clinton-1996 C96-4 left it permitted (not affected); before, no executive " \
               "policy was in force" in out
        assert "made it permitted" not in out

    def test_an_exception_to_a_new_ban_excepted_it(self, capsys):
        """The Korea exception of 1996 excepted persistent APL on the DMZ from the new ban C96-1."""
        cli.main(["explain", "--across", "activity=use", "mine=anti_personnel", "persistence=persistent",
                  "location=korean_dmz", "along_border=true", "marked_area=true", "detectable=true",
                  "purpose=defense_of_korea"])
        out = " ".join(capsys.readouterr().out.split())
        assert "- 1996-05-16: clinton-1996 C96-1.korea, C96-1k excepted it from C96-1 (permitted)" in out

    def test_a_permission_after_a_ban_made_it_permitted(self):
        """Only a permission that follows a ban or a condition changes the answer to permitted."""
        after = pe.evaluate(named(FOR_DESTRUCTION, pe.vocabulary()).fields, policy="biden-2022")
        barred = pe.evaluate({**named(FOR_DESTRUCTION, pe.vocabulary()).fields, "date": "2000-01-01"}, policy="clinton-1996")
        assert barred.verdict == "prohibited"
        made = Shift(dt.date(2022, 6, 21), barred, ("clinton-1996",), after, ("biden-2022",))
        assert "biden-2022 B22-2.destruction made it permitted" in made.sentence()

    def test_the_count_of_changes_is_the_number_of_sentences(self, capsys):
        """The summary's count of changes is the number of change sentences that follow."""
        cli.main(["explain", "--across", "--scenario", FOR_DESTRUCTION])
        lines = capsys.readouterr().out.splitlines()
        count = int(re.search(r"changed (\d+) times?", " ".join(lines[1:3])).group(1))
        start = lines.index("  when the executive answer changed:") + 1
        sentences = [line for line in lines[start:lines.index("  provisions:")] if line.startswith("  - ")]
        assert count == len(sentences) >= 1

    def test_ottawa_is_marked_as_not_binding(self, capsys):
        """The view notes that Ottawa never bound the US."""
        cli.main(["explain", "--across", "--scenario", FOR_DESTRUCTION])
        out = capsys.readouterr().out
        assert "ottawa is reported as if the US were a party; it never bound the US." in out


class TestTable:
    """Each row is an instrument's answer over a stretch of its period of force."""

    SCENARIOS: ClassVar = [FOR_DESTRUCTION, "use-self-deactivating-mine-outside-korea", "row-01-persistent-apl-korea",
                 "row-32-export-apl-to-ally-for-operational-use"]

    @pytest.mark.parametrize("name", SCENARIOS)
    def test_rows_are_the_instruments_answers(self, name):
        """Each row's verdict and provisions are the instrument's decision on the row's first day."""
        fields = dict(named(name, pe.vocabulary()).fields)
        for row in across(fields)["periods"]:
            decision = pe.evaluate({**fields, "date": row["from"]}, policy=row["policy"])
            assert (row["verdict"], row["reason"], row["deciding_rules"]) == (
                decision.verdict, decision.reason, list(decision.deciding_rules)), row

    @pytest.mark.parametrize("name", SCENARIOS)
    def test_rows_cover_each_period_of_force(self, name):
        """An instrument's rows run from its entry into force to its end, without gap, each a new answer."""
        periods = across(dict(named(name, pe.vocabulary()).fields))["periods"]
        for policy in pe.policies():
            rows = [row for row in periods if row["policy"] == policy.id]
            assert rows, policy.id
            assert rows[0]["from"] == policy.in_force_from.isoformat()
            assert rows[-1]["to"] == (policy.in_force_to.isoformat() if policy.in_force_to else None)
            for earlier, later in itertools.pairwise(rows):
                assert earlier["to"] == later["from"]
                assert (earlier["verdict"], earlier["deciding_rules"]) != (
                    later["verdict"], later["deciding_rules"])

    def test_dated_provision_splits_an_instrument(self):
        """bush-2004's bar on persistent mines after 2010 splits its period on 2011-01-01."""
        fields = dict(named("row-01-persistent-apl-korea", pe.vocabulary()).fields)
        rows = [row for row in across(fields)["periods"] if row["policy"] == "bush-2004"]
        assert [(row["from"], row["to"]) for row in rows] == [("2004-02-27", "2011-01-01"),
                                                               ("2011-01-01", "2014-09-23")]
        assert rows[1]["verdict"] == "prohibited" and "B04-2" in rows[1]["deciding_rules"]

    def test_text_table_matches_the_data(self):
        """The plain-text table shows each period's instrument, dates, verdict and provisions."""
        fields = dict(named(FOR_DESTRUCTION, pe.vocabulary()).fields)
        text = str(pe.across(fields))
        for row in across(fields)["periods"]:
            cells = [row["policy"], row["from"], row["to"] or "(in force)",
                     verdict_words(row["verdict"], row["reason"]), ", ".join(row["deciding_rules"])]
            assert any(all(cell in line for cell in cells) and line.split()[0] == row["policy"]
                       for line in text.splitlines()), cells

    def test_interpretation_is_applied(self):
        """A reading chosen for one instrument changes that instrument's row."""
        fields = dict(named("row-34-transfer-apl-to-rok-for-defense-of-korea", pe.vocabulary()).fields)
        default = [r for r in across(fields)["periods"] if r["policy"] == "biden-2022"]
        literal = [r for r in across(fields, {"b22-2-korea": "literal"})["periods"]
                   if r["policy"] == "biden-2022"]
        assert [(r["verdict"], r["deciding_rules"]) for r in default] == [("not_addressed", [])]
        assert [(r["verdict"], r["deciding_rules"]) for r in literal] == [("prohibited", ["B22-2"])]


class TestChanges:
    """One sentence per change of the executive answer, naming the provisions on both sides."""

    @pytest.mark.parametrize("name", TestTable.SCENARIOS)
    def test_each_side_is_the_instruments_decision(self, name):
        """Each change names the instrument and provisions deciding on its day and on the day before."""
        fields = dict(named(name, pe.vocabulary()).fields)
        for day, after, before in changes(across(fields)):
            for (policies, rules, verdict), when in ((after, day), (before, day - DAY)):
                assert set(policies) <= executive()
                for policy in policies:
                    assert pe.policy(policy).in_force_on(when), (policy, when)
                if verdict is None:  # "did not address it"
                    assert all(pe.evaluate({**fields, "date": when}, policy=p).verdict == "not_addressed"
                               for p in policies)
                    continue
                decision = pe.evaluate({**fields, "date": when}, policy=policies[0])
                assert verdict == verdict_words(decision.verdict, decision.reason)
                assert rules == decision.deciding_rules

    @pytest.mark.parametrize("name", TestTable.SCENARIOS)
    def test_each_change_is_a_change_of_verdict(self, name):
        """The verdicts on the two sides of a change differ, and the changes are in date order."""
        found = changes(across(dict(named(name, pe.vocabulary()).fields)))
        for _, after, before in found:
            assert after[2] != before[2]
        assert [day for day, _, _ in found] == sorted(day for day, _, _ in found)

    @pytest.mark.slow
    def test_unchanged_answer_is_said_to_have_never_changed(self):
        """A scenario no executive policy ever addressed says so; the others list the changes."""
        vocab = registry.vocabulary()
        quiet = 0
        for activity in vocab.field("activity").domain():
            for mine in vocab.field("mine").domain():
                data = across({"activity": activity, "mine": mine})
                blocks = {b["heading"]: [line["text"] for line in b["lines"]] for b in data["blocks"]}
                said = blocks["when the executive answer changed"]
                if data["changes"]:
                    assert said == [c["text"] for c in data["changes"]]
                else:
                    quiet += 1
                    assert said == ["no executive policy ever addressed it"]
                    assert "changed 0 times" in data["summary"]
        assert quiet


class TestFormats:
    """Plain text by default; Markdown with a pipe table; JSON with the periods and the changes."""

    def test_markdown_table(self):
        """Markdown: a level-2 title, level-3 sections and a pipe table of the periods."""
        lines = pe.across(dict(named(FOR_DESTRUCTION, pe.vocabulary()).fields), format="markdown").splitlines()
        assert lines[0] == "## the scenario across instruments"
        assert "### instruments" in lines and "### when the executive answer changed" in lines
        at = lines.index("| " + " | ".join(COLUMNS) + " |")
        assert lines[at + 1] == "|---|---|---|---|---|---|---|"
        assert "| biden-2022 | executive | 2022-06-21 | 2025-12-02 | permitted | B22-2.destruction |  |" in lines

    def test_json(self):
        """JSON: each period with policy, dates, verdict, reason and provisions, and each change in words."""
        data = across(dict(named(FOR_DESTRUCTION, pe.vocabulary()).fields))
        assert data["title"] == "the scenario across instruments"
        assert {tuple(sorted(p)) for p in data["periods"]} == {
            ("deciding_rules", "from", "policy", "reason", "to", "verdict")}
        biden = [p for p in data["periods"] if p["policy"] == "biden-2022"]
        assert biden == [{"policy": "biden-2022", "from": "2022-06-21", "to": "2025-12-02",
                          "verdict": "permitted", "reason": None, "deciding_rules": ["B22-2.destruction"]}]
        assert all(set(c) == {"date", "text"} for c in data["changes"])

    @pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
    def test_cli_format(self, capsys, monkeypatch, fmt):
        """`--across --format` prints what pe.across returns (text wrapped to the output's width, here
        wide enough for the table)."""
        monkeypatch.setenv("COLUMNS", "200")
        cli.main(["explain", "--across", "--scenario", FOR_DESTRUCTION, "--format", fmt])
        out, api = capsys.readouterr().out, pe.across(dict(named(FOR_DESTRUCTION, pe.vocabulary()).fields),
                                                      format=fmt) + "\n"
        if fmt == "text":
            out, api = "".join(out.split()), "".join(api.split())
        assert out == api

    def test_date_of_the_scenario_is_ignored(self):
        """A date in the scenario does not restrict the view: each instrument is shown over its period."""
        fields = dict(named(FOR_DESTRUCTION, pe.vocabulary()).fields)
        assert str(pe.across({**fields, "date": "2023-01-01"})) == str(pe.across(fields))

    def test_provisions_named_are_cited(self):
        """Each provision a change sentence names is cited with its quote and URL."""
        fields = dict(named(FOR_DESTRUCTION, pe.vocabulary()).fields)
        text = " ".join(str(pe.across(fields)).split())
        cited = registry.evaluator("biden-2022").citation("B22-2.destruction")
        assert cited.quote in text and cited.url in text
