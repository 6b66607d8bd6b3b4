"""The Jinja2 environment of the package's templates (`policyengine/web/templates`), and the geometry
of the SVG timeline they draw: a band of Presidents and a bar per instrument over its period of force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import attrs

from ..core.model import Policy
from ..core.timeline import presidencies
from ..core.words import plain

FIRST_YEAR, LAST_YEAR = 1989, 2027
SVG_WIDTH, LABEL_WIDTH, ROW_HEIGHT = 980, 150, 22
KIND_COLOURS = {"executive_policy": "#1f5fa8", "statute": "#6b6b6b", "treaty": "#1b7f3b", "not_binding": "#b0b0b0"}
PRESIDENT_COLOURS = ("#f1e6c8", "#dce9f5")


@attrs.frozen
class Bar:
    """One horizontal bar of the timeline: a label, where it starts and ends (in pixels), a colour."""

    label: str
    x: float
    width: float
    y: float
    colour: str
    title: str


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment of the package templates, with autoescaping on (made once: each template
    is compiled on first use only)."""
    import jinja2  # lazy: ~100 ms, needed only by the report, the explorer and a notebook's timeline

    env = jinja2.Environment(loader=jinja2.PackageLoader("policyengine.web", "templates"),
                             autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["verdict_words"] = plain
    return env


def _x(day: dt.date) -> float:
    """The horizontal position of a day on the timeline."""
    start, end = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 1, 1)
    share = (day - start).days / (end - start).days
    return round(LABEL_WIDTH + share * (SVG_WIDTH - LABEL_WIDTH - 10), 1)


def timeline_bars(policies: Sequence[Policy], today: dt.date) -> dict[str, Any]:
    """The SVG timeline: a band of Presidents, then one bar per instrument over its period of force."""
    terms = presidencies()
    presidents = []
    for i, term in enumerate(terms):
        end = terms[i + 1].start if i + 1 < len(terms) else dt.date(LAST_YEAR, 1, 1)
        presidents.append(Bar(term.name, _x(term.start), _x(end) - _x(term.start), 18,
                              PRESIDENT_COLOURS[i % 2], f"{term.name}, from {term.start.isoformat()}"))
    bars = []
    for row, policy in enumerate(policies):
        end = policy.in_force_to or dt.date(LAST_YEAR, 1, 1)
        kind = policy.kind if policy.binds_us else "not_binding"
        until = policy.in_force_to.isoformat() if policy.in_force_to else "today"
        bars.append(Bar(policy.id, _x(policy.in_force_from), max(_x(end) - _x(policy.in_force_from), 2),
                        60 + row * ROW_HEIGHT, KIND_COLOURS[kind],
                        f"{policy.id}: {policy.title}, in force {policy.in_force_from.isoformat()} to {until}"
                        + ("" if policy.binds_us else " (the US is not a party)")))
    ticks = [(year, _x(dt.date(year, 1, 1))) for year in range(1990, LAST_YEAR + 1, 5)]
    return {"width": SVG_WIDTH, "height": 70 + len(policies) * ROW_HEIGHT, "presidents": presidents, "bars": bars,
            "ticks": ticks, "today": _x(today), "label_width": LABEL_WIDTH}
