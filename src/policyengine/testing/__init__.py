"""Testing policies: scenario suites, a test runner with provision coverage, strategies (the pytest
plugin is the top-level module `pytest_policyengine`)."""
