"""The documentation site builds with `mkdocs build --strict` (a broken link, a page missing from
the navigation or a docstring mkdocstrings cannot read fails it), and the README stays short."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_LINES = 150


@pytest.mark.slow  # a whole MkDocs build
def test_site_builds_strict(tmp_path):
    """`mkdocs build --strict` succeeds and writes a page per section, the API reference included."""
    pytest.importorskip("mkdocs", reason="the documentation site needs the test extra: pip install -e '.[test]'")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "WARNING" not in done.stderr, done.stderr[-4000:]
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert 'id="policyengine.evaluate"' in api and 'id="policyengine.analysis.diff.diff"' in api
    for page in ("tutorial", "glossary", "how-to/ask-questions", "explanation/how-it-works",
                 "reference/command-line"):
        assert (tmp_path / "site" / page / "index.html").is_file(), page


def test_every_page_is_in_the_navigation():
    """Each Markdown page under docs/ is listed in mkdocs.yml (or deliberately left out of it)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").rglob("*.md")):
        name = page.relative_to(ROOT / "docs").as_posix()
        assert f" {name}" in config, f"docs/{name} is not in mkdocs.yml's nav"


def test_readme_is_short():
    """The README is at most 150 lines: what it is, the two commands, a worked example and links."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_LINES, len(lines)
