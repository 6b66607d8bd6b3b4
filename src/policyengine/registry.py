"""The bundled instruments and vocabulary: found once, loaded once, shared by every caller.

This is the edge of the library: only `api` (the public functions' default corpus) and the command
line's argument helpers ask for the bundled corpus; every other function is given a `Corpus`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from .cache import cached
from .core.corpus import Corpus
from .core.data import data_dir, policy_files
from .core.errors import PolicyEngineError
from .core.evaluation import Evaluator
from .core.loader import load_policy
from .core.model import Policy
from .core.vocabulary import Value, Vocabulary, load_vocabulary
from .core.yamlio import load_yaml

__all__ = ["bundled", "data_dir", "evaluator", "evaluators", "named_examples", "policies", "policy_files",
           "vocabulary"]

_lock = threading.Lock()
_BUNDLED: Corpus | None = None  # the one cache of the bundled instruments in this process
_EXAMPLES: tuple[Mapping[str, Value], ...] | None = None  # the named scenarios' fields


def bundled() -> Corpus:
    """The library's own instruments, loaded once per process (from the on-disk cache when their
    files are unchanged); every caller gets the same Corpus."""
    global _BUNDLED
    corpus = _BUNDLED
    if corpus is None:
        with _lock:
            if _BUNDLED is None:
                _BUNDLED = _load()
            corpus = _BUNDLED
    return corpus


def _load() -> Corpus:
    vocab_file = data_dir() / "policies" / "vocabulary.yaml"
    files = policy_files()

    def load() -> tuple[Vocabulary, tuple[Policy, ...]]:
        vocab = load_vocabulary(vocab_file)
        return vocab, tuple(load_policy(path, vocab) for path in files)

    vocab, loaded = cached("bundled", [vocab_file, *files], load)
    return Corpus(list(loaded), vocab)


def vocabulary() -> Vocabulary:
    """The scenario vocabulary of `policies/vocabulary.yaml`."""
    return bundled().vocabulary


def evaluators() -> dict[str, Evaluator]:
    """An evaluator per bundled instrument, keyed by id, in order of entry into force."""
    return dict(bundled().evaluators)


def evaluator(policy_id: str) -> Evaluator:
    """The evaluator of one bundled instrument; UnknownPolicyError with a suggestion otherwise."""
    return bundled().evaluator(policy_id)


def policies() -> tuple[Policy, ...]:
    """Every bundled instrument, in order of entry into force."""
    return tuple(bundled())


def named_examples() -> tuple[Mapping[str, Value], ...]:
    """The fields of every named scenario of `scenarios/named.yaml`, typed: the realistic values
    `diff` and `compare` prefer for witnesses. An entry the vocabulary rejects is left out (the
    suites report it); no file gives none."""
    global _EXAMPLES
    if _EXAMPLES is None:
        path = data_dir() / "scenarios" / "named.yaml"
        doc = load_yaml(str(path)) if path.is_file() else None
        entries = doc.get("scenarios") if isinstance(doc, Mapping) else None
        out = []
        for spec in (entries or {}).values():
            try:
                out.append(vocabulary().validate(spec["fields"]))
            except (PolicyEngineError, KeyError, TypeError):
                continue
        _EXAMPLES = tuple(out)
    return _EXAMPLES
