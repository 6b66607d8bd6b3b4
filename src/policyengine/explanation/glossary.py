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


@attrs.frozen
class Concept:
    """An idea of the answers themselves (a verdict, a way of deciding), with what it means."""

    key: str
    title: str
    meaning: str
    see: str = ""  # the command or page that shows it at work

    def text(self) -> str:
        """The concept as a few lines of text."""
        return f"{self.title}: {self.meaning}" + (f"\n  see: {self.see}" if self.see else "")

    def markdown(self) -> str:
        """The concept as a glossary section."""
        return f"### {self.title}\n\n{self.meaning}\n" + (f"\nSee: {self.see}.\n" if self.see else "")


#: The concepts a reader meets in every answer, before any field value.
CONCEPTS = (
    Concept("verdict", "verdict",
            "What an instrument says about a scenario: permitted, prohibited, required (a duty, such as "
            "destroying stocks by a deadline), not addressed, conflict or conditional. Every verdict names the "
            "provisions that decided it (its deciding provisions), each with its quote, source and evidence grade.",
            "policyengine evaluate --policy biden-2022 --scenario transfer-apl-for-destruction"),
    Concept("conditional", "conditional",
            "The scenario leaves open a fact the answer turns on, so the answer is given for each case: "
            "'prohibited or permitted, depending on authorization', with the provisions deciding each outcome "
            "and the values that lead to it. Give the missing field to get one verdict. A field left open that "
            "changes only which provisions apply, not the verdict, does not make the answer conditional.",
            "policyengine evaluate --policy trump-2020 --scenario use-self-deactivating-mine-outside-korea"),
    Concept("not_addressed", "not addressed",
            "No provision of the instrument applies to the scenario: the instrument is silent. It is not a "
            "permission. 'Not addressed (out of scope)' means the scenario lies outside what the instrument "
            "covers at all (its definition of an anti-personnel mine, say), and the deciding provision is that "
            "definition. On a date, a silent executive policy leaves the US position not addressed even when a "
            "treaty allows the act: the treaty allows it, it does not decide that the US will do it.",
            "policyengine explain --across --scenario transfer-apl-for-destruction"),
    Concept("exception", "exception",
            "A provision that defeats another one it names: the 2022 policy bars transfers (B22-2) except for "
            "destruction (B22-2.destruction), so a transfer for destruction is permitted by the exception and "
            "the bar is reported as defeated. An exception decides only when its own conditions hold.",
            "policyengine explain --policy biden-2022 --why-not B22-2 --scenario transfer-apl-for-destruction"),
    Concept("conflict", "conflict",
            "Provisions of one instrument with different effects all apply and none is an exception to the "
            "others: the instrument contradicts itself on this scenario, and both sides are named.",
            "policyengine check"),
    Concept("inherited", "inherited",
            "An older policy's provision still in force under a newer one, because the newer policy replaced it "
            "only within its own scope (policies/layering.yaml: biden-2022 changed anti-personnel mine policy "
            "only, so trump-2020's bar on persistent anti-vehicle mines stands). A dated answer cites it as "
            "inherited and says why. A provision a newer file copies on purpose names it with inherited_from.",
            "policyengine evaluate --on 2022-06-21 activity=use mine=anti_vehicle persistence=persistent"),
    Concept("carried_over", "carried over",
            "An instrument still in force under a later President who did not replace it (trump-2020 under "
            "President Biden until 2022-06-21); the dated answer says who issued it and who was in office.",
            "policyengine timeline"),
    Concept("reading", "reading (interpretation)",
            "Where the sources leave a point open, the policy file declares a named interpretation with its "
            "readings and a default one; a provision may exist under one reading only. An answer that turns on "
            "the choice is flagged with the verdict under the other reading; --interpretation NAME=READING "
            "picks another.",
            "the open questions of docs/sources.md, and --interpretation NAME=READING on any command"),
    Concept("us_position", "US position",
            "The answer on a date for the United States: the most restrictive of the executive answers in force "
            "(own and inherited) and of the bars and duties of the statutes and treaties binding the US. A "
            "treaty's permission never decides it; the Ottawa Convention, which the US never joined, is shown "
            "but not counted.",
            "policyengine evaluate --on 2021-03-01 activity=use mine=anti_personnel"),
    Concept("witness", "witness",
            "A complete scenario inside a class of scenarios that diff, compare, check and claims report, "
            "re-evaluated on both instruments to show the class is real. Its values come from the named "
            "scenarios and the vocabulary's typical values wherever the class allows, so it reads like a case.",
            "policyengine diff trump-2020 biden-2022 --summary"),
)


def concepts() -> tuple[Concept, ...]:
    """The concepts of the answers, in the order a reader meets them."""
    return CONCEPTS


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


def lookup(term: str, corpus: Corpus) -> tuple[Entry | Concept, ...]:
    """The entries for a term: a concept or exact names first; else every entry whose name or meaning
    mentions it; ScenarioError with the nearest term otherwise."""
    wanted = _normal(term.strip())
    if not wanted:
        raise ScenarioError("empty term", where="--term", hint="write for example --term persistent")
    idea = [c for c in CONCEPTS if wanted in (c.key, _normal(c.title))]
    if idea:
        return tuple(idea)
    every = entries(corpus)
    exact = [e for e in every if e.key == wanted]
    if exact:
        return tuple(exact)
    found = [e for e in every if wanted in _normal(e.key) or wanted in _normal(e.meaning)]
    if found:
        return tuple(found)
    raise ScenarioError(f"no term '{term}' in the glossary", where="--term",
                        hint=did_you_mean(wanted, tuple(e.key for e in (*CONCEPTS, *every))))


def term_text(term: str, corpus: Corpus) -> str:
    """The glossary entries for a term, as text."""
    return "\n\n".join(e.text() for e in lookup(term, corpus))


def markdown(corpus: Corpus) -> str:
    """The whole glossary as Markdown (docs/glossary.md)."""
    head = ("# Glossary\n\n"
            "First the concepts every answer uses (what a verdict, conditional, not addressed, an exception, an\n"
            "inherited provision or a reading mean), then every term of the scenario vocabulary\n"
            "(`policies/vocabulary.yaml`) and every term an instrument defines, with the provisions that define\n"
            "or use it. Generated from the policy files by `policyengine.explanation.glossary.markdown(pe.bundled())`;\n"
            "`policyengine explain --term TERM` prints one entry.\n\n")
    return (head + "## Concepts\n\n" + "\n".join(c.markdown() for c in CONCEPTS)
            + "\n## Terms\n\n" + "\n".join(e.markdown() for e in entries(corpus)))
