"""Fixtures for the report and the explorer: a report file, a running `policyengine serve`, and a
headless Chromium from Debian's packages (the browser tests skip, saying why, only when it is absent).

Screenshots go to `test-artifacts/` at the top of the checkout (or `$POLICYENGINE_ARTIFACTS`).
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("POLICYENGINE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("POLICYENGINE_CHROMEDRIVER", "/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]


def artifacts_dir() -> Path:
    """Where screenshots are saved (created on demand)."""
    path = Path(os.environ.get("POLICYENGINE_ARTIFACTS", ROOT / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def report(out: Path, *extra: str) -> Path:
    """`policyengine report --out OUT --on 2023-01-01 [extra...]`, run in this process; the file written."""
    from policyengine.cli.app import main

    with contextlib.redirect_stdout(io.StringIO()) as said:
        status = main(["report", "--out", str(out), "--on", "2023-01-01", *extra])
    assert status == 0 and out.is_file(), said.getvalue()
    return out


@pytest.fixture(scope="session")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report written by the command line, as a user would: `policyengine report --out FILE`."""
    return report(tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="session")
def evil_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`policyengine report --with evil-2022-html-js.yaml`, as a teacher would run it."""
    return report(tmp_path_factory.mktemp("evil") / "report.html",
                  "--with", str(ROOT / "tests" / "fixtures" / "repro3" / "evil-2022-html-js.yaml"))


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(*extra: str) -> Iterator[str]:
    """Run `policyengine serve --port N [extra...]` as a user would; yield its base URL, stop it after."""
    pytest.importorskip("starlette", reason="the explorer needs the 'serve' extra (starlette, uvicorn)")
    pytest.importorskip("uvicorn", reason="the explorer needs the 'serve' extra (starlette, uvicorn)")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "policyengine", "serve", "--port", str(port), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute for a cold start on a busy machine
            if process.poll() is not None:
                pytest.fail(f"policyengine serve exited: {process.stdout.read() if process.stdout else ''}")
            try:
                with urllib.request.urlopen(base + "/static/htmx.min.js", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        else:
            pytest.fail("policyengine serve did not answer within a minute")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The explorer with the bundled instruments, for the whole session."""
    with serving() as base:
        yield base


@pytest.fixture
def serve_with() -> Callable[..., contextlib.AbstractContextManager[str]]:
    """`with serve_with("--with", FILE) as base:` runs another explorer with extra arguments."""
    return serving


def chromium_missing() -> str | None:
    """Why the browser tests cannot run, or None when they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return (f"{path} is not installed: the browser tests drive Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run installs them)")
    return None


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Selenium through Debian's chromedriver; nothing is downloaded."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    webdriver = pytest.importorskip("selenium.webdriver", reason="the browser tests need selenium (the test extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1600,1100", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """`screenshot(driver, name)`: save a PNG of the page as a test artifact and return its path."""
    def save(driver: Any, name: str) -> Path:
        path = artifacts_dir() / f"{name}.png"
        driver.save_screenshot(str(path))
        return path

    return save
