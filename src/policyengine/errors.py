"""One exception hierarchy: every error names where, what, the offending value and a fix."""

from __future__ import annotations


class PolicyEngineError(Exception):
    """Base class of every error the library raises on purpose."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}; {self.hint}" if self.hint else text


class ScenarioError(PolicyEngineError):
    """A scenario names an unknown field or value, or a value of the wrong type."""


class PolicyFileError(PolicyEngineError):
    """A policy file is malformed: bad YAML, unknown keys, bad references."""


class UnknownPolicyError(PolicyEngineError):
    """No instrument has the requested id."""


class SuiteError(PolicyEngineError):
    """A scenario suite or named scenario file is malformed."""


class EngineError(PolicyEngineError):
    """The durable_rules engine answered outside its contract."""


class ClaimError(PolicyEngineError):
    """A claim is outside the controlled English of the claim checker, or names an unknown term."""
