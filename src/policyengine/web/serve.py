"""The local explorer: a small Starlette app where a user toggles each scenario field and watches
every instrument's verdict, deciding provision and explanation, and the US position on a date.

The page is one form; each change asks the server for the page again with htmx (vendored in
`static/`, never fetched) and swaps in the results, so the address bar always holds the scenario
(`/?activity=use&mine=anti_personnel&on=2023-01-01`) and can be shared. Without JavaScript the form's
button does the same. It uses the installed library and nothing else.

A browser must be able to trust it with a hostile policy file loaded (docs/security.md#the-explorer):
every response carries a Content-Security-Policy that lets only its own script run; a request whose
Host is not the bound address is refused (a DNS-rebinding page cannot read it); a scenario is
checked as the API checks it; pages render in a thread pool, off the event loop, with answers kept
in a bounded cache; a connection that sends no complete request in time is closed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import socket
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from ..core.space import is_possible
from ..core.timeline import evaluate_on
from ..core.vocabulary import Field, Value, Vocabulary, show_value
from ..core.words import defeated, verdict_words
from ..explanation.why import short
from ..show.display import VERDICT_COLOURS
from ..show.jinja import environment
from ..version import __version__
from .report import citation_refs
from .safety import HEADERS, explorer_policy

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
UNSET = ""
READING = "reading."  # query prefix of an interpretation's reading: reading.b22-2-korea=literal
MAX_QUERY = 4096  # bytes of a query string; a longer one is refused (every field and reading fits in far less)
ANSWERS_KEPT = 512  # distinct scenarios whose answers the explorer keeps
REQUEST_TIMEOUT = 10.0  # seconds a connection may take to send a complete request's headers
KEEP_ALIVE = 5  # seconds an idle keep-alive connection is kept
MAX_CONNECTIONS = 128  # concurrent connections; more are answered 503
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def choices(field: Field, scenario: Mapping[str, Value] | None = None,
            vocab: Vocabulary | None = None) -> list[tuple[str, str]]:
    """The options of a field's control: (value, label), starting with 'not given'; given the rest of
    the scenario, a value that would contradict it (see the vocabulary's contradictions) is left out."""
    others = {k: v for k, v in (scenario or {}).items() if k != field.name}
    return [(UNSET, "(not given)")] + [
        (show_value(v), show_value(v)) for v in field.domain()
        if vocab is None or scenario is None or v == scenario.get(field.name) or is_possible(vocab, {**others, field.name: v})]


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
                     "defeated": [f"{target} is {defeated(by, exception=False)}"
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


def refusal(scenario: Mapping[str, Any], vocab: Vocabulary) -> str:
    """Why the API would refuse a typed scenario (two facts that contradict each other), or ""."""
    try:
        vocab.check_consistency(scenario, "scenario")
    except PolicyEngineError as exc:
        return str(exc)
    return ""


Answers = Callable[[Mapping[str, Any], str, Mapping[str, str]], dict[str, Any]]


def answers_cache(corpus: Corpus, size: int = ANSWERS_KEPT) -> Answers:
    """`results` for one corpus, keeping the answers to the last `size` distinct scenarios (thread-safe)."""

    @lru_cache(maxsize=size)
    def kept(scenario: tuple[tuple[str, Any], ...], on: str, readings: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        return results(dict(scenario), on, corpus, dict(readings))

    def answers(scenario: Mapping[str, Any], on: str, readings: Mapping[str, str]) -> dict[str, Any]:
        return kept(tuple(sorted(scenario.items())), on, tuple(sorted(readings.items())))

    return answers


def page(query: Mapping[str, str], corpus: Corpus, nonce: str = "", answers: Answers | None = None) -> tuple[str, int]:
    """The explorer page for a query string over the corpus's instruments, and its HTTP status: 400 with
    the errors shown when the query has any, and no answers when the API would refuse the scenario."""
    scenario, raw, on, errors = read_query(query, corpus.vocabulary)
    readings, wrong = readings_of(query, corpus)
    errors += wrong
    vocab = corpus.vocabulary
    refused = refusal(scenario, vocab)
    if refused:
        errors.append(refused)
        found: dict[str, Any] = {"rows": [], "position": {"error": "no answer: " + refused}}
    else:
        found = (answers or (lambda s, d, r: results(s, d, corpus, r)))(scenario, on, readings)
    interpretations = [{"name": name, "policy": p.id, "question": spec.question, "default": spec.default,
                        "readings": dict(spec.readings), "value": readings.get(name, UNSET)}
                       for p in corpus for name, spec in p.interpretations.items()]
    controls = [{"name": f.name, "type": f.type, "description": f.description, "choices": choices(f, scenario, vocab),
                 "value": raw[f.name], "descriptions": dict(f.value_descriptions)} for f in vocab.fields.values()]
    html = environment().get_template("explorer.html.j2").render(
        version=__version__, controls=controls, on=on, errors=errors, colours=VERDICT_COLOURS,
        interpretations=interpretations, reading_prefix=READING, csp_nonce=nonce,
        scenario=" ".join(f"{k}={show_value(v)}" for k, v in scenario.items()) or "(no fields given)",
        **found)
    return html, 400 if errors else 200


def allowed_hosts(host: str, port: int | None) -> Callable[[str], bool]:
    """Whether a request's Host header names the address the explorer is bound to: the loopback names
    when bound to loopback, the address itself, and (bound to every address) this machine's names
    and any IP address. A DNS-rebinding page's own name is never among them."""
    names = {host.strip("[]").lower()}
    if names & set(LOOPBACK_NAMES):
        names |= set(LOOPBACK_NAMES)
    wildcard = host in ("0.0.0.0", "::", "")
    if wildcard:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}

    def allowed(header: str) -> bool:
        try:
            parts = urlsplit("//" + header)
            name, given_port = parts.hostname, parts.port
        except ValueError:
            return False
        if not name or parts.path or parts.username is not None or (given_port not in (None, port) and port):
            return False
        if name in names:
            return True
        try:
            return wildcard and bool(ipaddress.ip_address(name))
        except ValueError:
            return False

    return allowed


def guard(app: Any, allowed: Callable[[str], bool]) -> Any:
    """ASGI middleware: refuse a foreign Host or an overlong query with 400, and give every response
    its security headers and a Content-Security-Policy with a fresh nonce (in `scope["state"]`)."""
    from starlette.responses import PlainTextResponse  # the optional 'serve' extra, needed only to serve

    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        headers = [(b"content-security-policy", explorer_policy(nonce).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        problem = ""
        if not allowed(host):
            problem = (f"this explorer answers only requests addressed to the address it is bound to, not "
                       f"Host '{host[:100]}' (a guard against DNS rebinding); open it at its own address")
        elif len(scope.get("query_string", b"")) > MAX_QUERY:
            problem = f"the address's query is longer than {MAX_QUERY} bytes; give fewer or shorter fields"
        if problem:
            await PlainTextResponse(problem, status_code=400)(scope, receive, send_with_headers)
            return
        scope.setdefault("state", {})["csp_nonce"] = nonce
        await app(scope, receive, send_with_headers)

    return guarded
