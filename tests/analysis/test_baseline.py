"""`check --baseline REF` reports every change of answer of an instrument against its baseline version."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from policyengine.analysis.baseline import changes
from policyengine.cli.app import main
from policyengine.core.errors import PolicyEngineError
from policyengine.core.loader import load_policy
from policyengine.registry import data_dir, vocabulary

POLICIES = data_dir() / "policies"


def _edited(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    """A copy of a bundled policy file, under the same relative path, with one edit."""
    text = (POLICIES / rel).read_text()
    assert old in text
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new))
    return path


class TestBaselineFolder:
    """Against a folder of baseline files."""

    def test_a_moved_date_shows_as_changes_of_verdict(self, tmp_path, capsys):
        """Moving the end of B04-8 by a year reports the scenarios whose verdict changes, with the provision."""
        path = _edited(tmp_path, "us/bush-2004.yaml", "until: 2008-10-22", "until: 2009-10-22")
        assert main(["check", "--baseline", str(POLICIES), str(path)]) == 0
        out = capsys.readouterr().out
        assert "changed:" in out and "not addressed -> prohibited by B04-8" in out and "date" in out

    def test_a_moved_period_in_force_shows_as_a_layering_change(self, tmp_path):
        """A changed in_force date changes no verdict of the instrument but is reported."""
        path = _edited(tmp_path, "us/bush-2004.yaml", "in_force: {from: 2004-02-27", "in_force: {from: 2004-03-27")
        found = changes(load_policy(path, vocabulary()), path, str(POLICIES), vocabulary())
        assert [c.kind for c in found] == ["layering"] and "in_force_from" in found[0].text

    def test_an_unchanged_file_reports_nothing(self, tmp_path):
        """The same text: no change."""
        path = _edited(tmp_path, "us/trump-2020.yaml", "id: trump-2020", "id: trump-2020")
        assert changes(load_policy(path, vocabulary()), path, str(POLICIES), vocabulary()) == ()


class TestBaselineGit:
    """Against a git revision."""

    def test_a_revision_of_a_repository(self, tmp_path):
        """A file committed, then edited, is compared with the committed version."""
        if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
            pytest.skip("git is not installed")
        repo = tmp_path / "repo"
        path = _edited(repo, "us/bush-2004.yaml", "until: 2008-10-22", "until: 2008-10-22")
        for cmd in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
            subprocess.run(["git", "-C", str(repo), *cmd], check=True, capture_output=True)
        path.write_text(path.read_text().replace("until: 2008-10-22", "until: 2009-10-22"))
        found = changes(load_policy(path, vocabulary()), path, "HEAD", vocabulary())
        assert found and all(c.kind == "verdict" for c in found) and any("B04-8" in c.text for c in found)

    def test_no_such_revision(self, tmp_path):
        """A name that is neither a folder nor a revision fails with a hint."""
        path = _edited(tmp_path, "us/bush-2004.yaml", "id: bush-2004", "id: bush-2004")
        with pytest.raises(PolicyEngineError, match="neither a folder nor a git revision"):
            changes(load_policy(path, vocabulary()), path, "no-such-ref-xyz", vocabulary())
