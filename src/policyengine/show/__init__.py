"""How values look: text, HTML and rich renderers, tables for the terminal, the SVG timeline.

Importing this package registers every renderer with `policyengine.core.rendering` (the package's
`__init__` imports it, so a value can always draw itself)."""

from . import display, results

__all__ = ["display", "results"]
