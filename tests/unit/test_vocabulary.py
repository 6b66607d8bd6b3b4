"""The scenario vocabulary: the fixed core fields, typed values, validation with did-you-mean."""

from __future__ import annotations

import datetime as dt

import pytest

from policyengine.core.errors import PolicyFileError, ScenarioError
from policyengine.core.vocabulary import Field, Vocabulary, did_you_mean, load_vocabulary

CORE = {
    "activity": ("enum", {"use", "develop", "produce", "acquire", "retain", "destroy", "transfer", "assist",
                          "train"}),
    "mine": ("enum", {"anti_personnel", "anti_vehicle", "mixed_system", "directional_fragmentation"}),
    "activation": ("enum", {"victim", "command"}),
    "anti_handling_device": ("bool", set()),
    "persistence": ("enum", {"persistent", "non_persistent"}),
    "self_destruct_days": ("integer", set()),
    "delivery": ("enum", {"remote", "hand_emplaced"}),
    "detectable": ("bool", set()),
    "location": ("enum", {"korean_dmz", "south_korea", "north_korea", "elsewhere"}),
    "marked_area": ("bool", set()),
    "purpose": ("enum", {"combat", "defense_of_korea", "destruction", "mine_action", "countermine_training",
                         "training", "war_reserve"}),
    "authorization": ("enum", {"none", "unit_commander", "combatant_commander", "secretary_of_defense",
                               "president"}),
    "exceptional_circumstances": ("bool", set()),
    "condition": ("enum", {"serviceable", "inoperable_or_unsafe"}),
    "recipient": ("enum", {"none", "state", "non_state_actor"}),
    "recipient_apii_party": ("bool", set()),
    "live": ("bool", set()),
    "date": ("date", set()),
}


class TestContract:
    """policies/vocabulary.yaml keeps every core field and value of ARCHITECTURE.md section 3."""

    @pytest.mark.parametrize("name", sorted(CORE))
    def test_core_field_present_with_type_and_values(self, name, vocab):
        """The core field exists with its type, and lists at least the core values."""
        kind, values = CORE[name]
        spec = vocab.field(name)
        assert spec.type == kind
        assert values <= set(spec.values)

    def test_authorization_is_ordered_lowest_first(self, vocab):
        """authorization is ordered, each level including the ones before it."""
        spec = vocab.field("authorization")
        assert spec.ordered
        assert spec.values[:5] == ("none", "unit_commander", "combatant_commander", "secretary_of_defense",
                                   "president")
        assert spec.rank("none") < spec.rank("president")

    def test_self_destruct_days_is_non_negative(self, vocab):
        """self_destruct_days has minimum 0."""
        assert vocab.field("self_destruct_days").minimum == 0

    def test_every_field_is_described(self, vocab):
        """Every field, core or added, carries a description."""
        assert all(spec.description for spec in vocab.fields.values())


class TestDidYouMean:
    """Suggestions for misspelt names."""

    def test_close_match(self):
        """A close misspelling gets the nearest choice."""
        hint = did_you_mean("antipersonnel", ("anti_personnel", "anti_vehicle"))
        assert hint == "did you mean 'anti_personnel'?"

    def test_no_close_match_lists_choices(self):
        """A word close to nothing gets the list of choices."""
        assert did_you_mean("zzz", ("use", "retain")) == "expected one of: use, retain"


class TestCoerce:
    """Field.coerce turns scenario values (typed or strings) into the field's type."""

    def test_enum_value(self, vocab):
        """A known enum value is returned as is."""
        assert vocab.field("mine").coerce("anti_personnel") == "anti_personnel"

    def test_enum_unknown_value_suggests(self, vocab):
        """An unknown enum value fails naming the field, the value and a suggestion."""
        with pytest.raises(ScenarioError) as info:
            vocab.field("mine").coerce("antipersonnel", "here")
        assert str(info.value) == ("here: unknown value 'antipersonnel' for field 'mine'; "
                                   "did you mean 'anti_personnel'?")

    @pytest.mark.parametrize("raw, expected", [(True, True), (False, False), ("true", True), ("yes", True),
                                               ("1", True), ("False", False), ("no", False), ("off", False)])
    def test_bool_values(self, raw, expected, vocab):
        """Booleans and their usual spellings are accepted."""
        assert vocab.field("detectable").coerce(raw) is expected

    def test_bool_rejects_other_words(self, vocab):
        """A word that is not a boolean fails with the fix."""
        with pytest.raises(ScenarioError, match="field 'detectable' takes true or false, not 'maybe'"):
            vocab.field("detectable").coerce("maybe")

    @pytest.mark.parametrize("raw, expected", [(30, 30), ("30", 30), (" 7 ", 7), (0, 0)])
    def test_integer_values(self, raw, expected, vocab):
        """Integers and digit strings are accepted."""
        assert vocab.field("self_destruct_days").coerce(raw) == expected

    @pytest.mark.parametrize("raw", ["thirty", True, 2.5, None])
    def test_integer_rejects_non_integers(self, raw, vocab):
        """Words, booleans, floats and None are not whole numbers."""
        with pytest.raises(ScenarioError, match="takes a whole number"):
            vocab.field("self_destruct_days").coerce(raw)

    def test_integer_below_minimum(self, vocab):
        """A number below the field's minimum fails."""
        with pytest.raises(ScenarioError, match="must be at least 0, not -1"):
            vocab.field("self_destruct_days").coerce("-1")

    @pytest.mark.parametrize("raw", ["2021-03-01", dt.date(2021, 3, 1), dt.datetime(2021, 3, 1, 12, 0)])
    def test_date_values(self, raw, vocab):
        """ISO strings, dates and datetimes become dates."""
        assert vocab.field("date").coerce(raw) == dt.date(2021, 3, 1)

    @pytest.mark.parametrize("raw", ["2021-13-01", "March 2021", 20210301])
    def test_date_rejects_non_dates(self, raw, vocab):
        """Impossible dates, prose and numbers fail with the fix."""
        with pytest.raises(ScenarioError, match="takes an ISO date"):
            vocab.field("date").coerce(raw)

    def test_domain(self, vocab):
        """Enums and bools have finite domains; integers and dates have none."""
        assert vocab.field("persistence").domain() == ("persistent", "non_persistent")
        assert vocab.field("detectable").domain() == (False, True)
        assert vocab.field("self_destruct_days").domain() == ()
        assert vocab.field("date").domain() == ()


