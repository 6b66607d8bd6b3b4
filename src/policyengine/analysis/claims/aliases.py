"""Everyday words a claim may use for fields and values: `use of APL outside Korea` is read as
`activity is use and mine is anti_personnel and location is elsewhere` before the claim is parsed,
and `location is Korea` as the three places on the Korean Peninsula."""

from __future__ import annotations

import re

KOREA = "korean_dmz or south_korea or north_korea"

#: (field, word) -> the value it names, inside `FIELD is WORD`
VALUE_ALIASES = {
    ("location", "outside_korea"): "elsewhere", ("location", "dmz"): "korean_dmz",
    ("location", "rok"): "south_korea", ("location", "dprk"): "north_korea",
    ("mine", "apl"): "anti_personnel", ("mine", "ap"): "anti_personnel", ("mine", "av"): "anti_vehicle",
    ("mine", "claymore"): "directional_fragmentation",
    ("activity", "export"): "transfer", ("activity", "employ"): "use", ("activity", "stockpile"): "retain",
    ("activity", "production"): "produce", ("activity", "development"): "develop",
    ("activity", "acquisition"): "acquire", ("activity", "destruction"): "destroy",
    ("activity", "assistance"): "assist",
}

ACTIVITIES = {"use": "use", "employment": "use", "export": "transfer", "exports": "transfer", "transfer": "transfer",
              "transfers": "transfer", "production": "produce", "development": "develop", "acquisition": "acquire",
              "stockpiling": "retain", "retention": "retain", "destruction": "destroy"}
MINES = {"apl": "anti_personnel", "anti-personnel mines": "anti_personnel", "anti-personnel landmines": "anti_personnel",
         "antipersonnel mines": "anti_personnel", "anti-personnel land mines": "anti_personnel",
         "anti-vehicle mines": "anti_vehicle", "mixed systems": "mixed_system", "claymores": "directional_fragmentation"}
PLACES = [(r"outside (?:of )?(?:the )?(?:korea|korean peninsula)", "location is elsewhere"),
          (r"(?:in|on) (?:the )?(?:korean )?dmz", "location is korean_dmz"),
          (r"(?:in|on) (?:the )?(?:korea|korean peninsula)", f"location is {KOREA}"),
          (r"in south korea", "location is south_korea"), (r"in north korea", "location is north_korea")]
#: words after which a condition starts a list rather than continuing one
OPENERS = {"where", "if", "when", "permits", "prohibits", "allows", "bans", "forbids", "bars", "permit", "prohibit",
           "allow", "ban", "forbid", "address", "to", "decides", "on", "for", "and", ","}


def _phrase(activity: str | None, mine: str | None) -> str:
    parts = ([f"activity is {ACTIVITIES[activity]}"] if activity else []) + ([f"mine is {MINES[mine]}"] if mine else [])
    return " and ".join(parts)


_MINE = "|".join(sorted((re.escape(m) for m in MINES), key=len, reverse=True))
_ACT = "|".join(sorted(ACTIVITIES, key=len, reverse=True))
_OF = re.compile(rf"\b(?:the )?({_ACT}) of ({_MINE}|landmines|mines)\b", re.IGNORECASE)
_BARE = re.compile(rf"\b(permits|prohibits|allows|bans|forbids|bars|permit|prohibit|allow|ban|forbid|address|to|on)"
                   rf" ({_ACT})\b(?! of\b| is\b)", re.IGNORECASE)
_KOREA_VALUE = re.compile(r"\blocation is (?:korea|the korean peninsula|korean_peninsula)\b", re.IGNORECASE)
_PLACES = [(re.compile(rf"\b{p}\b", re.IGNORECASE), r) for p, r in PLACES]


def expand_aliases(text: str) -> str:
    """The claim with everyday phrases written as conditions (other text unchanged)."""
    text = _KOREA_VALUE.sub(f"location is {KOREA}", text)
    text = _OF.sub(lambda m: _phrase(m.group(1).lower(), m.group(2).lower() if m.group(2).lower() in MINES else None),
                   text)
    text = _BARE.sub(lambda m: f"{m.group(1)} {_phrase(m.group(2).lower(), None)}", text)
    for pattern, words in _PLACES:
        text = pattern.sub(lambda m, w=words: _joined(text, m, w), text)
    return text


def _joined(text: str, match: re.Match[str], words: str) -> str:
    """`words`, with `and` in front when they follow a condition."""
    before = text[:match.start()].rstrip()
    last = before.split()[-1].lower() if before.split() else ""
    return words if not last or last in OPENERS or before.endswith(",") else f"and {words}"
