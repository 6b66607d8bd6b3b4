"""The glossary: terms with the provisions that define or use them, from the policy files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli.app import main
from policyengine.core.errors import ScenarioError
from policyengine.explanation.glossary import entries, lookup, markdown

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


class TestEntries:
    def test_persistent_is_used_by_the_provisions_that_test_it(self):
        """`persistent` lists every rule whose condition tests persistence = persistent, per instrument."""
        (entry,) = lookup("persistent", pe.bundled())
        used = dict(entry.used_by)
        assert "T20-3" in used["trump-2020"] and "O14-6" in used["obama-2014"]
        expected = {r.id for r in pe.policy("trump-2020").rules if "persistent" in str(r.when)
                    and "non_persistent" not in str(r.when).replace("'persistent'", "")}
        assert expected <= set(used["trump-2020"])

    def test_defined_term_names_its_definitions_and_users(self):
        """A defined term lists each instrument's definition and the rules and scopes that use it."""
        (entry,) = lookup("landmine", pe.bundled())
        assert dict(entry.defined_by) == {"bush-2004": ("B04-2.landmine",), "trump-2020": ("T20-4.landmine",)}
        assert "scope" in dict(entry.used_by)["trump-2020"]

    @pytest.mark.parametrize("term, key", [("victim-activated", "victim"), ("mixed system", "mixed_system"),
                                           ("self-destruct", "self_destruct_days")])
    def test_words_find_terms(self, term, key):
        """A term in words finds its entry by name or meaning."""
        assert key in [e.key for e in lookup(term, pe.bundled())]

    def test_mixed_system_names_ottawa_definition(self):
        """The Ottawa definition of an APL defines the mixed-system term (it tests that value)."""
        (entry,) = lookup("mixed system", pe.bundled())
        assert ("ottawa", ("OTT-Art2.1",)) in entry.defined_by

    def test_unknown_term_suggests(self):
        """An unknown term is a ScenarioError with the nearest term."""
        with pytest.raises(ScenarioError, match="did you mean 'detectable'"):
            lookup("detectabel", pe.bundled())

    def test_every_provision_cited_exists(self):
        """Every provision the glossary cites is a rule or definition of the instrument it names."""
        for entry in entries(pe.bundled()):
            for policy_id, ids in (*entry.defined_by, *entry.used_by):
                policy = pe.policy(policy_id)
                known = set(policy.rule_ids()) | {d.id for d in policy.definitions} | {"scope"}
                assert set(ids) <= known, (entry.key, policy_id)


class TestDocument:
    def test_glossary_file_is_current(self):
        """docs/glossary.md is what the policy files give (POLICYENGINE_UPDATE_GOLDEN=1 rewrites it)."""
        if os.environ.get("POLICYENGINE_UPDATE_GOLDEN"):
            GLOSSARY.write_text(markdown(pe.bundled()), encoding="utf-8")
        assert GLOSSARY.read_text(encoding="utf-8") == markdown(pe.bundled())

    def test_explain_term(self, capsys):
        """`policyengine explain --term TERM` prints the entry; an unknown term exits 2."""
        assert main(["explain", "--term", "self-destruct"]) == 0
        out = capsys.readouterr().out
        assert "self destruct days" in out and "T20-5" in out
        assert main(["explain", "--term", "nonsense-word"]) == 2
