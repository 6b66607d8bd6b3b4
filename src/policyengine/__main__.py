"""The `policyengine` command (also `python -m policyengine`): `--version` is answered before the
library loads, so it prints at once; everything else goes to `cli.main`."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `policyengine` command."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        from .version import __version__  # lazy: --version needs neither the commands nor the corpus
        from .core.engines import version_line  # lazy: as above

        print(version_line(__version__))
        return 0
    from .cli import main as run  # lazy: only past the --version fast path

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
