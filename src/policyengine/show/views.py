"""How the library's values show themselves: a one-line repr, str, an HTML form for notebooks and a
rich form for terminals, each drawn by a function of `display` imported on first use (so importing a
value's class costs nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
FORMS = {"repr": "__repr__", "str": "__str__", "html": "_repr_html_", "rich": "__rich__"}


def shown(kind: str, *forms: str) -> Callable[[type[T]], type[T]]:
    """A class decorator giving each of `forms` (repr, str, html, rich) to the class as a method that
    calls `display.<kind>_<form>`; put it above `@attrs.frozen` so it replaces the generated repr."""

    def decorate(cls: type[T]) -> type[T]:
        for form in forms:
            setattr(cls, FORMS[form], _drawn_by(f"{kind}_{form}"))
        return cls

    return decorate


def _drawn_by(name: str) -> Callable[[Any], Any]:
    def draw(self: Any) -> Any:
        from . import display

        return getattr(display, name)(self)

    draw.__name__ = draw.__qualname__ = name
    return draw
