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

from markupsafe import Markup

from ..analysis.diff import diff
from ..core.corpus import Corpus
from ..core.decision import Decision
from ..core.errors import ScenarioError
from ..core.evaluation import Evaluator
from ..core.model import EVIDENCE_LABELS, Policy
from ..core.outcomes import Verdict
from ..core.timeline import evaluate_on, parse_date
from ..core.vocabulary import show_value
from ..core.words import defeated_words, provision_list, verdict_words
from ..explanation.why import short
from ..show.display import VERDICT_COLOURS
from ..show.jinja import KIND_COLOURS, environment, timeline_bars
from ..testing.suites import named_scenarios
from ..version import __version__
from .safety import link_target, report_policy


def citation_refs(decision: Decision, provisions: dict[str, dict[str, str]]) -> list[list[str]]:
    """The provisions behind a decision as [key, "yes" if deciding]; each provision's quote and
    source is stored once in `provisions` under its key."""
    refs = []
    for c in decision.sources:
        entry = {"rule": c.rule, "title": c.title, "quote": c.quote, "quoted": c.quoted(),
                 "source": f"{c.source}: {c.source_title}" + (f", {c.date.isoformat()}" if c.date else ""),
                 "evidence": EVIDENCE_LABELS.get(c.evidence, c.evidence), "url": c.url,
                 "href": link_target(c.url),
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
    explanation += [f"{defeated_words(target, by)}."
                    for target, by in decision.defeated_rules.items()]
    if decision.verdict == Verdict.CONDITIONAL:
        seen: dict[str, list[str]] = {}
        for residual in decision.residual:
            seen.setdefault(verdict_words(residual.verdict, residual.reason), []).extend(residual.deciding_rules)
        explanation += [f"{verdict} by {provision_list(dict.fromkeys(rules))} in some cases"
                        for verdict, rules in seen.items()]
    explanation += [f"{f.kind.replace('_', ' ')} ({f.subject}): {f.message}" for f in decision.flags]
    return {"verdict": str(decision.verdict), "words": verdict_words(decision.verdict, decision.reason),
            "policy": decision.policy, "rules": list(decision.deciding_rules), "explanation": explanation,
            "provisions": citation_refs(decision, provisions)}


def report_data(corpus: Corpus, on: str | dt.date | None = None) -> dict[str, Any]:
    """Everything the report shows: the corpus's instruments, timeline, scenarios, and each
    instrument's answer."""
    judges: Mapping[str, Evaluator] = corpus.evaluators
    policies = [judge.policy for judge in judges.values()]
    day = parse_date(on, "--on") if on else dt.date.today()
    scenarios = []
    provisions: dict[str, dict[str, str]] = {}
    for found in named_scenarios(corpus.vocabulary).values():
        cells = [cell(judge.evaluate(dict(found.fields)), provisions) for judge in judges.values()]
        position = evaluate_on(dict(found.fields), day, corpus=corpus)
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
        "diffs": successor_diffs(policies, corpus),
    }


def successor_diffs(policies: Sequence[Policy], corpus: Corpus) -> list[dict[str, Any]]:
    """What changed from each instrument to the one that replaced it: every class of scenarios whose
    verdict changed, with the provisions on both sides."""
    out = []
    for after in policies:
        for before in policies:
            if before.id not in after.replaces:
                continue
            found = diff(before.id, after.id, corpus=corpus)
            out.append({"before": before.id, "after": after.id, "summary": found.document().summary,
                        "classes": [{"before": str(c.before.verdict), "before_words": c.before.words(),
                                     "after": str(c.after.verdict), "after_words": c.after.words(),
                                     "when": c.condition_words()} for c in found.classes]})
    return out


def _shown(fields: Mapping[str, Any]) -> dict[str, str]:
    return {k: show_value(v) for k, v in fields.items()}


def render_report(corpus: Corpus, on: str | dt.date | None = None) -> str:
    """The report on the corpus's instruments as one HTML document."""
    data = report_data(corpus, on)
    details = {"cells": {f"{s['name']}|{c['policy']}": c for s in data["scenarios"] for c in s["cells"]},
               "provisions": data["provisions"]}
    env = environment()
    script = env.loader.get_source(env, "report.js")[0]
    return env.get_template("report.html.j2").render(**data, details=details, script=Markup(script),
                                                      csp=Markup(report_policy(script)))


def write_report(out: str | Path, corpus: Corpus, on: str | dt.date | None = None) -> Path:
    """Write the report on the corpus's instruments to `out` and return its path."""
    path = Path(out)
    if path.parent and not path.parent.is_dir():
        raise ScenarioError(f"no folder '{path.parent}' to write '{path.name}' into", where="--out",
                            hint="create the folder first, or give another path")
    path.write_text(render_report(corpus, on), encoding="utf-8")
    return path
