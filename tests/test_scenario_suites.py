"""The scenario suites (scenarios/suites/*.yaml) under pytest: one test per case, through run_case."""

from __future__ import annotations

import pytest

from policyengine.errors import PolicyEngineError
from policyengine.testing.suites import all_cases, run_case


def case_id(case) -> str:
    """`policy:label:line`, e.g. `biden-2022:row-30-transfer-apl-for-destruction:212`."""
    return f"{case.policy}:{case.label}:{case.where.rsplit(':', 1)[-1]}"


def suite_params() -> list:
    """One parameter per case; a suite that does not load becomes one failing parameter with its error."""
    try:
        cases = all_cases()
    except PolicyEngineError as exc:  # a malformed suite must fail loudly, not vanish from the run
        return [pytest.param(None, str(exc), id="suite-load-error")]
    return [pytest.param(case, None, id=case_id(case)) for case in cases]


@pytest.mark.parametrize("case, load_error", suite_params())
def test_case(case, load_error):
    """The case's scenario gets the expected verdict and deciding rules (and reason and outcomes)."""
    assert load_error is None, load_error
    result = run_case(case)
    assert result.passed, f"{case.where}: " + "; ".join(result.problems)
