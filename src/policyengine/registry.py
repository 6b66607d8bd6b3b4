"""The bundled instruments and vocabulary: found once, loaded once, shared by every caller."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import cached
from .core.evaluation import Evaluator
from .core.loader import load_policy
from .core.model import Policy
from .core.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from .core.corpus import Corpus

_lock = threading.RLock()
_LOADED: tuple[Vocabulary, tuple[Policy, ...]] | None = None


def data_dir() -> Path:
    """The folder holding `policies/` and `scenarios/` (the installed copy, else the source checkout)."""
    override = os.environ.get("POLICYENGINE_DATA")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    bundled_data = here / "_data"
    return bundled_data if (bundled_data / "policies").is_dir() else here.parents[1]


def vocabulary() -> Vocabulary:
    """The scenario vocabulary of `policies/vocabulary.yaml`."""
    return _loaded()[0]


def policy_files() -> list[Path]:
    """Every bundled policy file."""
    root = data_dir() / "policies"
    return sorted(p for p in root.glob("*/*.yaml"))


def _loaded() -> tuple[Vocabulary, tuple[Policy, ...]]:
    """The vocabulary and the bundled policies, loaded once per process (every caller gets the same
    objects), from the on-disk cache when their files are unchanged."""
    global _LOADED
    if _LOADED is None:
        with _lock:
            if _LOADED is None:
                vocab_file = data_dir() / "policies" / "vocabulary.yaml"
                files = policy_files()

                def load() -> tuple[Vocabulary, tuple[Policy, ...]]:
                    vocab = load_vocabulary(vocab_file)
                    return vocab, tuple(load_policy(path, vocab) for path in files)

                _LOADED = cached("bundled", [vocab_file, *files], load)
    return _LOADED


@lru_cache(maxsize=1)
def _bundled() -> Corpus:
    from .core.corpus import Corpus

    vocab, policies = _loaded()
    return Corpus(list(policies), vocab)


def bundled() -> Corpus:
    """The library's own instruments, loaded once."""
    with _lock:
        return _bundled()


def corpus_or_bundled(corpus: Corpus | None) -> Corpus:
    """`corpus`, or the bundled instruments when it is None."""
    return bundled() if corpus is None else corpus


def evaluators() -> dict[str, Evaluator]:
    """An evaluator per bundled instrument, keyed by id, in order of entry into force."""
    return dict(bundled().evaluators)


def evaluator(policy_id: str) -> Evaluator:
    """The evaluator of one bundled instrument; UnknownPolicyError with a suggestion otherwise."""
    return bundled().evaluator(policy_id)


def policies() -> tuple[Policy, ...]:
    """Every bundled instrument, in order of entry into force."""
    return tuple(bundled())
