"""How the returned objects show themselves: short reprs, notebook HTML and rich renderables.

A repr names the object and its answer in one line (never the whole instrument); `_repr_html_` is a
small self-contained HTML fragment for Jupyter; `__rich__` a rich table or panel for the terminal.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..analysis.across import Across
from ..analysis.across import provisions as provisions_of
from ..core.conditions import describe, describe_part
from ..core.decision import quoted
from ..core.model import EVIDENCE_LABELS
from ..core.outcomes import Verdict
from ..core.rendering import renderer
from ..core.words import plain, scenario_words, verdict_words
from ..explanation.why import short

if TYPE_CHECKING:
    from ..core.decision import Assessment, Citation, Decision, Flag, Layer, Residual
    from ..core.model import Policy, Rule

VERDICT_COLOURS = {
    "permitted": ("#1b7f3b", "#e3f4e8"),
    "prohibited": ("#b3261e", "#fbe4e2"),
    "required": ("#1f5fa8", "#e2ecf8"),
    "conditional": ("#8a5a00", "#fdf0d5"),
    "conflict": ("#6b2fa0", "#efe3f8"),
    "not_addressed": ("#555555", "#eeeeee"),
}
RICH_STYLES = {"permitted": "bold green", "prohibited": "bold red", "required": "bold blue",
               "conditional": "bold yellow", "conflict": "bold magenta", "not_addressed": "dim"}
REPR_IDS = 4  # ids shown in a repr before "+N more"


def ids(names: Sequence[str], limit: int = REPR_IDS) -> str:
    """`a, b, c +2 more`: a list of ids cut for a one-line repr."""
    shown = ", ".join(names[:limit])
    return f"{shown} +{len(names) - limit} more" if len(names) > limit else shown


def cut(text: str, limit: int = 80) -> str:
    """The text, or its first `limit - 3` characters and an ellipsis."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def e(text: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(text), quote=True)


def badge(verdict: str, reason: str | None = None) -> str:
    """A verdict as a coloured HTML label that also says the verdict in words."""
    fg, bg = VERDICT_COLOURS.get(str(verdict), ("#333", "#eee"))
    return (f'<span style="color:{fg};background:{bg};border:1px solid {fg};border-radius:3px;'
            f'padding:0 4px;font-weight:600">{e(verdict_words(verdict, reason))}</span>')


def html_table(columns: Sequence[str], rows: Iterable[Sequence[str]], raw: bool = False) -> str:
    """A plain HTML table; cells are escaped unless `raw` (then they are already HTML)."""
    head = "".join(f'<th style="text-align:left;padding:2px 8px">{e(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f'<td style="text-align:left;vertical-align:top;padding:2px 8px">'
                                    f'{cell if raw else e(cell)}</td>' for cell in row) + "</tr>" for row in rows)
    return f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def rich_verdict(verdict: str, reason: str | None = None) -> Any:
    """A verdict as rich Text in its colour."""
    return Text(verdict_words(verdict, reason), style=RICH_STYLES.get(str(verdict), ""))


# -- Decision ---------------------------------------------------------------------------------------


@renderer("decision", "repr")
def decision_repr(d: Decision) -> str:
    """`<Decision biden-2022: permitted by B22-2.destruction>`."""
    if d.verdict == Verdict.CONDITIONAL:
        outcomes = sorted({str(r.verdict) for r in d.residual})
        return (f"<Decision {d.policy}: conditional, {' or '.join(plain(v) for v in outcomes)} "
                f"in {len(d.residual)} cases; provisions {ids(d.deciding_rules)}>")
    by = f" by {ids(d.deciding_rules)}" if d.deciding_rules else ""
    flags = f"; {len(d.flags)} flag{'s' if len(d.flags) != 1 else ''}" if d.flags else ""
    return f"<Decision {d.policy}: {verdict_words(d.verdict, d.reason)}{by}{flags}>"


