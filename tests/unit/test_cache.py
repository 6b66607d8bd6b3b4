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
        assert build.calls == 1 and (cache.entry_path(folder, "t")).is_file()

    def test_a_changed_file_rebuilds(self, files: list[Path], folder: Path) -> None:
        """Editing one file (its size or time changes) makes the next call build again."""
        cache.cached("t", files, Counter("old"))
        files[1].write_text("value: a longer value\n", encoding="utf-8")
        assert cache.cached("t", files, Counter("new")) == "new"

    def test_same_size_new_content_rebuilds(self, files: list[Path], folder: Path) -> None:
        """The key holds the files' contents: an edit that keeps size and time still rebuilds."""
        cache.cached("t", files, Counter("old"))
        info = files[0].stat()
        files[0].write_text("value: 9\n", encoding="utf-8")
        os.utime(files[0], ns=(info.st_atime_ns, info.st_mtime_ns))
        assert cache.cached("t", files, Counter("new")) == "new"

    def test_a_touched_file_is_still_a_hit(self, files: list[Path], folder: Path) -> None:
        """Same content, another modification time (a fresh checkout): the entry is still good."""
        cache.cached("t", files, Counter("old"))
        info = files[0].stat()
        os.utime(files[0], ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        assert cache.cached("t", files, Counter("new")) == "old"

    def test_changed_library_code_rebuilds(self, files: list[Path], folder: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
        """The key holds a hash of the library's code, not only its version (0.1.0 at every commit)."""
        cache.cached("t", files, Counter("old"))
        monkeypatch.setattr(cache, "code_digest", lambda: b"another commit")
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
        (cache.entry_path(folder, "t")).write_bytes(b"not a pickle")
        build = Counter("value")
        with pytest.warns(cache.CacheWarning, match="not written by this library"):
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
        assert not list(folder.glob("*.pickle"))

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


MARKER_PICKLE = "import os, pickle, sys\n" \
    "class Evil:\n" \
    "    def __reduce__(self): return (open, (sys.argv[2], 'w'))\n" \
    "open(sys.argv[1], 'wb').write(bytes.fromhex(sys.argv[3]) + pickle.dumps(Evil()))\n"


def plant(path: Path, marker: Path, prefix: bytes = b"") -> None:
    """Write at `path` a pickle that creates `marker` when loaded, after `prefix` (a forged header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", MARKER_PICKLE, str(path), str(marker), prefix.hex()],
                   check=True)


def run_library(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A fresh process that imports the library and decides one scenario."""
    code = ("import policyengine as pe\n"
            "d = pe.evaluate({'activity': 'transfer', 'mine': 'anti_personnel', 'purpose': 'destruction'},"
            " policy='biden-2022')\n"
            "print(d.verdict, d.deciding_rules[0])\n")
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(autouse=True)
def fresh_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the cache's one warning per process anew."""
    monkeypatch.setattr(cache, "_warned", False)


class TestNoCodeRuns:
    """Whatever is planted at the cache path, loading it runs no code: only our signed files are read."""

    @pytest.mark.parametrize("prefix", [b"", cache.MAGIC, cache.MAGIC + b"\0" * 64], ids=["raw", "magic", "forged"])
    def test_planted_pickle_runs_nothing(self, tmp_path: Path, prefix: bytes) -> None:
        """A pickle that would write a marker file, raw or behind a forged header, is never loaded; the
        process still answers and replaces the file with its own."""
        folder, marker = tmp_path / "cache", tmp_path / "PWNED"
        plant(cache.entry_path(folder, "bundled"), marker, prefix)
        plant(folder / "bundled.pickle", marker, prefix)  # where older versions kept it
        os.chmod(folder, 0o700)
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("POLICYENGINE_")},
               "POLICYENGINE_CACHE_DIR": str(folder)}
        out = run_library(env, tmp_path)
        assert out.stdout.split() == ["permitted", "B22-2.destruction"], out.stderr
        assert not marker.exists()
        assert "CacheWarning" in out.stderr and out.stderr.count("CacheWarning") == 1
        assert cache.entry_path(folder, "bundled").read_bytes().startswith(cache.MAGIC)

    @pytest.mark.slow  # the reproducer starts its own processes; the planted pickles run in the fast tier
    def test_reproducer_runs_nothing(self) -> None:
        """The issue's reproducer: neither planted pickle runs, and with no home there is no cache."""
        script = Path(__file__).parents[1] / "fixtures" / "repro3" / "cache_malicious_pickle.py"
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=True)
        assert out.stdout.splitlines() == ["policyengine fields ran the planted pickle: False",
                                           "cache dir with HOME unset: None | planted pickle ran: False"]

    def test_no_home_reads_and_writes_nothing_here(self, tmp_path: Path) -> None:
        """HOME unset and no passwd entry: nothing under the working directory is read or written."""
        work, marker = tmp_path / "course", tmp_path / "PWNED"
        plant(work / "~" / ".cache" / "policyengine" / "bundled.pickle", marker)
        before = sorted(p.relative_to(work) for p in work.rglob("*"))
        code = ("import pwd\npwd.getpwuid = lambda uid: (_ for _ in ()).throw(KeyError(uid))\n"
                "import policyengine as pe\nfrom policyengine import cache\nprint(cache.cache_dir())\n"
                "print(pe.evaluate({'activity': 'transfer', 'mine': 'anti_personnel', 'purpose': 'destruction'},"
                " policy='biden-2022').verdict)\n")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("POLICYENGINE_") and k not in ("HOME", "XDG_CACHE_HOME")}
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=work, capture_output=True, text=True,
                             timeout=120)
        assert out.stdout.split() == ["None", "permitted"], out.stderr
        assert not marker.exists()
        assert sorted(p.relative_to(work) for p in work.rglob("*")) == before

    @pytest.mark.parametrize("variable", ["POLICYENGINE_CACHE_DIR", "XDG_CACHE_HOME"])
    def test_relative_folder_is_never_used(self, variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """A relative cache folder would depend on the working directory: it is not used."""
        monkeypatch.delenv("POLICYENGINE_CACHE_DIR", raising=False)
        monkeypatch.delenv("POLICYENGINE_CACHE", raising=False)
        monkeypatch.setenv("HOME", "relative/home")
        monkeypatch.setenv(variable, "relative/cache")
        assert cache.cache_dir() is None


class TestPrivateFolder:
    """The folder is made 0700, must be ours, and the signing key must be ours alone."""

    def test_created_private(self, files: list[Path], folder: Path) -> None:
        """The cache folder is created 0700, the key and entries 0600."""
        cache.cached("t", files, Counter("v"))
        assert folder.stat().st_mode & 0o777 == 0o700
        assert {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()} == {"key": 0o600, cache.entry_path(folder, "t").name: 0o600}

    def test_open_folder_of_ours_is_closed(self, files: list[Path], folder: Path) -> None:
        """A folder of ours left open to others (an older version made it so) is closed, then used."""
        folder.mkdir(mode=0o755)
        os.chmod(folder, 0o755)
        build = Counter("v")
        cache.cached("t", files, build)
        cache.cached("t", files, build)
        assert folder.stat().st_mode & 0o777 == 0o700 and build.calls == 1

    def test_foreign_folder_is_not_used(self, files: list[Path], folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A folder owned by another user is neither read nor written, with one warning."""
        folder.mkdir(mode=0o700)
        monkeypatch.setattr(cache.os, "getuid", lambda: os.geteuid() + 1)
        build = Counter("v")
        with pytest.warns(cache.CacheWarning, match="not a private folder"):
            cache.cached("t", files, build)
        cache.cached("t", files, build)
        assert build.calls == 2 and not list(folder.iterdir())

    def test_key_behind_a_link_is_refused(self, files: list[Path], folder: Path, tmp_path: Path) -> None:
        """A key file that is a symbolic link (to a key someone else knows) is refused and removed."""
        folder.mkdir(mode=0o700)
        known = tmp_path / "known-key"
        known.write_bytes(b"k" * 32)
        os.chmod(known, 0o600)
        (folder / "key").symlink_to(known)
        build = Counter("v")
        with pytest.warns(cache.CacheWarning, match="key file"):
            cache.cached("t", files, build)
        assert build.calls == 1 and not (cache.entry_path(folder, "t")).exists()
        cache.cached("t", files, build)
        cache.cached("t", files, build)
        assert build.calls == 2 and not (folder / "key").is_symlink()
