"""The claim forms students write: an instrument as subject, banned/allowed/every/any, periods,
`less strict than`, `not prohibited`, aliases, binding status, changes and provisions; each with a
TRUE and a FALSE instance and the provision or fact that settles it. Every example of the help and of
docs/claims.md parses, and a refusal offers the nearest sentence the checker accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyengine import claim
from policyengine.analysis.claims import Answer, parse_claim
from policyengine.analysis.claims.aliases import expand_aliases
from policyengine.analysis.claims.grammar import FORMS, MORE_EXAMPLES
from policyengine.cli.app import main
from policyengine.core.errors import ClaimError

ROOT = Path(__file__).resolve().parents[2]

# (form, TRUE instance, provision or word in its answer, FALSE instance, provision or word in its answer)
FORMS_TRUE_FALSE = [
    ("instrument as subject", "biden-2022 prohibits use of APL outside Korea", "B22-3",
     "biden-2022 prohibits use of APL in Korea", "B22-6"),
    ("banned and allowed",
     "under biden-2022, all scenarios where activity is transfer and mine is anti_personnel and purpose is "
     "destruction are allowed", "B22-2.destruction",
     "under biden-2022, every scenario where activity is use and location is elsewhere is banned", "counterexample"),
    ("every and any", "under biden-2022, any scenario where activity is transfer and purpose is combat is not allowed",
     "B22-2", "under biden-2022, every scenario where activity is use is prohibited", "B22-1.apl"),
    ("from D1 to D2", "between 2022-06-21 and 2025-12-01, US policy prohibits use of APL outside Korea", "B22-3",
     "from 2014-09-23 to 2022-06-20, US policy prohibits use of APL outside Korea", "2020-01-31"),
    ("since D", "since 2014-09-23, US policy prohibits activity is use and mine is anti_personnel and detectable "
     "is false", "2025-12-02",
     "since 2014-06-27, US policy prohibits activity is produce and mine is anti_personnel", "2020-01-31"),
    ("less strict than", "trump-2020 is less strict than biden-2022 where activity is develop and mine is "
     "anti_personnel", "B22-1",
     "biden-2022 is more permissive than trump-2020 where activity is develop and mine is anti_personnel", "T20-4"),
    ("not prohibited", "biden-2022 does not prohibit use of APL in Korea", "B22-6",
     "under biden-2022, all scenarios where activity is transfer and purpose is combat and location is elsewhere "
     "are not prohibited", "B22-2"),
    ("aliases: Korea, APL, export", "biden-2022 bans export of APL outside Korea and purpose is combat", "B22-2",
     "biden-2022 forbids use of APL in the DMZ", "B22-6"),
    ("binding status", "the US is bound by apii", "in force",
     "the US is bound by ottawa", "does not bind the US"),
    ("change", "US policy on use of APL outside Korea changed from permitted to prohibited on 2014-09-23", "O14-2",
     "US policy on use of APL outside Korea changed from permitted to prohibited on 2020-01-31", "No scenario"),
    ("provision applies", "B22-2 applies to export of APL outside Korea", "B22-2",
     "B22-6 applies to use of APL outside Korea", "counterexample"),
    ("provision decides", "B22-2 decides export of APL outside Korea and purpose is combat", "B22-2",
     "B22-2.destruction decides activity is transfer and purpose is destruction", "counterexample"),
]


#: forms whose answer searches every instrument in force over a period, or a change over time: slow
#: (tests/README.md)
OVER_A_PERIOD = {"from D1 to D2", "since D", "change"}


@pytest.mark.parametrize(("form", "true", "true_word", "false", "false_word"),
                         [pytest.param(*f, marks=pytest.mark.slow) if f[0] in OVER_A_PERIOD else f
                          for f in FORMS_TRUE_FALSE],
                         ids=[f[0] for f in FORMS_TRUE_FALSE])
def test_form_has_a_true_and_a_false_instance(form, true, true_word, false, false_word):
    """The TRUE instance is TRUE and the FALSE one FALSE, each with what settles it in the answer."""
    yes, no = claim(true), claim(false)
    assert yes.answer == Answer.TRUE, yes.words()
    assert no.answer == Answer.FALSE, no.words()
    assert true_word in yes.words() and false_word in no.words(), (yes.words(), no.words())


class TestAliases:
    def test_everyday_phrases_become_conditions(self):
        """`use of APL outside Korea` is three conditions; `in Korea` the three places of the Peninsula."""
        assert expand_aliases("biden-2022 prohibits use of APL outside Korea") == (
            "biden-2022 prohibits activity is use and mine is anti_personnel and location is elsewhere")
        assert "location is korean_dmz or south_korea or north_korea" in expand_aliases("use of APL in Korea")

    def test_value_aliases(self, vocab):
        """`outside_korea`, `APL` and `export` are read as the vocabulary's values."""
        plain = parse_claim("under biden-2022, all scenarios where activity is transfer and mine is anti_personnel "
                            "and location is elsewhere are prohibited", vocab)
        aliased = parse_claim("under biden-2022, all scenarios where activity is export and mine is APL and location "
                              "is outside_korea are prohibited", vocab)
        assert plain == aliased


def _docs_examples() -> list[str]:
    """Every claim quoted as an example in docs/claims.md (lines `policyengine claim "..."` and bullets)."""
    text = (ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
    return [t for t in re.findall(r'policyengine claim "([^"]+)"', text) if t != "..."]


@pytest.mark.parametrize("text", [*FORMS.values(), *MORE_EXAMPLES])
def test_every_help_example_parses(text, vocab):
    """Each example of `policyengine claim --help` is a sentence the checker accepts."""
    parse_claim(text, vocab)


def test_help_shows_the_examples(capsys):
    """The help lists every form's example and the extra examples."""
    with pytest.raises(SystemExit):
        main(["claim", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for text in [*FORMS.values(), *MORE_EXAMPLES]:
        assert " ".join(text.split()) in out


def test_every_docs_example_parses(vocab):
    """Each `policyengine claim "..."` example of docs/claims.md parses."""
    examples = _docs_examples()
    assert len(examples) >= 10
    for text in examples:
        parse_claim(text, vocab)


class TestRefusals:
    @pytest.mark.parametrize(("text", "nearest"), [
        ("biden-2022 prohibit use of APL outside Korea", "biden-2022 prohibits"),
        ("under biden-2022, all scenarios where activity is use is banned", None),
        ("the US is bound to apii", "the US is bound by apii"),
        ("under biden-2022 all scenario where activity is use are allowed", None),
    ])
    def test_refusal_offers_the_nearest_accepted_sentence(self, vocab, text, nearest):
        """A sentence just outside the grammar is refused with the nearest one the checker accepts,
        built from the student's own words."""
        try:
            parse_claim(text, vocab)
        except ClaimError as exc:
            message = str(exc)
            assert "the nearest sentence the checker accepts is" in message
            if nearest:
                assert nearest in message
        # a sentence that parses after all is fine: the repair was not needed