@renderer("decision", "str")
def decision_str(d: Decision) -> str:
    """The one-sentence explanation."""
    return short(d)


def quoted_html(provision: str, words: str, paraphrase: bool = False) -> str:
    """`&ldquo;words&rdquo;`, escaped, or the words marked as a paraphrase (see `core.decision.quoted`)."""
    return e(quoted(provision, words, True)) if paraphrase else f"&ldquo;{e(words)}&rdquo;"


@renderer("citation", "html")
def citation_html(c: Citation) -> str:
    """A provision with its quote, source, date, evidence and link."""
    dated = f", {c.date.isoformat()}" if c.date else ""
    low = ' <b style="color:#b3261e">low confidence</b>' if c.confidence == "low" else ""
    title = f" &mdash; {e(c.title)}" if c.title else ""
    link = f' <a href="{e(c.url)}">{e(c.url)}</a>' if c.url else ""
    return (f"<div style=\"margin:4px 0\"><code>{e(c.rule)}</code>{title}{low}"
            f"<blockquote style=\"margin:2px 0 2px 12px;font-style:italic\">{quoted_html(c.rule, c.quote, c.paraphrase)}</blockquote>"
            f"<small>source {e(c.source)}: {e(c.source_title)}{e(dated)} "
            f"[{e(EVIDENCE_LABELS.get(c.evidence, c.evidence))}]{link}</small></div>")


@renderer("decision", "html")
def decision_html(d: Decision) -> str:
    """The verdict, the one-sentence explanation, the deciding provisions and the flags."""
    parts = [f"<div><b>{e(d.policy)}</b>: {badge(d.verdict, d.reason)}<p>{e(decision_str(d))}</p>"]
    parts += [citation_html(c) for c in d.sources]
    if d.flags:
        parts.append("<ul>" + "".join(f"<li>{e(f.kind)} ({e(f.subject)}): {e(f.message)}</li>"
                                      for f in d.flags) + "</ul>")
    if d.residual:
        parts.append(html_table(("outcome", "provisions", "when"),
                                ((badge(r.verdict, r.reason), e(", ".join(r.deciding_rules)), e(r.describe()))
                                 for r in d.residual), raw=True))
    return "".join(parts) + "</div>"


@renderer("decision", "rich")
def decision_rich(d: Decision) -> RenderableType:
    """A panel: the verdict in colour, the sentence, each deciding provision and its quote."""
    lines: list[Any] = [Text(decision_str(d))]
    for c in d.sources:
        lines.append(Text.assemble((c.rule, "bold"), f" {c.quoted()} ", (f"[{c.source}]", "dim")))
    lines += [Text(f"{f.kind} ({f.subject}): {f.message}", style="yellow") for f in d.flags]
    return Panel(Group(*lines), title=Text.assemble(d.policy + ": ", rich_verdict(d.verdict, d.reason)))


@renderer("residual", "repr")
def residual_repr(r: Residual) -> str:
    """`<Residual permitted by T20-2 when ...>` cut to one short line."""
    return f"<Residual {plain(r.verdict)} by {ids(r.deciding_rules) or 'no provision'} when {cut(r.describe())}>"


@renderer("citation", "repr")
def citation_repr(c: Citation) -> str:
    """`<Citation B22-2 [S34, primary_via_quote]>`."""
    return f"<Citation {c.rule} [{c.source}, {c.evidence}]>"


@renderer("flag", "repr")
def flag_repr(f: Flag) -> str:
    """`<Flag low_confidence T20-2.unmet>`."""
    return f"<Flag {f.kind} {f.subject}>"


# -- Assessment and layers --------------------------------------------------------------------------


@renderer("layer", "repr")
def layer_repr(layer: Layer) -> str:
    """`<Layer trump-2020 executive: permitted by T20-2>`."""
    d = layer.decision
    by = f" by {ids(d.deciding_rules)}" if d.deciding_rules and d.verdict != Verdict.CONDITIONAL else ""
    return f"<Layer {layer.policy} {plain(layer.role)}: {plain(d.verdict)}{by}>"


