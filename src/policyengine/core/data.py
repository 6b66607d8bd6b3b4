"""Where the package's data files are: `policies/`, `scenarios/` and `exercises/` of the installed
copy, else of the source checkout (`$POLICYENGINE_DATA` overrides both)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder holding `policies/`, `scenarios/` and `exercises/`."""
    override = os.environ.get("POLICYENGINE_DATA")
    if override:
        return Path(override)
    package = Path(__file__).resolve().parents[1]
    bundled_data = package / "_data"
    return bundled_data if (bundled_data / "policies").is_dir() else package.parents[1]


def policy_files() -> list[Path]:
    """Every bundled policy file."""
    return sorted((data_dir() / "policies").glob("*/*.yaml"))
