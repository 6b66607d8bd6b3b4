"""Hypothesis profiles for the property tests, selected with the HYPOTHESIS_PROFILE environment variable.

    ci     (default) 2,000 examples per test, no deadline, derandomized and without an example
           database, so every CI run tests the same examples
    dev    200 examples, random, with the local example database (for quick runs while editing)
    quick  25 examples, derandomized (smoke check)

The property modules apply the selected profile to their own tests with
`@settings(settings.get_profile(...))` instead of `settings.load_profile`, so selecting `ci` here does
not raise the example count of Hypothesis tests elsewhere in the suite.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=2000, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "quick", max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
