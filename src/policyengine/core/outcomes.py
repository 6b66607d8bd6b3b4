"""Named outcomes, as Catala names its conflict and empty cases: verdicts, reasons and flag kinds.

Each is a `str` enum, so it compares equal to its plain value (`Verdict.PERMITTED == "permitted"`),
prints as it and serialises to JSON unchanged.
"""

from __future__ import annotations

import enum


class Named(str, enum.Enum):
    """A named outcome: a `str` that prints, formats and serialises as its value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Verdict(Named):
    """What an instrument says of a scenario."""

    PERMITTED = "permitted"
    PROHIBITED = "prohibited"
    REQUIRED = "required"
    NOT_ADDRESSED = "not_addressed"
    CONFLICT = "conflict"
    CONDITIONAL = "conditional"


class Reason(Named):
    """Why a verdict is what it is, where the verdict alone does not say."""

    OUT_OF_SCOPE = "out_of_scope"
    NO_RULE_APPLIES = "no_rule_applies"
    PROHIBITION_OVERRIDES = "prohibition_overrides"


class FlagKind(Named):
    """What a flag on a decision warns of."""

    LOW_CONFIDENCE = "low_confidence"
    INTERPRETATION = "interpretation"
    NOT_IN_FORCE = "not_in_force"
    INHERITED = "inherited"
    DEPARTURE_OF_PRACTICE = "departure_of_practice"
    PAST_HORIZON = "past_horizon"


#: verdicts that allow the activity (`required` implies permitted)
ALLOWING = frozenset({Verdict.PERMITTED, Verdict.REQUIRED})


#: other words for a verdict, accepted wherever a person writes one (answer files, claims)
VERDICT_SYNONYMS = {"banned": Verdict.PROHIBITED, "forbidden": Verdict.PROHIBITED, "allowed": Verdict.PERMITTED,
                    "obligatory": Verdict.REQUIRED, "silent": Verdict.NOT_ADDRESSED}


def spelled(text: object) -> str:
    """A word as the library spells its names: lower case, spaces and hyphens as underscores."""
    return "_".join(str(text).strip().lower().replace("-", " ").split())


def verdict_named(text: object) -> Verdict | None:
    """The verdict a person means by `text` (`Prohibited`, `not addressed`, `banned`), or None."""
    word = spelled(text)
    try:
        return Verdict(word)
    except ValueError:
        return VERDICT_SYNONYMS.get(word)