@renderer("layer", "html")
def layer_html(layer: Layer) -> str:
    """The instrument's role in the layering, its note, and its decision."""
    note = f"<br><small>{e(layer.note)}</small>" if layer.note else ""
    role = plain(layer.role) if layer.binds_us else "not binding on the US"
    return f"<div><p>{e(layer.policy)} ({e(role)}){note}</p>{decision_html(layer.decision)}</div>"


@renderer("assessment", "repr")
def assessment_repr(a: Assessment) -> str:
    """`<Assessment 2021-03-01: permitted under trump-2020 (T20-2); 4 instruments in force>`."""
    under = f" under {a.deciding_policy} ({ids(a.deciding_rules)})" if a.deciding_policy else ""
    return (f"<Assessment {a.date.isoformat()}: {plain(a.verdict)}{under}; "
            f"{len(a.layers)} instrument{'s' if len(a.layers) != 1 else ''} in force>")


@renderer("assessment", "str")
def assessment_str(a: Assessment) -> str:
    """One sentence: the US position on the date and the instrument that decides it."""
    under = (f" under {a.deciding_policy}, decided by {', '.join(a.deciding_rules)}"
             if a.deciding_policy else "")
    president = f" (President {a.president})" if a.president else ""
    return f"On {a.date.isoformat()}{president} the US position is {plain(a.verdict)}{under}."


def layer_rows(layers: Sequence[Layer]) -> list[tuple[str, str, str, str, str]]:
    """One row per instrument in force: id, role, verdict, deciding provisions, note."""
    return [(layer.policy, plain(layer.role) if layer.binds_us else "not binding on the US",
             layer.decision.verdict, ", ".join(layer.decision.deciding_rules), layer.note) for layer in layers]


@renderer("assessment", "html")
def assessment_html(a: Assessment) -> str:
    """The US position and a table of every instrument in force with its verdict."""
    rows = [(e(p), e(role), badge(v), e(rules), e(note)) for p, role, v, rules, note in layer_rows(a.layers)]
    return (f"<div><p><b>{e(a.date.isoformat())}</b>: US position {badge(a.verdict)} &mdash; "
            f"{e(assessment_str(a))}</p>"
            + html_table(("instrument", "role", "verdict", "deciding provisions", "note"), rows, raw=True) + "</div>")


@renderer("assessment", "rich")
def assessment_rich(a: Assessment) -> RenderableType:
    """A table of every instrument in force, titled with the US position."""
    rows = [(p, role, rich_verdict(v), rules, note) for p, role, v, rules, note in layer_rows(a.layers)]
    return rich_table(assessment_str(a), ("instrument", "role", "verdict", "deciding provisions", "note"), rows)


def column_widths(columns: Sequence[str], rows: Sequence[Sequence[Any]], room: int) -> list[int] | None:
    """Widths that fit `room` characters of cell text, each column at least its longest word (so ids
    and dates are never cut), the rest shared by how much each column would wrap; None if even the
    longest words do not fit."""
    texts = [[str(row[i]) for row in rows] + [column] for i, column in enumerate(columns)]
    natural = [max(len(t) for t in cells) for cells in texts]
    least = [max(len(w) for t in cells for w in (t.split() or [""])) for cells in texts]
    if sum(natural) <= room:
        return natural
    spare = room - sum(least)
    if spare < 0:
        return None
    want = [n - m for n, m in zip(natural, least)]
    return [m + spare * w // max(sum(want), 1) for m, w in zip(least, want)]


def rich_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]],
               width: int | None = None) -> Any:
    """A rich table that wraps only between words, so ids and dates are never cut (when `width`,
    default the terminal's, leaves room for the longest words)."""
    rows = [tuple(row) for row in rows]
    sizes = column_widths(columns, rows, (width or Console().width) - (3 * len(columns) + 1))
    table = Table(title=Text(title) if title else None, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(Text(column), width=sizes[i] if sizes else None, overflow="fold",
                         no_wrap=not sizes and i == 0)
    for row in rows:
        table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in row))  # text, never markup
    return table


