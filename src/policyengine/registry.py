"""The bundled instruments and vocabulary: found once, loaded once, shared by every caller.

This is the edge of the library: only `api` (the public functions' default corpus) and the command
line's argument helpers ask for the bundled corpus; every other function is given a `Corpus`.
"""

from __future__ import annotations

import threading

from .cache import cached
from .core.corpus import Corpus
from .core.data import data_dir, policy_files
from .core.evaluation import Evaluator
from .core.loader import load_policy
from .core.model import Policy
from .core.vocabulary import Vocabulary, load_vocabulary

__all__ = ["bundled", "data_dir", "evaluator", "evaluators", "policies", "policy_files", "vocabulary"]

_lock = threading.Lock()
_BUNDLED: Corpus | None = None  # the one cache of the bundled instruments in this process


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
