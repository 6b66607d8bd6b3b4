"""The HTML report: one self-contained page with a timeline of the instruments and Presidents, the
named scenarios under every instrument, and the provision behind each answer.

Everything the page needs is inline (styles, SVG, data, a few lines of script), so it opens from disk
with no network request. It is rendered with Jinja2, autoescaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..core.decision import Decision
from ..show.display import VERDICT_COLOURS, words
from ..core.evaluation import Evaluator
from ..explanation.why import short, verdict_words
from ..core.model import EVIDENCE_LABELS, Policy
from ..registry import evaluators
from ..core.timeline import evaluate_on, parse_date, presidencies

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


def environment() -> Any:
    """The Jinja2 environment of the package templates, with autoescaping on."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("policyengine.web", "templates"),
                             autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["verdict_words"] = words
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


def citation_refs(decision: Decision, provisions: dict[str, dict[str, str]]) -> list[list[str]]:
    """The provisions behind a decision as [key, "yes" if deciding]; each provision's quote and
    source is stored once in `provisions` under its key."""
    refs = []
    for c in decision.sources:
        entry = {"rule": c.rule, "title": c.title, "quote": c.quote, "quoted": c.quoted(),
                 "source": f"{c.source}: {c.source_title}" + (f", {c.date.isoformat()}" if c.date else ""),
                 "evidence": EVIDENCE_LABELS.get(c.evidence, c.evidence), "url": c.url,
                 "note": ("LOW CONFIDENCE: " if c.confidence == "low" else "") + c.note}
        key = f"{decision.policy}|{c.rule}"
        while key in provisions and provisions[key] != entry:
            key += "'"
        provisions[key] = entry
        refs.append([key, "yes" if c.rule in decision.deciding_rules else ""])
    return refs


def cell(decision: Decision, provisions: dict[str, dict[str, str]]) -> dict[str, Any]:
    """One matrix cell: the verdict, its words, and what the detail panel shows."""
    explanation = [short(decision)]
    explanation += [f"{target} applies but is defeated by its exception {', '.join(by)}."
                    for target, by in decision.defeated_rules.items()]
    if decision.verdict == "conditional":
        seen: dict[str, list[str]] = {}
        for residual in decision.residual:
            seen.setdefault(verdict_words(residual.verdict, residual.reason), []).extend(residual.deciding_rules)
        explanation += [f"{verdict} by {', '.join(dict.fromkeys(rules)) or 'no provision'} in some cases"
                        for verdict, rules in seen.items()]
    explanation += [f"{f.kind.replace('_', ' ')} ({f.subject}): {f.message}" for f in decision.flags]
    return {"verdict": str(decision.verdict), "words": verdict_words(decision.verdict, decision.reason),
            "policy": decision.policy, "rules": list(decision.deciding_rules), "explanation": explanation,
            "provisions": citation_refs(decision, provisions)}


def report_data(on: str | dt.date | None = None) -> dict[str, Any]:
    """Everything the report shows: instruments, timeline, scenarios, and each instrument's answer."""
    from .. import __version__
    from ..testing.suites import named_scenarios

    judges: Mapping[str, Evaluator] = evaluators()
    policies = [judge.policy for judge in judges.values()]
    day = parse_date(on, "--on") if on else dt.date.today()
    scenarios = []
    provisions: dict[str, dict[str, str]] = {}
    for found in named_scenarios().values():
        cells = [cell(judge.evaluate(dict(found.fields)), provisions) for judge in judges.values()]
        position = evaluate_on(dict(found.fields), day)
        scenarios.append({"name": found.name, "question": found.question,
                          "fields": " ".join(f"{k}={v}" for k, v in _shown(found.fields).items()),
                          "cells": cells,
                          "position": {"verdict": str(position.verdict), "words": verdict_words(position.verdict),
                                       "by": position.deciding_policy or ""}})
    return {
        "version": __version__,
        "generated": dt.date.today().isoformat(),
        "on": day.isoformat(),
        "policies": policies,
        "timeline": timeline_bars(policies, day),
        "scenarios": scenarios,
        "provisions": provisions,
        "colours": VERDICT_COLOURS,
        "kind_colours": KIND_COLOURS,
        "diffs": successor_diffs(policies),
    }


def successor_diffs(policies: Sequence[Policy]) -> list[dict[str, Any]]:
    """What changed from each instrument to the one that replaced it: every class of scenarios whose
    verdict changed, with the provisions on both sides."""
    from ..analysis.diff import diff

    out = []
    for after in policies:
        for before in policies:
            if before.id not in after.replaces:
                continue
            found = diff(before.id, after.id)
            out.append({"before": before.id, "after": after.id, "summary": found.document().summary,
                        "classes": [{"before": str(c.before.verdict), "before_words": c.before.words(),
                                     "after": str(c.after.verdict), "after_words": c.after.words(),
                                     "when": c.condition_words()} for c in found.classes]})
    return out


def _shown(fields: Mapping[str, Any]) -> dict[str, str]:
    from ..core.vocabulary import show_value

    return {k: show_value(v) for k, v in fields.items()}


def render_report(on: str | dt.date | None = None) -> str:
    """The report as one HTML document."""
    data = report_data(on)
    details = {"cells": {f"{s['name']}|{c['policy']}": c for s in data["scenarios"] for c in s["cells"]},
               "provisions": data["provisions"]}
    return environment().get_template("report.html.j2").render(**data, details=details)


def write_report(out: str | Path, on: str | dt.date | None = None) -> Path:
    """Write the report to `out` and return its path."""
    path = Path(out)
    if path.parent and not path.parent.is_dir():
        from ..core.errors import ScenarioError

        raise ScenarioError(f"no folder '{path.parent}' to write '{path.name}' into", where="--out",
                            hint="create the folder first, or give another path")
    path.write_text(render_report(on), encoding="utf-8")
    return path
