"""Did-you-mean hints for a mistyped name: stdlib only, so that `policyengine --version` and the
engine choice can word an error without loading the vocabulary."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

ALL_SHOWN = 12  # up to this many choices, an error lists them all
CLOSEST = 6  # beyond it, the closest this many and how many there are


def alias_key(word: str) -> str:
    """`word` as aliases are keyed: lower case, with `_` for `-` and spaces."""
    return re.sub(r"[-\s]+", "_", str(word).strip().lower())


def did_you_mean(word: str, choices: list[str] | tuple[str, ...], see: str | None = None,
                 aliases: Mapping[str, str] | None = None) -> str:
    """Return a "did you mean ..." hint for `word`: the value it is an alias of, else the closest
    spelling; else every choice, or (for long lists) the closest ones with the count and, given `see`,
    the command that lists them all."""
    choices = [str(c) for c in choices]
    word = str(word)[:200]
    meant = (aliases or {}).get(alias_key(word))
    if meant is not None:
        return f"did you mean '{meant}'?"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) <= ALL_SHOWN:
        return "expected one of: " + ", ".join(choices)
    nearest = difflib.get_close_matches(word, choices, n=CLOSEST, cutoff=0)
    listed = f"; `{see}` lists them all" if see else ""
    return f"the closest of the {len(choices)} are: " + ", ".join(nearest) + listed