@renderer("in_force", "repr")
def in_force_repr(entry: Any) -> str:
    """`<InForce trump-2020 executive: carried over: ...>` (the note cut to one short line)."""
    note = cut(entry.note)
    return f"<InForce {entry.policy.id} {plain(entry.role)}{': ' + note if note else ''}>"


@renderer("in_force", "html")
def in_force_html(entry: Any) -> str:
    """The instrument, its role in the layering and its note."""
    note = f" &mdash; {e(entry.note)}" if entry.note else ""
    return f"<div><b>{e(entry.policy.id)}</b> ({e(plain(entry.role))}){note}</div>"


# -- Policy and Rule --------------------------------------------------------------------------------


def period_words(p: Policy) -> str:
    """`1996-05-16 to 2004-02-27`, or for an instrument silent after its provisions end under the
    default readings: `1992-10-23 to today (silent after 2008-10-22 under stat-1-after-2008's default reading)`."""
    text = f"{p.in_force_from.isoformat()} to {p.in_force_to.isoformat() if p.in_force_to else 'today'}"
    silent = p.silent_after()
    if silent is None:
        return text
    last, names = silent
    which = f" under {', '.join(names)}'s default reading" if names else ""
    return f"{text} (silent after {last.isoformat()}{which})"


@renderer("policy", "repr")
def policy_repr(p: Policy) -> str:
    """`<Policy biden-2022 executive_policy 2022-06-21..2025-12-02, 14 rules>`."""
    end = p.in_force_to.isoformat() if p.in_force_to else ""
    return f"<Policy {p.id} {p.kind} {p.in_force_from.isoformat()}..{end}, {len(p.rule_ids())} rules>"


@renderer("policy", "str")
def policy_str(p: Policy) -> str:
    """`biden-2022: <title> (in force 2022-06-21 to 2025-12-02)`."""
    return f"{p.id}: {p.title} (in force {period_words(p)})"


@renderer("policy", "html")
def policy_html(p: Policy) -> str:
    """The instrument's dates and a table of its provisions with their quotes."""
    rows = [(f"<code>{e(r.id)}</code>", badge(r.effect), e(r.title), f"&ldquo;{e(r.quote)}&rdquo;", e(r.source.id))
            for r in _distinct_rules(p)]
    return (f"<div><p><b>{e(p.id)}</b> &mdash; {e(p.title)}<br><small>{e(plain(p.kind))}, in force "
            f"{e(p.in_force_from.isoformat())} to {e(p.in_force_to.isoformat() if p.in_force_to else 'today')}"
            f"{', binds the US' if p.binds_us else ', does not bind the US'}</small></p>"
            + html_table(("provision", "effect", "title", "quote", "source"), rows, raw=True) + "</div>")


@renderer("policy", "rich")
def policy_rich(p: Policy) -> RenderableType:
    """A table of the instrument's provisions."""
    return rich_table(policy_str(p), ("provision", "effect", "title"),
                      [(r.id, rich_verdict(r.effect), r.title) for r in _distinct_rules(p)])


def _distinct_rules(p: Policy) -> list[Rule]:
    seen: dict[str, Rule] = {}
    for rule in p.rules:
        seen.setdefault(rule.id, rule)
    return list(seen.values())


@renderer("rule", "repr")
def rule_repr(r: Rule) -> str:
    """`<Rule B22-2 prohibited [S34, primary_via_quote]>`."""
    low = ", low confidence" if r.confidence == "low" else ""
    return f"<Rule {r.id} {r.effect} [{r.source.id}, {r.evidence}{low}]>"


