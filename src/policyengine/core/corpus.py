"""A corpus: the instruments an evaluation, a timeline, a comparison or a test run ranges over.

`bundled()` is the library's ten instruments. A caller layers its own over them, as OpenFisca layers
a reform over a baseline: `bundled().with_policy(pe.load_policy("mine.yaml"))` adds an instrument
(or replaces the one with the same id), `without("ottawa")` drops one. Every instrument keeps its
compiled evaluator, so a corpus is cheap to derive and evaluating in it never rebuilds anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .errors import UnknownPolicyError
from .evaluation import Evaluator
from .loader import load_policy
from .model import Policy
from .rendering import shown
from .vocabulary import Vocabulary, lookup

PolicyRef = str | Path | Policy | Evaluator


@shown("corpus", "html", "rich")
class Corpus:
    """An ordered set of instruments (by date of entry into force) on one vocabulary."""

    __slots__ = ("_judges", "vocabulary")

    def __init__(self, policies: Iterable[Policy | Evaluator], vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        judges = [p if isinstance(p, Evaluator) else Evaluator.of(p, vocabulary) for p in policies]
        judges.sort(key=lambda j: (j.policy.in_force_from, j.policy.id))
        self._judges: dict[str, Evaluator] = {j.policy.id: j for j in judges}

    def __repr__(self) -> str:
        return f"Corpus({', '.join(self._judges)})"

    def __iter__(self) -> Iterator[Policy]:
        return (j.policy for j in self._judges.values())

    def __len__(self) -> int:
        return len(self._judges)

    def __contains__(self, policy_id: object) -> bool:
        return policy_id in self._judges

    def __getitem__(self, policy_id: str) -> Policy:
        return self.evaluator(policy_id).policy

    @property
    def ids(self) -> tuple[str, ...]:
        """The instrument ids, in order of entry into force."""
        return tuple(self._judges)

    @property
    def evaluators(self) -> Mapping[str, Evaluator]:
        """The evaluator of each instrument, keyed by id, in order of entry into force."""
        return self._judges

    def evaluator(self, policy_id: str) -> Evaluator:
        """The evaluator of one instrument; UnknownPolicyError with a suggestion otherwise."""
        return lookup(self._judges, policy_id, "policy", "policy", UnknownPolicyError, "policyengine policies")

    def resolve(self, policy: PolicyRef) -> Evaluator:
        """The evaluator for an id in this corpus, a loaded Policy, or a path to a policy file."""
        if isinstance(policy, Evaluator):
            return policy
        if isinstance(policy, Policy):
            return Evaluator.of(policy, self.vocabulary)
        if not isinstance(policy, (str, Path)):
            raise UnknownPolicyError(f"a policy is an instrument id, a Policy or a path, not {type(policy).__name__}",
                                     where="policy", hint="pass for example policy='biden-2022'")
        if isinstance(policy, Path) or (policy not in self._judges and _looks_like_path(policy)):
            return Evaluator.of(load_policy(policy, self.vocabulary), self.vocabulary)
        return self.evaluator(policy)

    def with_policy(self, *policies: PolicyRef) -> Corpus:
        """This corpus with `policies` added; each replaces an instrument of the same id."""
        added = [self.resolve(p) for p in policies]
        kept = [j for i, j in self._judges.items() if i not in {a.policy.id for a in added}]
        return Corpus([*kept, *added], self.vocabulary)

    def without(self, *policy_ids: str) -> Corpus:
        """This corpus without the named instruments (each must be in it)."""
        for policy_id in policy_ids:
            self.evaluator(policy_id)
        return Corpus([j for i, j in self._judges.items() if i not in policy_ids], self.vocabulary)


def _looks_like_path(text: str) -> bool:
    return text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text