class TestValidate:
    """Vocabulary.validate and parse_pairs check a whole scenario."""

    def test_validate_types_every_value(self, vocab):
        """Every value is coerced to its field's type."""
        scenario = vocab.validate({"activity": "use", "detectable": "false", "self_destruct_days": "30",
                                   "date": "2021-03-01"})
        assert scenario == {"activity": "use", "detectable": False, "self_destruct_days": 30,
                            "date": dt.date(2021, 3, 1)}

    def test_unknown_field_suggests(self, vocab):
        """An unknown field fails naming it, with a suggestion."""
        with pytest.raises(ScenarioError) as info:
            vocab.validate({"locaton": "elsewhere"})
        assert "unknown field 'locaton'" in str(info.value)
        assert "did you mean 'location'?" in str(info.value)

    def test_not_a_mapping(self, vocab):
        """A scenario that is not a mapping fails with an example."""
        with pytest.raises(ScenarioError, match="a scenario is a mapping of field names to values, not list"):
            vocab.validate(["activity=use"])

    def test_parse_pairs(self, vocab):
        """`field=value` words become a typed scenario."""
        assert vocab.parse_pairs(["activity=use", "mine = anti_personnel", "self_destruct_days=2"]) == {
            "activity": "use", "mine": "anti_personnel", "self_destruct_days": 2}

    @pytest.mark.parametrize("word", ["activity", "activity=", "=use"])
    def test_parse_pairs_rejects_malformed_words(self, word, vocab):
        """A word without a name, an '=' or a value fails with an example."""
        with pytest.raises(ScenarioError, match="is not a field=value pair"):
            vocab.parse_pairs([word])

    def test_parse_pairs_names_the_origin(self, vocab):
        """The error names where the pairs came from."""
        with pytest.raises(ScenarioError, match="^command line: unknown value 'antipersonnel'"):
            vocab.parse_pairs(["mine=antipersonnel"])


class TestLoadVocabulary:
    """load_vocabulary reads vocabulary.yaml and reports malformed entries at file:line."""

    def test_loads_fields_in_order(self, tmp_path):
        """Fields keep file order, types, values, order flag, minimum and `added`."""
        path = tmp_path / "vocabulary.yaml"
        path.write_text("fields:\n"
                        "  level:\n    type: enum\n    ordered: true\n    description: d\n"
                        "    values: {low: l, high: h}\n"
                        "  days:\n    type: integer\n    min: 1\n    description: d\n    added: X-1\n")
        vocab = load_vocabulary(path)
        assert vocab.names == ("level", "days")
        assert vocab.field("level") == Field("level", "enum", "d", ("low", "high"), ordered=True)
        assert (vocab.field("days").minimum, vocab.field("days").added) == (1, "X-1")

    def test_no_fields_mapping(self, tmp_path):
        """A file without `fields:` is rejected."""
        path = tmp_path / "vocabulary.yaml"
        path.write_text("field: {}\n")
        with pytest.raises(PolicyFileError, match="no 'fields' mapping"):
            load_vocabulary(path)

    def test_field_without_type(self, tmp_path):
        """A field with no valid type is rejected at its line."""
        path = tmp_path / "vocabulary.yaml"
        path.write_text("fields:\n  activity:\n    type: enum\n    values: {use: u}\n"
                        "  mine:\n    type: text\n")
        with pytest.raises(PolicyFileError, match=r"vocabulary.yaml:5: field 'mine' needs a type"):
            load_vocabulary(path)

    def test_enum_without_values(self, tmp_path):
        """An enum field listing no values is rejected at its line."""
        path = tmp_path / "vocabulary.yaml"
        path.write_text("fields:\n  activity:\n    type: enum\n")
        message = r"vocabulary.yaml:2: enum field 'activity' lists no values"
        with pytest.raises(PolicyFileError, match=message):
            load_vocabulary(path)

    def test_vocabulary_object(self):
        """A Vocabulary built by hand answers field lookups."""
        vocab = Vocabulary(fields={"x": Field("x", "bool", "a flag")})
        assert vocab.field("x").type == "bool"
        with pytest.raises(ScenarioError, match="unknown field 'y'"):
            vocab.field("y")