@renderer("rule", "str")
def rule_str(r: Rule) -> str:
    """`B22-2 (prohibited): <title>: "<quote>"`."""
    title = f" {r.title}:" if r.title else ""
    return f"{r.id} ({r.effect}):{title} {quoted(r.id, r.quote, r.paraphrase)}"


@renderer("rule", "html")
def rule_html(r: Rule) -> str:
    """The provision, its effect, its condition in words and its citation."""
    return (f"<div><code>{e(r.id)}</code> {badge(r.effect)} {e(r.title)}"
            f"<blockquote style=\"margin:2px 0 2px 12px;font-style:italic\">{quoted_html(r.id, r.quote, r.paraphrase)}</blockquote>"
            f"<small>when {e(describe(r.when))}; source {e(r.source.id)}: {e(r.source.title)} "
            f"[{e(r.evidence)}]</small></div>")


def policies_rows(policies: Sequence[Policy]) -> list[tuple[str, str, str, str, str]]:
    """One row per instrument: id, kind, period of force, rule count, title."""
    return [(p.id, plain(p.kind).replace(" policy", "") if p.binds_us else "treaty, not binding on the US",
             period_words(p), str(len(p.rule_ids())), p.title) for p in policies]


POLICY_COLUMNS = ("id", "kind", "in force", "rules", "title")


# -- Analyses and corpora ---------------------------------------------------------------------------


def side_html(side: Any) -> str:
    """One side of a change: the verdict as a label, then the deciding provisions."""
    rules = f" by <code>{e(', '.join(side.deciding))}</code>" if side.deciding else ""
    return badge(str(side.verdict)) + rules


@renderer("diff", "repr")
def diff_repr(d: Any) -> str:
    """`<Diff trump-2020 -> biden-2022: 98 classes, 345 cells checked>`."""
    on = f" on {d.on.isoformat()}" if d.on else ""
    return f"<Diff {d.a} -> {d.b}{on}: {len(d.classes)} classes, {d.cells} cells checked>"


@renderer("diff_class", "repr")
def diff_class_repr(c: Any) -> str:
    """`<DiffClass not addressed -> permitted by B22-2.destruction when ...>` cut to one short line."""
    return f"<DiffClass {c.before.words()} -> {c.after.words()} when {cut(c.condition_words())}>"


@renderer("diff_class", "html")
def diff_class_html(c: Any) -> str:
    """Both sides of the change and the conditions of the class."""
    return f"<div>{side_html(c.before)} &rarr; {side_html(c.after)} when {e(c.condition_words())}</div>"


def diff_rows(d: Any) -> list[tuple[Any, Any, str]]:
    """One row per class: before, after, the conditions in words."""
    return [(c.before, c.after, c.condition_words()) for c in d.classes]


@renderer("diff", "html")
def diff_html(d: Any) -> str:
    """A table of every class of scenarios whose verdict changes, with both sides and the conditions."""
    rows = [(side_html(before), side_html(after), e(when)) for before, after, when in diff_rows(d)]
    return (f"<div><p>{e(str(d.document().summary))}</p>"
            + html_table((d.a, d.b, "when"), rows, raw=True) + "</div>")


@renderer("diff", "rich")
def diff_rich(d: Any) -> RenderableType:
    """A table of the classes: before, after, when."""
    return rich_table(f"diff {d.a} -> {d.b}", (d.a, d.b, "when"),
                      [(before.words(), after.words(), when) for before, after, when in diff_rows(d)])


@renderer("comparison", "repr")
def comparison_repr(c: Any) -> str:
    """`<Comparison obama-2014 vs biden-2022: incomparable>`."""
    return f"<Comparison {c.a} vs {c.b}: {plain(str(c.answer))}, {c.cells} cells checked>"


@renderer("comparison", "html")
def comparison_html(c: Any) -> str:
    """The answer in a sentence, then each counterexample."""
    lines = c.words().split("\n")
    return f"<div><p><b>{e(lines[0])}</b></p>" + "".join(f"<p>{e(line)}</p>" for line in lines[1:]) + "</div>"


