"""The `policyengine` command: one module per command family, `app` parses and dispatches."""

from .app import main

__all__ = ["main"]
