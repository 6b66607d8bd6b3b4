"""Compare policy files with their baseline versions, so that every change of an answer shows in review.

`changes(path, ref)` finds the baseline of a policy file (the same file at a git revision, or in a
folder), and reports each change between the two: every class of scenarios whose verdict or deciding
provisions change, under every combination of readings the two share (`diff`), and the changes of
the instrument's period in force and layering, which move the US position on the timeline without
changing a verdict of the instrument itself. A moved date or a narrowed definition therefore shows up.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import attrs
import yaml

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from ..core.loader import load_policy
from ..core.model import Policy
from ..core.vocabulary import Vocabulary
from .check import selections
from .diff import diff

LAYERING = ("in_force_from", "in_force_to", "replaces", "supplements", "binds_us", "kind", "scope")


@attrs.frozen
class Change:
    """One change of an instrument against its baseline, in words."""

    policy: str
    kind: str  # verdict | layering | new | removed
    text: str

    def words(self) -> str:
        """`bush-2004: verdict: ...`."""
        return f"{self.policy}: {self.kind}: {self.text}"


def baseline_text(path: str | Path, ref: str) -> str | None:
    """The text of the policy file at `ref` (a folder holding the same relative layout or the file's
    name, or a git revision); None when the baseline has no such file."""
    path = Path(path).resolve()
    folder = Path(ref)
    if folder.is_dir():
        root = _git_root(path.parent)
        candidates = ([folder / path.relative_to(root)] if root else []) + \
            [folder / path.parent.name / path.name, folder / path.name, *folder.glob(f"**/{path.name}")]
        found = next((c for c in candidates if c.is_file()), None)
        return found.read_text(encoding="utf-8") if found else None
    root = _git_root(path.parent)
    if root is None:
        raise PolicyEngineError(f"'{ref}' is neither a folder nor a git revision (no git history here)",
                                where="--baseline", hint="give a folder holding the baseline files, or run inside "
                                                         "a git checkout")
    rel = path.relative_to(root).as_posix()
    shown = subprocess.run(["git", "-C", str(root), "show", f"{ref}:{rel}"], capture_output=True, text=True)
    if shown.returncode == 0:
        return shown.stdout
    known = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           capture_output=True, text=True)
    if known.returncode != 0:
        raise PolicyEngineError(f"'{ref}' is neither a folder nor a git revision", where="--baseline",
                                hint="give a revision (main, HEAD~1, a commit) or a folder")
    return None


def _git_root(folder: Path) -> Path | None:
    try:
        found = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                               text=True)
    except OSError:
        return None
    return Path(found.stdout.strip()).resolve() if found.returncode == 0 else None


def changes(policy: Policy, path: str | Path, ref: str, vocab: Vocabulary) -> tuple[Change, ...]:
    """Every change of the instrument at `path` (loaded as `policy`) against its baseline at `ref`."""
    text = baseline_text(path, ref)
    if text is None:
        return (Change(policy.id, "new", f"no baseline version at {ref}"),)
    current = Path(path).read_text(encoding="utf-8")
    if text == current:
        return ()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(path).name
        copy.write_text(_without_findings(text), encoding="utf-8")
        try:
            before = load_policy(copy, vocab)
        except PolicyEngineError as exc:
            return (Change(policy.id, "baseline", f"the baseline version does not load: {exc}"),)
    return compare_versions(before, policy, vocab)


def _without_findings(text: str) -> str:
    """The file without its `findings:` (which document the check, not answers, and which an older
    version may have written under older rules)."""
    doc = yaml.safe_load(text)
    if isinstance(doc, dict) and "findings" in doc:
        doc.pop("findings")
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    return text


def compare_versions(before: Policy, after: Policy, vocab: Vocabulary) -> tuple[Change, ...]:
    """The changes from one version of an instrument to another: layering fields, then every class of
    scenarios whose answer changes, under each combination of the readings both versions declare."""
    out = [Change(after.id, "layering", f"{name}: {getattr(before, name)!r} -> {getattr(after, name)!r}")
           for name in LAYERING if getattr(before, name) != getattr(after, name)]
    corpus = Corpus([], vocab)
    seen: set[tuple] = set()
    for selection in selections(after):
        if any(k in before.interpretations and v not in before.interpretations[k].readings
               for k, v in selection.items()):
            continue  # a reading the baseline did not have: no version of it to compare with
        reading = _reading_words(after, selection)
        found = diff(before, after, corpus=corpus, interpretation=selection)
        for c in found.classes:
            key = (c.before.words(), c.after.words(), c.condition_words())
            if key in seen:
                continue
            seen.add(key)
            out.append(Change(after.id, "verdict", f"{c.before.words()} -> {c.after.words()} when "
                                                     f"{c.condition_words()}{reading}"))
    return tuple(out)


def _reading_words(policy: Policy, selection: Mapping[str, str]) -> str:
    changed = [f"{k}={v}" for k, v in selection.items() if policy.default_selection.get(k) != v]
    return f" (under {', '.join(changed)})" if changed else ""
