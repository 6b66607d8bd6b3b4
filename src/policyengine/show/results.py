"""Collections the API returns: the bundled instruments, the instruments in force on a date, and
the timeline of instruments and Presidents.

Each behaves as a tuple (iterate, index, len) and adds a short repr, a table for the terminal and
for notebooks (the timeline draws itself as SVG), and `to_dict()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..core.model import Policy
from ..core.timeline import presidencies, president_on
from ..core.words import plain
from ..explanation.document import Block, Document
from .display import POLICY_COLUMNS, e, html_table, ids, period_words, policies_rows, rich_table
from .jinja import environment, timeline_bars

if TYPE_CHECKING:
    from typing_extensions import Self


class PolicyList(tuple[Policy, ...]):
    """The instruments, in order of entry into force; a tuple of Policy."""

    __slots__ = ()

    def __new__(cls, policies: Iterable[Policy]) -> Self:
        return super().__new__(cls, tuple(policies))

    @property
    def ids(self) -> tuple[str, ...]:
        """The instrument ids, in order."""
        return tuple(p.id for p in self)

    def to_dict(self) -> list[dict[str, Any]]:
        """JSON-ready form: one entry per instrument."""
        return [{"id": p.id, "title": p.title, "kind": p.kind, "binds_us": p.binds_us,
                 "in_force_from": p.in_force_from.isoformat(),
                 "in_force_to": p.in_force_to.isoformat() if p.in_force_to else None,
                 "rules": len(p.rule_ids())} for p in self]

    def __repr__(self) -> str:
        return f"<PolicyList of {len(self)}: {', '.join(self.ids)}>"

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self)

    def _repr_html_(self) -> str:
        return html_table(POLICY_COLUMNS, policies_rows(self))

    def __rich__(self) -> Any:
        return rich_table("Instruments", POLICY_COLUMNS, policies_rows(self))


class Standing(tuple[Any, ...]):
    """The instruments in force on a date, executive policies first; a tuple of `timeline.InForce`."""

    date: dt.date
    president: str

    def __new__(cls, entries: Iterable[Any], date: dt.date, president: str = "") -> Self:
        self = super().__new__(cls, tuple(entries))
        self.date, self.president = date, president
        return self

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """One row per instrument: id, role, from, to, layering note."""
        return [(f.policy.id, plain(f.role) if f.policy.binds_us else "not binding on the US",
                 f.policy.in_force_from.isoformat(), f.policy.in_force_to.isoformat() if f.policy.in_force_to else "",
                 f.note) for f in self]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the date, the President and each instrument with its role and note."""
        return {"date": self.date.isoformat(), "president": self.president,
                "in_force": [{"policy": f.policy.id, "role": f.role, "binds_us": f.policy.binds_us, "note": f.note}
                             for f in self]}

    def render(self, width: int | None = None) -> str:
        """A plain-text table."""
        block = Block("", columns=("instrument", "role", "from", "to", "note"), rows=tuple(self.rows()))
        return Document(self._title(), "", (block,)).render("text", width).replace("\n\n", "\n")

    def _title(self) -> str:
        president = f" (President {self.president})" if self.president else ""
        return f"In force on {self.date.isoformat()}{president}: {len(self)} instruments"

    def __repr__(self) -> str:
        return f"<Standing {self.date.isoformat()}: {ids([f.policy.id for f in self], 6) or 'nothing in force'}>"

    def __str__(self) -> str:
        return self.render()

    def _repr_html_(self) -> str:
        return f"<div><p>{e(self._title())}</p>" + html_table(("instrument", "role", "from", "to", "note"),
                                                              self.rows()) + "</div>"

    def __rich__(self) -> Any:
        return rich_table(self._title(), ("instrument", "role", "from", "to", "note"), self.rows())



TIMELINE_COLUMNS = ("instrument", "in force", "replaced by", "issued under", "Presidents in office while in force")


class Timeline(tuple[Policy, ...]):
    """The instruments in order of entry into force, with their successors and the Presidents in
    office while each was in force; a tuple of Policy."""

    __slots__ = ()

    def __new__(cls, policies: Iterable[Policy]) -> Self:
        return super().__new__(cls, tuple(policies))

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """One row per instrument: id, period of force, replaced by, issued under, Presidents."""
        out = []
        for p in self:
            end = p.in_force_to
            presidents = [president_on(p.in_force_from)] + [
                t.name for t in presidencies() if p.in_force_from < t.start and (end is None or t.start < end)]
            successors = [q.id for q in self if p.id in q.replaces]
            issuer = p.president or ("not a party" if not p.binds_us else "Congress" if p.kind == "statute"
                                     else "treaty")
            out.append((p.id, period_words(p),
                        ", ".join(successors), issuer, ", ".join(dict.fromkeys(presidents))))
        return out

    def to_dict(self) -> list[dict[str, Any]]:
        """JSON-ready form: one entry per instrument."""
        return [dict(zip(("policy", "in_force", "replaced_by", "issued_under", "presidents"), row))
                for row in self.rows()]

    def render(self, width: int | None = None) -> str:
        """A plain-text table."""
        block = Block("", columns=TIMELINE_COLUMNS, rows=tuple(self.rows()))
        return Document("US anti-personnel landmine instruments", "", (block,)).render("text", width).replace(
            "\n\n", "\n")

    def svg(self, today: dt.date | None = None) -> str:
        """The timeline drawn as SVG: a band of Presidents and a bar per instrument."""
        day = today or dt.date.today()
        return environment().get_template("timeline.svg.j2").render(timeline=timeline_bars(self, day),
                                                                    on=day.isoformat())

    def __repr__(self) -> str:
        return f"<Timeline of {len(self)}: {self[0].in_force_from.year}-{max(p.in_force_from for p in self).year}>" \
            if self else "<Timeline of 0>"

    def __str__(self) -> str:
        return self.render()

    def _repr_html_(self) -> str:
        return self.svg()

    def __rich__(self) -> Any:
        return rich_table("US anti-personnel landmine instruments", TIMELINE_COLUMNS, self.rows())
