"""The library's words for its outcomes, each phrase defined once: a verdict or reason in words, a
verdict with the provisions that decide it, a scenario as `field=value` words, and a provision defeated
by its exception. Every explanation, report, page, grade and error message takes them from here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .outcomes import Reason
from .vocabulary import show_value


def plain(name: object) -> str:
    """A verdict, reason or answer in words: `not_addressed` -> `not addressed`."""
    return str(name).replace("_", " ")


def verdict_words(verdict: object, reason: object | None = None) -> str:
    """A verdict with its reason when the reason tells more: `not addressed (out of scope)`."""
    words = plain(verdict)
    return f"{words} ({plain(reason)})" if reason and reason != Reason.NO_RULE_APPLIES else words


def decided_by(words: str, deciding: Iterable[str]) -> str:
    """Words for an outcome with the provisions that decide it: `prohibited by B22-3` (alone without any)."""
    rules = ", ".join(deciding)
    return f"{words} by {rules}" if rules else words


def scenario_words(scenario: Mapping[str, object]) -> str:
    """A scenario as the command line takes it: `activity=use mine=anti_personnel`."""
    return " ".join(f"{k}={show_value(v)}" for k, v in scenario.items())


def defeated(by: Iterable[str], exception: bool = True) -> str:
    """`defeated by its exception B22-4`, or `defeated by B22-4` where the exception is said otherwise."""
    return f"defeated by {'its exception ' if exception else ''}{', '.join(by)}"


def defeated_words(target: str, by: Iterable[str]) -> str:
    """`B22-3 applies but is defeated by its exception B22-4`: a provision that applies and does not decide."""
    return f"{target} applies but is {defeated(by)}"


def outcome_words(verdict: object, deciding: Iterable[str], reason: object | None = None) -> str:
    """A verdict (with its reason when it tells more) and the provisions deciding it: `prohibited by B22-3`."""
    return decided_by(verdict_words(verdict, reason), deciding)


def provision_list(ids: Iterable[str]) -> str:
    """Provision ids as a reader sees them: `B22-3, B22-4`, or `no provision`."""
    return ", ".join(ids) or "no provision"
