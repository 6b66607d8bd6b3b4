"""Objects read well in a terminal and a notebook: short reprs, a sentence for str(), HTML and rich."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

import policyengine as pe

APL_USE = {"activity": "use", "mine": "anti_personnel"}
CONDITIONAL = {**APL_USE, "persistence": "non_persistent", "location": "elsewhere"}
FOR_DESTRUCTION = {"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction"}


def returned_objects() -> dict[str, object]:
    """One of each object the API returns."""
    decision = pe.evaluate(FOR_DESTRUCTION, policy="biden-2022")
    assessment = pe.evaluate_on(APL_USE, "2021-03-01")
    policy = pe.policy("biden-2022")
    return {
        "policies": pe.policies(), "policy": policy, "rule": policy.rules[0], "decision": decision,
        "conditional": pe.evaluate(CONDITIONAL, policy="trump-2020"), "assessment": assessment,
        "layer": assessment.layers[0], "in_force": pe.in_force("2021-03-01"), "across": pe.across(FOR_DESTRUCTION),
        "load_policy": pe.load_policy(pe.policy("biden-2022").path), "vocabulary": pe.vocabulary(),
        "timeline": pe.timeline(), "corpus": pe.bundled(), "diff": pe.diff("trump-2020", "biden-2022"),
        "diff_class": pe.diff("trump-2020", "biden-2022").classes[0],
        "trace": pe.evaluate(CONDITIONAL, policy="trump-2020").trace,
        "comparison": pe.compare("obama-2014", "biden-2022"), "implication": pe.implies("obama-2014", "biden-2022"),
        "in_force_entry": pe.in_force("2021-03-01")[0],
        "claim": pe.claim("under trump-2020, all scenarios where activity is use are permitted"),
    }


OBJECTS = returned_objects()


class TestRepr:
    """A repr is one short line that names the object and its answer."""

    def test_policies_repr_is_short(self):
        """The acceptance line: len(repr(pe.policies())) < 2000, naming every id."""
        text = repr(pe.policies())
        assert len(text) < 2000
        assert all(p.id in text for p in pe.policies())

    @pytest.mark.parametrize("name", sorted(OBJECTS))
    def test_every_repr_is_one_short_line(self, name):
        """Every returned object's repr is a single line under 400 characters."""
        text = repr(OBJECTS[name])
        assert "\n" not in text and len(text) < 400, text

    def test_decision_repr_names_verdict_and_provision(self):
        """A decision's repr says the instrument, the verdict and the deciding provision."""
        assert repr(OBJECTS["decision"]) == "<Decision biden-2022: permitted by B22-2.destruction>"

    def test_conditional_repr_counts_the_outcomes(self):
        """A conditional decision's repr names the possible verdicts and how many cases."""
        decision = OBJECTS["conditional"]
        assert repr(decision).startswith("<Decision trump-2020: conditional, ")
        assert f"in {len(decision.residual)} cases" in repr(decision)

    def test_str_is_the_sentence(self):
        """str() of a decision is its one-sentence explanation, not its repr."""
        decision = OBJECTS["decision"]
        assert str(decision) == pe.explain(decision, level="short").splitlines()[1].strip()
        assert str(decision) != repr(decision)

    def test_load_policy_repr(self):
        """A loaded policy file shows its id, not an object address."""
        assert "0x" not in repr(OBJECTS["load_policy"]) and "biden-2022" in repr(OBJECTS["load_policy"])


class TestNotebook:
    """Every returned object has an HTML form for notebooks, and a rich form for the terminal."""

    @pytest.mark.parametrize("name", sorted(OBJECTS))
    def test_every_object_has_repr_html(self, name):
        """_repr_html_ returns an HTML fragment."""
        html = OBJECTS[name]._repr_html_()
        assert html.startswith("<") and html.endswith(">")

    def test_decision_html_has_verdict_quote_and_source(self):
        """The decision's HTML shows the verdict in words, the quote and the source URL, escaped."""
        decision = OBJECTS["decision"]
        html = decision._repr_html_()
        citation = decision.sources[0]
        assert ">permitted<" in html
        assert citation.url in html
        assert "&ldquo;" + citation.quote.replace("&", "&amp;") in html

    def test_html_is_escaped(self):
        """Text that looks like markup is escaped in the HTML."""
        from policyengine.show.display import html_table

        assert "<script>" not in html_table(("a",), [("<script>alert(1)</script>",)])

    @pytest.mark.parametrize("name", ["decision", "conditional", "assessment", "policy", "policies", "in_force",
                                      "across", "diff", "corpus", "timeline"])
    def test_rich_renders_the_verdicts(self, name):
        """__rich__ renders in a console and shows the ids whole."""
        out = io.StringIO()
        Console(file=out, width=100).print(OBJECTS[name])
        text = out.getvalue()
        assert text.strip()
        if name == "decision":
            assert "B22-2.destruction" in text and "permitted" in text
        if name == "diff":
            assert "[anti_personnel, mixed_system]" in text  # cells are text, never rich markup


class TestDataObjects:
    """across() and in_force() return data with to_dict() and a text view."""

    def test_across_keeps_its_text(self):
        """str(across) is the text view; format= still returns a string as before."""
        view = OBJECTS["across"]
        assert str(view) == view.render() == pe.across(FOR_DESTRUCTION, format="text")
        assert json.loads(pe.across(FOR_DESTRUCTION, format="json"))["periods"] == view.to_dict()["periods"]

    def test_across_data(self):
        """The periods and changes are data: biden-2022's period is permitted by B22-2.destruction."""
        view = OBJECTS["across"]
        biden = [p for p in view.periods if p.policy == "biden-2022"]
        assert [(p.decision.verdict, p.decision.deciding_rules) for p in biden] == \
            [("permitted", ("B22-2.destruction",))]
        assert view.to_dict()["scenario"] == FOR_DESTRUCTION
        assert len(view.changes) == len(view.to_dict()["changes"])

    def test_in_force_is_a_tuple_with_data(self):
        """in_force() still iterates as InForce entries and adds the date, President and to_dict()."""
        standing = OBJECTS["in_force"]
        assert [f.policy.id for f in standing] == ["trump-2020", "stat-export", "apii", "ottawa"]
        assert standing.president == "Joseph R. Biden"
        data = standing.to_dict()
        assert data["date"] == "2021-03-01" and [e["policy"] for e in data["in_force"]] == [f.policy.id
                                                                                         for f in standing]
        assert "carried over" in str(standing)

    def test_policies_is_a_tuple_with_data(self):
        """policies() is still a tuple of Policy, with ids and to_dict()."""
        found = pe.policies()
        assert isinstance(found, tuple) and found[0] is pe.policies()[0]
        assert found.ids == tuple(p.id for p in found)
        assert found.to_dict()[0]["id"] == found[0].id

    def test_timeline_draws_itself(self):
        """pe.timeline() is the instruments in order; in a notebook an SVG with a bar per instrument."""
        found = pe.timeline()
        assert [p.id for p in found] == [p.id for p in pe.policies()]
        svg = found._repr_html_()
        assert svg.startswith("<svg") and all(f'data-policy="{p.id}"' in svg for p in found)
        assert found.to_dict()[-1]["policy"] == "trump-2025"
        biden = next(row for row in found.to_dict() if row["policy"] == "biden-2022")
        assert (biden["replaced_by"], biden["issued_under"]) == ("trump-2025", "Joseph R. Biden")