@renderer("implication", "repr")
def implication_repr(i: Any) -> str:
    """`<Implication obama-2014 => biden-2022: fails>`."""
    return f"<Implication {i.a} => {i.b}: {'holds' if i.holds else 'fails'}>"


@renderer("implication", "html")
def implication_html(i: Any) -> str:
    """Whether it holds, and the counterexample when not."""
    verdict = "holds" if i.holds else "does not hold"
    example = f"<p>counterexample: {e(i.counterexample.words())}</p>" if i.counterexample else ""
    return f"<div><p>whatever {e(i.a)} permits, {e(i.b)} permits too: <b>{verdict}</b></p>{example}</div>"


@renderer("counterexample", "repr")
def counterexample_repr(c: Any) -> str:
    """`<Counterexample activity=use ...>` cut to one short line."""
    text = c.words()
    return f"<Counterexample {text if len(text) <= 120 else text[:117] + '...'}>"


@renderer("corpus", "html")
def corpus_html(corpus: Any) -> str:
    """A table of the corpus's instruments."""
    return html_table(POLICY_COLUMNS, policies_rows(list(corpus)))


@renderer("corpus", "rich")
def corpus_rich(corpus: Any) -> RenderableType:
    """A table of the corpus's instruments."""
    return rich_table(f"Corpus of {len(corpus)}", POLICY_COLUMNS, policies_rows(list(corpus)))


@renderer("vocabulary", "html")
def vocabulary_html(vocab: Any) -> str:
    """A table of the fields: name, type, values, description."""
    return html_table(("field", "type", "values", "description"),
                      ((f.name, f.type, ", ".join(f.values), f.description) for f in vocab.fields.values()))


@renderer("across", "html")
def across_html(view: Across) -> str:
    """A table of the periods of each instrument, then each change of the executive answer."""
    rows = [(e(p.policy), e(row[1]), e(p.start.isoformat()), e(p.end.isoformat() if p.end else ""),
             badge(p.decision.verdict, p.decision.reason), e(provisions_of(p.decision)))
            for p, row in zip(view.periods, view.rows())]
    changes = "".join(f"<li>{e(s.sentence())}</li>" for s in view.changes)
    return (f"<div><p>{e(scenario_words(view.scenario))}</p>"
            + html_table(("instrument", "kind", "from", "to", "verdict", "deciding provisions"), rows, raw=True)
            + f"<p>When the executive answer changed:</p><ul>{changes}</ul></div>")


@renderer("across", "rich")
def across_rich(view: Across) -> RenderableType:
    """A table of the periods of each instrument, titled with the scenario."""
    rows = [(p.policy, p.start.isoformat(), p.end.isoformat() if p.end else "",
             rich_verdict(p.decision.verdict, p.decision.reason), provisions_of(p.decision)) for p in view.periods]
    return rich_table(scenario_words(view.scenario), ("instrument", "from", "to", "verdict", "deciding provisions"),
                      rows)


@renderer("claim_result", "html")
def claim_result_html(result: Any) -> str:
    """The answer in bold, then the rest of its words as they print."""
    lines = result.words().split("\n")
    return (f"<div><strong>{e(lines[0])}</strong><pre style=\"white-space:pre-wrap;margin:4px 0\">"
            f"{e(chr(10).join(line[2:] for line in lines[1:]))}</pre></div>")


@renderer("trace", "html")
def trace_html(trace: Any) -> str:
    """A table of every provision: its effect, whether it holds, what fails or is open, what defeats it."""
    rows = [(f"<code>{e(row.rule)}</code>", badge(str(row.effect)), e(plain(str(row.status))),
             e("; ".join(describe_part(c) for c in (row.failing or row.open))),
             e(", ".join(row.defeated_by)), "decides" if row.deciding else "") for row in trace]
    return html_table(("provision", "effect", "condition", "failing or open", "defeated by", ""), rows, raw=True)
