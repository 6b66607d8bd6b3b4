"""The local explorer: a small Starlette app where a user toggles each scenario field and watches
every instrument's verdict, deciding provision and explanation, and the US position on a date.

The page is one form; each change asks the server for the page again with htmx (vendored in
`static/`, never fetched) and swaps in the results, so the address bar always holds the scenario
(`/?activity=use&mine=anti_personnel&on=2023-01-01`) and can be shared. Without JavaScript the form's
button does the same. It uses the installed library and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from ..core.timeline import evaluate_on
from ..core.vocabulary import Field, Vocabulary, show_value
from ..explanation.why import short, verdict_words
from ..show.display import VERDICT_COLOURS
from ..show.jinja import environment
from ..version import __version__
from .report import citation_refs

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
UNSET = ""
READING = "reading."  # query prefix of an interpretation's reading: reading.b22-2-korea=literal


def choices(field: Field) -> list[tuple[str, str]]:
    """The options of a field's control: (value, label), starting with 'not given'."""
    unset = [(UNSET, "(not given)")]
    if field.type == "enum":
        return unset + [(v, v) for v in field.values]
    if field.type == "bool":
        return unset + [("true", "true"), ("false", "false")]
    return []


def readings_of(query: Mapping[str, str], corpus: Corpus) -> tuple[dict[str, str], list[str]]:
    """The readings chosen in a query (`reading.NAME=READING`; empty is the default), and any errors."""
    declared = {name: spec for p in corpus for name, spec in p.interpretations.items()}
    chosen: dict[str, str] = {}
    errors = []
    for key, value in query.items():
        if not key.startswith(READING) or not value.strip():
            continue
        name, reading = key[len(READING):], value.strip()
        if name not in declared:
            errors.append(f"no instrument declares interpretation '{name}'; ignored")
        elif reading not in declared[name].readings:
            errors.append(f"interpretation '{name}' has no reading '{reading}'; expected one of: "
                          + ", ".join(declared[name].readings))
        else:
            chosen[name] = reading
    return chosen, errors


def read_query(query: Mapping[str, str], vocab: Vocabulary) -> tuple[dict[str, Any], dict[str, str], str, list[str]]:
    """The scenario (typed), the raw values, the date of the US position and any errors, from a query."""
    raw = {name: query.get(name, UNSET).strip() for name in vocab.names}
    scenario: dict[str, Any] = {}
    errors = []
    for name, value in raw.items():
        if value == UNSET:
            continue
        try:
            scenario[name] = vocab.fields[name].coerce(value, f"field '{name}'")
        except PolicyEngineError as exc:
            errors.append(str(exc))
            raw[name] = UNSET
    unknown = sorted(k for k in set(query) - set(vocab.names) - {"on"} if not k.startswith(READING))
    errors += [f"unknown field '{name}' in the address; ignored" for name in unknown]
    on = query.get("on", "").strip() or dt.date.today().isoformat()
    return scenario, raw, on, errors


def results(scenario: Mapping[str, Any], on: str, corpus: Corpus,
            readings: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every instrument's answer to the scenario under the chosen readings, and the US position on `on`."""
    readings = dict(readings or {})

    provisions: dict[str, dict[str, str]] = {}
    rows = []
    for judge in corpus.evaluators.values():
        own = {k: v for k, v in readings.items() if k in judge.policy.interpretations}
        decision = judge.evaluate(dict(scenario), own)
        refs = citation_refs(decision, provisions)
        rows.append({"policy": decision.policy, "binds_us": judge.policy.binds_us,
                     "verdict": str(decision.verdict), "words": verdict_words(decision.verdict, decision.reason),
                     "rules": list(decision.deciding_rules), "explanation": short(decision),
                     "provisions": [dict(provisions[key], deciding=deciding) for key, deciding in refs],
                     "defeated": [f"{target} is defeated by {', '.join(by)}"
                                  for target, by in decision.defeated_rules.items()]})
    position: dict[str, Any]
    try:
        assessment = evaluate_on(dict(scenario), on, readings, corpus=corpus)
        if not assessment.layers:
            first = min(corpus, key=lambda p: p.in_force_from)
            raise PolicyEngineError(f"no instrument was in force on {assessment.date.isoformat()}",
                                    hint=f"the first, {first.id}, entered into force on "
                                         f"{first.in_force_from.isoformat()}")
        position = {"error": "", "verdict": str(assessment.verdict), "words": verdict_words(assessment.verdict),
                    "date": assessment.date.isoformat(), "by": assessment.deciding_policy or "",
                    "rules": list(assessment.deciding_rules), "president": assessment.president,
                    "in_force": [layer.policy for layer in assessment.layers]}
    except PolicyEngineError as exc:
        position = {"error": str(exc)}
    return {"rows": rows, "position": position}


def page(query: Mapping[str, str], corpus: Corpus) -> tuple[str, int]:
    """The explorer page for a query string over the corpus's instruments, and its HTTP status."""
    scenario, raw, on, errors = read_query(query, corpus.vocabulary)
    readings, wrong = readings_of(query, corpus)
    errors += wrong
    vocab = corpus.vocabulary
    interpretations = [{"name": name, "policy": p.id, "question": spec.question, "default": spec.default,
                        "readings": dict(spec.readings), "value": readings.get(name, UNSET)}
                       for p in corpus for name, spec in p.interpretations.items()]
    controls = [{"name": f.name, "type": f.type, "description": f.description, "choices": choices(f),
                 "value": raw[f.name], "descriptions": dict(f.value_descriptions)} for f in vocab.fields.values()]
    html = environment().get_template("explorer.html.j2").render(
        version=__version__, controls=controls, on=on, errors=errors, colours=VERDICT_COLOURS,
        interpretations=interpretations, reading_prefix=READING,
        scenario=" ".join(f"{k}={show_value(v)}" for k, v in scenario.items()) or "(no fields given)",
        **results(scenario, on, corpus, readings))
    return html, 400 if errors else 200
