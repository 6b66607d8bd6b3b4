"""The renderer registry: how the library's values show themselves.

A value class names its forms with `@shown(kind, *forms)` (repr, str, html, rich; more for some
values); each form becomes a method that calls `render(value, kind, form)`, which finds the function
registered for that kind and form with `@renderer(kind, form)`. The renderers live in
`policyengine.show`, which fills this table when it is imported; the first value drawn before that
imports it by name (`RENDERERS_PACKAGE`), so the core never imports it and costs nothing to import.
To find how a Decision looks in a notebook, search for `@renderer("decision", "html")`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
RENDERERS_PACKAGE = "policyengine.show"  # importing it registers every renderer
METHODS = {"repr": "__repr__", "str": "__str__", "html": "_repr_html_", "rich": "__rich__"}
_RENDERERS: dict[tuple[str, str], Callable[..., Any]] = {}


def renderer(kind: str, form: str) -> Callable[[F], F]:
    """Register the decorated function as how a value of `kind` is drawn in `form`."""
    def register(function: F) -> F:
        _RENDERERS[(kind, form)] = function
        return function

    return register


def render(value: Any, kind: str, form: str, *args: Any, **kwargs: Any) -> Any:
    """`value` (a `kind`) drawn in `form` by its registered renderer."""
    function = _RENDERERS.get((kind, form))
    if function is None:
        importlib.import_module(RENDERERS_PACKAGE)
        function = _RENDERERS[(kind, form)]
    return function(value, *args, **kwargs)


def shown(kind: str, *forms: str) -> Callable[[type[T]], type[T]]:
    """A class decorator giving each of `forms` (repr, str, html, rich) to the class as the matching
    method, drawn by the renderer of (`kind`, form); put it above `@attrs.frozen` so it replaces the
    generated repr."""

    def decorate(cls: type[T]) -> type[T]:
        for form in forms:
            setattr(cls, METHODS[form], _method(kind, form))
        return cls

    return decorate


def _method(kind: str, form: str) -> Callable[[Any], Any]:
    def draw(self: Any) -> Any:
        return render(self, kind, form)

    draw.__name__ = draw.__qualname__ = f"{kind}_{form}"
    return draw
