"""The on-disk cache of the bundled instruments: same answers as a fresh load, rebuilt when stale or damaged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import policyengine as pe
from policyengine import cache, registry
from policyengine.core.loader import load_policy
from policyengine.core.vocabulary import load_vocabulary


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """Two small files standing for the vocabulary and a policy."""
    paths = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for n, path in enumerate(paths):
        path.write_text(f"value: {n}\n", encoding="utf-8")
    return paths


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of its own for the test."""
    where = tmp_path / "cache"
    monkeypatch.setenv("POLICYENGINE_CACHE_DIR", str(where))
    monkeypatch.delenv("POLICYENGINE_CACHE", raising=False)
    return where


class Counter:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


class TestHitsAndMisses:
    """The first call builds and stores; later calls with unchanged files read the store."""

    def test_second_call_reads_the_store(self, files: list[Path], folder: Path) -> None:
        """The value comes back equal and the build runs once."""
        build = Counter({"rules": [1, 2, 3]})
        assert cache.cached("t", files, build) == {"rules": [1, 2, 3]}
        assert cache.cached("t", files, build) == {"rules": [1, 2, 3]}
        assert build.calls == 1 and (folder / "t.pickle").is_file()

    def test_a_changed_file_rebuilds(self, files: list[Path], folder: Path) -> None:
        """Editing one file (its size or time changes) makes the next call build again."""
        cache.cached("t", files, Counter("old"))
        files[1].write_text("value: a longer value\n", encoding="utf-8")
        assert cache.cached("t", files, Counter("new")) == "new"

    def test_a_touched_file_rebuilds(self, files: list[Path], folder: Path) -> None:
        """Same size, another modification time: built again."""
        cache.cached("t", files, Counter("old"))
        info = files[0].stat()
        os.utime(files[0], ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        assert cache.cached("t", files, Counter("new")) == "new"

    def test_other_files_do_not_share_the_entry(self, files: list[Path], folder: Path) -> None:
        """The key holds the paths: a different set of files is a miss."""
        cache.cached("t", files, Counter("both"))
        assert cache.cached("t", files[:1], Counter("one")) == "one"


class TestNeverInTheWay:
    """A damaged, unwritable or disabled cache changes nothing but speed."""

    def test_damaged_file_is_rebuilt(self, files: list[Path], folder: Path) -> None:
        """Garbage in the cache file is ignored and replaced."""
        cache.cached("t", files, Counter("value"))
        (folder / "t.pickle").write_bytes(b"not a pickle")
        build = Counter("value")
        assert cache.cached("t", files, build) == "value" and build.calls == 1
        assert cache.cached("t", files, build) == "value" and build.calls == 1

    def test_unwritable_folder(self, files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A cache folder that cannot be created (a file is in the way) only means building each time."""
        blocker = tmp_path / "blocker"
        blocker.write_text("", encoding="utf-8")
        monkeypatch.setenv("POLICYENGINE_CACHE_DIR", str(blocker / "cache"))
        build = Counter("value")
        assert cache.cached("t", files, build) == "value"
        assert cache.cached("t", files, build) == "value" and build.calls == 2

    def test_turned_off(self, files: list[Path], folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """POLICYENGINE_CACHE=off builds every time and writes nothing."""
        monkeypatch.setenv("POLICYENGINE_CACHE", "off")
        build = Counter("value")
        cache.cached("t", files, build)
        cache.cached("t", files, build)
        assert build.calls == 2 and not folder.exists()

    def test_unpicklable_value_is_not_stored(self, files: list[Path], folder: Path) -> None:
        """A value pickle refuses (a lambda) is returned, and no file is left behind."""
        value = cache.cached("t", files, lambda: (lambda: 1))
        assert value() == 1
        assert not list(folder.glob("*"))

    def test_missing_file_is_left_to_the_loader(self, files: list[Path], folder: Path) -> None:
        """A path that cannot be stat'ed goes to `build`, which reports it."""
        build = Counter("built")
        assert cache.cached("t", [files[0].with_name("gone.yaml")], build) == "built"


class TestBundled:
    """The bundled instruments from the cache are the instruments a fresh load gives."""

    def test_stored_instruments_equal_a_fresh_load(self, folder: Path) -> None:
        """The vocabulary and every policy read back from the store equal loading the YAML files again,
        and decide a scenario alike."""
        vocab_file = registry.data_dir() / "policies" / "vocabulary.yaml"
        files = [vocab_file, *registry.policy_files()]

        def load() -> tuple:
            vocab = load_vocabulary(vocab_file)
            return vocab, tuple(load_policy(path, vocab) for path in files[1:])

        cache.cached("bundled", files, load)
        vocab, stored = cache.cached("bundled", files, lambda: pytest.fail("the store was not read"))
        fresh_vocab, fresh = load()
        assert vocab.fields == fresh_vocab.fields and vocab.contradictions == fresh_vocab.contradictions
        assert [(p.id, p.rules, p.scope, p.interpretations) for p in stored] == \
               [(p.id, p.rules, p.scope, p.interpretations) for p in fresh]
        scenario = {"activity": "use", "mine": "anti_personnel", "location": "elsewhere"}
        for a, b in zip(stored, fresh):
            one, two = pe.evaluate(scenario, a), pe.evaluate(scenario, b)
            assert (one.verdict, one.deciding_rules) == (two.verdict, two.deciding_rules)

    def test_warm_process_skips_yaml_and_answers(self, tmp_path: Path) -> None:
        """A second process loads from the cache without importing PyYAML, and decides as before."""
        code = ("import sys, policyengine as pe\n"
                "d = pe.evaluate({'activity': 'transfer', 'mine': 'anti_personnel', 'purpose': 'destruction'},"
                " 'biden-2022')\n"
                "print('yaml' in sys.modules, d.verdict, d.deciding_rules[0])\n")
        env = {**os.environ, "POLICYENGINE_CACHE_DIR": str(tmp_path)}
        env.pop("POLICYENGINE_CACHE", None)
        runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                               timeout=120).stdout.split() for _ in range(2)]
        assert runs[0] == ["True", "permitted", "B22-2.destruction"]
        assert runs[1] == ["False", "permitted", "B22-2.destruction"]
