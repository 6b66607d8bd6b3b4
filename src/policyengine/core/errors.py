"""One exception hierarchy: every error names where, what, the offending value and a fix."""

from __future__ import annotations

import re
from typing import Any

MAX_PART = 400  # characters of one message part (message, where, hint) before it is shortened
MAX_SHOWN = 60  # characters of a quoted input value
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text: str) -> str:
    """`text` with control characters (terminal escapes, newlines) written as visible escapes."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def shorten(text: str, limit: int = MAX_PART) -> str:
    """`text` cut to at most `limit` characters, keeping the start and the end."""
    if len(text) <= limit:
        return text
    keep = (limit - 5) // 2
    return f"{text[:keep]} ... {text[-keep:]}"


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """A user-given value as an error message quotes it: escaped and shortened."""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:  # noqa: BLE001 - a value whose str() fails is shown by its type
        text = f"<{type(value).__name__}>"
    return shorten(escape(text[: limit * 4]), limit)


class PolicyEngineError(Exception):
    """Base class of every error the library raises on purpose."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = shorten(escape(str(message)))
        self.where = shorten(escape(str(where))) if where is not None else None
        self.hint = shorten(escape(str(hint))) if hint is not None else None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}; {self.hint}" if self.hint else text


class ScenarioError(PolicyEngineError):
    """A scenario names an unknown field or value, or a value of the wrong type."""


class PolicyFileError(PolicyEngineError):
    """A policy file is malformed: bad YAML, unknown keys, bad references."""


class PolicyFileErrors(PolicyFileError):
    """Several problems in one policy file; `errors` holds each, the message names the first."""

    def __init__(self, errors: list[PolicyFileError]) -> None:
        self.errors = tuple(errors)
        first = errors[0]
        more = len(errors) - 1
        hint = first.hint or ""
        if more:
            hint = (hint + "; " if hint else "") + f"and {more} more error{'s' if more > 1 else ''} in this file"
        super().__init__(first.message, where=first.where, hint=hint or None)


class UnknownPolicyError(PolicyEngineError):
    """No instrument has the requested id."""


class SuiteError(PolicyEngineError):
    """A scenario suite or named scenario file is malformed."""


class EngineError(PolicyEngineError):
    """The durable_rules engine answered outside its contract, or a policy exceeds its limits."""


class ClaimError(PolicyEngineError):
    """A claim is outside the controlled English of the claim checker, or names an unknown term."""
