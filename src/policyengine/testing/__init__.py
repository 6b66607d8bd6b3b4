"""Testing policies: scenario suites, a test runner with provision coverage, a pytest plugin, strategies."""
