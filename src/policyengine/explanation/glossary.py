"""The glossary: each term of the vocabulary and of the instruments' definitions, with the provisions
that define or use it, found in the policy files (nothing here lists provisions by hand).

Terms are the values of enum fields (`victim`, `mixed_system`), the other fields (`detectable`,
`self_destruct_days`) and the terms instruments define (`anti_personnel_mine`, `landmine`). A
provision *defines* a term when it is a definition of that name or a definition whose condition
tests the value; it *uses* it when its condition tests the value (or the field).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..core.conditions import All, Condition, Defined, Test, definitions_of, test_truth, tests_of
from ..core.corpus import Corpus
from ..core.errors import ScenarioError
from ..core.model import Policy
from ..core.vocabulary import Vocabulary, did_you_mean


@attrs.frozen
class Entry:
    """One term: what it means, and per instrument the provisions that define and use it."""

    key: str
    title: str
    meaning: str
    defined_by: tuple[tuple[str, tuple[str, ...]], ...] = ()
    used_by: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def provisions(self) -> tuple[str, ...]:
        """Every provision id that defines or uses the term."""
        return tuple(dict.fromkeys(i for _, ids in (*self.defined_by, *self.used_by) for i in ids))

    def text(self) -> str:
        """The entry as a few lines of text."""
        lines = [f"{self.title}: {self.meaning}"]
        for label, rows in (("defined by", self.defined_by), ("used by", self.used_by)):
            if rows:
                lines.append(f"  {label}:")
                lines += [f"  - {policy}: {', '.join(ids)}" for policy, ids in rows]
        if not self.defined_by and not self.used_by:
            lines.append("  no provision of the instruments tests it")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The entry as a glossary section."""
        lines = [f"### {self.title}", "", self.meaning, ""]
        for label, rows in (("Defined by", self.defined_by), ("Used by", self.used_by)):
            if rows:
                lines.append(f"{label}: " + "; ".join(f"{policy} ({', '.join(ids)})" for policy, ids in rows) + ".")
                lines.append("")
        if not self.defined_by and not self.used_by:
            lines += ["No provision of the instruments tests it.", ""]
        return "\n".join(lines)


def _mentions(cond: Condition, field: str, value: object, vocab: Vocabulary) -> bool:
    for test in tests_of(cond):
        if test.field != field:
            continue
        if value is None:
            return True
        if test.op == "not_in" and value in test.values:
            return True
        if test.op != "not_in" and test_truth(test, value, vocab) and _narrows(test, vocab):
            return True
    return False


def _narrows(test: Test, vocab: Vocabulary) -> bool:
    """False for a test that every value passes (it says nothing about any one value)."""
    domain = vocab.fields[test.field].domain()
    return not domain or not all(test_truth(test, v, vocab) for v in domain)


def _by_policy(pairs: Iterable[tuple[Policy, str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: dict[str, list[str]] = {}
    for policy, provision in pairs:
        ids = out.setdefault(policy.id, [])
        if provision not in ids:
            ids.append(provision)
    return tuple((k, tuple(v)) for k, v in out.items())


def _surface(cond: Condition) -> list[Test]:
    """The tests a condition makes itself, not those inside the definitions it names."""
    if isinstance(cond, Test):
        return [cond]
    if isinstance(cond, Defined):
        return []
    parts = getattr(cond, "parts", None)
    if parts is not None:
        return [t for p in parts for t in _surface(p)]
    return _surface(cond.part)  # Not


def _all(tests: list[Test]) -> Condition:
    return All(tuple(tests))


def entries(corpus: Corpus) -> tuple[Entry, ...]:
    """Every term, in vocabulary order, then the defined terms in alphabetical order."""
    vocab = corpus.vocabulary
    policies = list(corpus)
    out = []

    def uses(field: str, value: object) -> tuple[tuple[Policy, str], ...]:
        found = []
        for p in policies:
            for rule in p.rules:
                if _mentions(_all(_surface(rule.when)), field, value, vocab):
                    found.append((p, rule.id))
        return tuple(found)

    def defines(field: str, value: object) -> tuple[tuple[Policy, str], ...]:
        return tuple((p, d.id) for p in policies for d in p.definitions
                     if _mentions(_all(_surface(d.when)), field, value, vocab))

    for name, spec in vocab.fields.items():
        if spec.type == "enum":
            for value in spec.values:
                out.append(Entry(value, f"{value.replace('_', ' ')} ({name})", spec.value_descriptions.get(value, ""),
                                 _by_policy(defines(name, value)), _by_policy(uses(name, value))))
        elif name != "date":
            out.append(Entry(name, name.replace("_", " "), spec.description,
                             _by_policy(defines(name, None)), _by_policy(uses(name, None))))
    terms = sorted({d.term for p in policies for d in p.definitions})
    for term in terms:
        defined = [(p, d.id) for p in policies for d in p.definitions if d.term == term]
        used = [(p, r.id) for p in policies for r in p.rules
                if any(d.term == term for d in definitions_of(r.when))]
        used += [(p, "scope") for p in policies if any(d.term == term for d in definitions_of(p.scope))]
        meaning = "; ".join(dict.fromkeys(d.quote for p in policies for d in p.definitions if d.term == term))
        out.append(Entry(term, term.replace("_", " ") + " (defined term)", f"as the instruments put it: “{meaning}”",
                         _by_policy(defined), _by_policy(used)))
    return tuple(out)


def _normal(text: str) -> str:
    return text.lower().replace("-", "_").replace(" ", "_")


def lookup(term: str, corpus: Corpus) -> tuple[Entry, ...]:
    """The entries for a term: exact names first; else every entry whose name or meaning mentions it;
    ScenarioError with the nearest term otherwise."""
    every = entries(corpus)
    wanted = _normal(term.strip())
    if not wanted:
        raise ScenarioError("empty term", where="--term", hint="write for example --term persistent")
    exact = [e for e in every if e.key == wanted]
    if exact:
        return tuple(exact)
    found = [e for e in every if wanted in _normal(e.key) or wanted in _normal(e.meaning)]
    if found:
        return tuple(found)
    raise ScenarioError(f"no term '{term}' in the glossary", where="--term",
                        hint=did_you_mean(wanted, tuple(e.key for e in every)))


def term_text(term: str, corpus: Corpus) -> str:
    """The glossary entries for a term, as text."""
    return "\n\n".join(e.text() for e in lookup(term, corpus))


def markdown(corpus: Corpus) -> str:
    """The whole glossary as Markdown (docs/glossary.md)."""
    head = ("# Glossary\n\n"
            "Every term of the scenario vocabulary (`policies/vocabulary.yaml`) and every term an instrument\n"
            "defines, with the provisions that define or use it. Generated from the policy files by\n"
            "`policyengine.explanation.glossary.markdown(pe.bundled())`; `policyengine explain --term TERM` prints one entry.\n\n")
    return head + "\n".join(e.markdown() for e in entries(corpus))
