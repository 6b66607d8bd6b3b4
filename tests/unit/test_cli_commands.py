"""The command table: every command is a module named after it with one interface, and a command's
module is imported only when that command is parsed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from policyengine.cli.app import COMMANDS, command_module

PROBE = """
import sys
from policyengine.cli import app
app.build_parser().format_help()
{then}
print(" ".join(sorted(m for m in sys.modules if m.startswith("policyengine.cli."))))
"""


def loaded(then: str = "") -> set[str]:
    """The cli modules imported after building the parser (and running `then`), in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", PROBE.format(then=then)], capture_output=True, text=True,
                         check=True, timeout=120)
    return set(out.stdout.split())


class TestInterface:
    """Each command's module has the same small interface."""

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_module_has_the_interface(self, name: str) -> None:
        """cli/<command>.py has add_arguments, run and its examples."""
        module = command_module(name)
        assert module.__name__ == f"policyengine.cli.{name}"
        assert callable(module.add_arguments) and callable(module.run) and "examples:" in module.EXAMPLES


class TestLazy:
    """Building the parser and showing --help import no command module; parsing one imports only it."""

    def test_help_imports_no_command(self) -> None:
        """The parser and the list of commands need only app and arguments."""
        assert loaded() == {"policyengine.cli.app", "policyengine.cli.arguments"}

    def test_parsing_a_command_imports_only_it(self) -> None:
        """`policyengine fields mine` imports cli/fields.py and no other command."""
        found = loaded("app.build_parser().parse_args(['fields', 'mine'])")
        assert found == {"policyengine.cli.app", "policyengine.cli.arguments", "policyengine.cli.fields"}

    def test_version_loads_neither_the_vocabulary_nor_attrs(self) -> None:
        """`policyengine --version` imports only the version, the errors, the spelling hints and the engine choice."""
        probe = ("import sys; from policyengine.__main__ import main; main(['--version']); "
                 "print(' '.join(sorted(m for m in sys.modules if m.startswith('policyengine') or m in ('attr', 'yaml'))))")
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
        assert set(out.stdout.splitlines()[-1].split()) == {
            "policyengine", "policyengine.__main__", "policyengine.version", "policyengine.core",
            "policyengine.core.errors", "policyengine.core.spelling", "policyengine.core.engines"}
