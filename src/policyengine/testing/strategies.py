"""Hypothesis strategies that generate valid scenarios from the vocabulary (public, for your suites).

    from .strategies import scenarios

    @given(scenarios(fields=["activity", "mine", "location"], values={"activity": ["use"]}))
    def test_use_is_always_answered(scenario): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..core.errors import PolicyEngineError

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised by a subprocess test without hypothesis
    raise PolicyEngineError("policyengine.testing.strategies needs Hypothesis, which is not installed",
                            where="import policyengine.testing.strategies",
                            hint="pip install 'apl-policyengine[strategies]' (or pip install hypothesis)") from None

from ..core.conditions import tests_of
from ..registry import policies, vocabulary
from ..core.vocabulary import Value, Vocabulary

FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)
MAX_DAYS = 120


def _boundary_dates() -> list[dt.date]:
    days = set()
    for policy in policies():
        days.update(d for d in (policy.in_force_from, policy.in_force_to) if d)
        for rule in policy.rules:
            days.update(v for t in tests_of(rule.condition) if t.field == "date" for v in t.values)
    return sorted(day + dt.timedelta(days=shift) for day in days for shift in (-1, 0, 1))


def values_of(field: str, allowed: Sequence[Value] | None = None) -> st.SearchStrategy[Value]:
    """A strategy for one field's values: enums and bools from the vocabulary, integers and dates
    weighted towards the boundaries the instruments use."""
    spec = vocabulary().field(field)
    if allowed is not None:
        return st.sampled_from([spec.coerce(v) for v in allowed])
    if spec.type in ("enum", "bool"):
        return st.sampled_from(spec.domain())
    if spec.type == "integer":
        low = spec.minimum or 0
        return st.one_of(st.sampled_from([low, 1, 2, 29, 30, 31, 45, 90]), st.integers(low, MAX_DAYS))
    return st.one_of(st.sampled_from(_boundary_dates()), st.dates(FIRST_DAY, LAST_DAY))


@st.composite
def scenarios(draw: Any, fields: Iterable[str] | None = None, values: Mapping[str, Sequence[Value]] | None = None,
              optional: Iterable[str] | bool = ()) -> dict[str, Value]:
    """Valid scenarios: every field in `fields` (default: the whole vocabulary) is present, with
    values restricted by `values`; fields in `optional` (or all, if True) may be left out. A draw that
    states a contradiction of the vocabulary is repaired (see `consistent`)."""
    vocab = vocabulary()
    names = list(fields) if fields is not None else list(vocab.names)
    for name in [*names, *(values or {})]:
        vocab.field(name)
    maybe = set(names) if optional is True else set(optional or ())
    scenario = {}
    for name in names:
        if name in maybe and not draw(st.booleans()):
            continue
        scenario[name] = draw(values_of(name, (values or {}).get(name)))
    return consistent(scenario, vocab, keep=values or ())


def consistent(scenario: dict[str, Value], vocab: Vocabulary | None = None,
               keep: Iterable[str] = ()) -> dict[str, Value]:
    """The scenario with each contradiction of the vocabulary repaired (see `Vocabulary.repair`)."""
    return (vocab or vocabulary()).repair(scenario, keep)