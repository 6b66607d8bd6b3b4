"""The bundled instruments and vocabulary: found once, loaded once, shared by every caller."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from .errors import UnknownPolicyError
from .evaluation import Evaluator
from .loader import load_policy
from .model import Policy
from .vocabulary import Vocabulary, load_vocabulary, lookup

_lock = threading.Lock()


def data_dir() -> Path:
    """The folder holding `policies/` and `scenarios/` (the installed copy, else the source checkout)."""
    override = os.environ.get("POLICYENGINE_DATA")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    bundled = here / "_data"
    return bundled if (bundled / "policies").is_dir() else here.parents[1]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The scenario vocabulary of `policies/vocabulary.yaml`."""
    return load_vocabulary(data_dir() / "policies" / "vocabulary.yaml")


def policy_files() -> list[Path]:
    """Every bundled policy file."""
    root = data_dir() / "policies"
    return sorted(p for p in root.glob("*/*.yaml"))


@lru_cache(maxsize=1)
def _evaluators() -> dict[str, Evaluator]:
    vocab = vocabulary()
    loaded = [load_policy(path, vocab) for path in policy_files()]
    loaded.sort(key=lambda p: (p.in_force_from, p.id))
    return {p.id: Evaluator(p, vocab) for p in loaded}


def evaluators() -> dict[str, Evaluator]:
    """An evaluator per bundled instrument, keyed by id, in order of entry into force."""
    with _lock:
        return _evaluators()


def evaluator(policy_id: str) -> Evaluator:
    """The evaluator of one bundled instrument; UnknownPolicyError with a suggestion otherwise."""
    return lookup(evaluators(), policy_id, "policy", "policy", UnknownPolicyError, "policyengine policies")


def policies() -> tuple[Policy, ...]:
    """Every bundled instrument, in order of entry into force."""
    return tuple(e.policy for e in evaluators().values())
