"""`@pytest.mark.own_process` runs a test function in a forked child (see child.py); its fixtures are set
up and torn down in this process, as usual."""

from __future__ import annotations

import pytest
from child import in_child


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Call a test marked `own_process` in a child process; leave other tests to pytest."""
    if pyfuncitem.get_closest_marker("own_process") is None:
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    in_child(pyfuncitem.obj, **arguments)
    return True
