"""The explorer and the report with a hostile policy file: no script URL becomes a link, every response
carries a Content-Security-Policy, a foreign Host and a contradictory scenario are refused."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

import policyengine as pe
from policyengine import registry
from policyengine.web.safety import link_target, report_policy, script_hash

EVIL = Path(__file__).parents[1] / "fixtures" / "repro3" / "evil-2022-html-js.yaml"
CONTRADICTION = (Path(__file__).parents[1] / "fixtures" / "repro3" / "explorer-contradiction.txt").read_text().strip()
EVIL_SCENARIO = {"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction"}


def request(base: str, path: str, host: str | None = None, method: str = "GET") -> tuple[int, dict[str, str], str]:
    """Status, headers (lower-case names) and body of one request, with an optional Host header."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")
    finally:
        conn.close()


def hrefs(html: str) -> list[str]:
    """Every href attribute value of a page."""
    return re.findall(r'href="([^"]*)"', html)


class TestLinkTargets:
    """Only absolute http and https addresses become links."""

    @pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://example.org", "HTTPS://EXAMPLE.ORG/"])
    def test_web_addresses_are_links(self, url: str) -> None:
        """An http or https address with a host is linked as it is."""
        assert link_target(url) == url

    @pytest.mark.parametrize("url", ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                     "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                     "vbscript:x", "//evil.example/x", "/relative", "https:/no-host", "",
                                     "https://e.org/\"onmouseover=alert(1)", None, 42])
    def test_anything_else_is_text(self, url: object) -> None:
        """Other schemes, relative addresses, quotes and control characters are never links."""
        assert link_target(url) == ""


class TestReport:
    """The report with the hostile file: no script URL as a link, and a CSP allowing only its own script."""

    def test_no_script_href(self, evil_report: Path) -> None:
        """No href anywhere in the page, and the hostile text is escaped, never markup."""
        html = evil_report.read_text(encoding="utf-8")
        assert "evil-2022" in html
        assert not [h for h in hrefs(html) if not h.startswith(("http://", "https://", "#"))]
        assert "<script>alert" not in html and "<iframe" not in html and "<svg onload" not in html

    def test_csp_allows_its_script_only(self, evil_report: Path) -> None:
        """The meta tag's policy names the hash of the page's one inline script and nothing else."""
        html = evil_report.read_text(encoding="utf-8")
        scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
        assert len(scripts) == 1
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert meta is not None
        policy = meta.group(1)
        assert policy == report_policy(scripts[0])
        assert f"script-src {script_hash(scripts[0])};" in policy and "unsafe-inline" not in policy.split(";")[1]


class TestExplorerHeaders:
    """Every explorer response carries the security headers; a hostile file's URLs are text."""

    def test_headers_on_every_response(self, server: str) -> None:
        """The page, the vendored script, a 404 and a refusal all carry the CSP and the other headers."""
        for path in ("/", "/static/htmx.min.js", "/nothing-here", "/?mine=nonsense"):
            status, headers, _ = request(server, path)
            assert status in (200, 400, 404), path
            csp = headers["content-security-policy"]
            assert "default-src 'none'" in csp and "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in \
                csp.split("script-src")[1].split(";")[0]
            assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"

    def test_nonce_is_fresh(self, server: str) -> None:
        """Each response has a nonce of its own."""
        nonces = {request(server, "/")[1]["content-security-policy"] for _ in range(3)}
        assert len(nonces) == 3

    def test_curl_shows_the_csp(self, server: str) -> None:
        """`curl -sI` on the explorer prints the Content-Security-Policy header."""
        curl = pytest.importorskip("shutil").which("curl")
        if not curl:
            pytest.skip("curl is not installed")
        out = subprocess.run([curl, "-sI", f"{server}/"], capture_output=True, text=True, timeout=60).stdout
        assert re.search(r"(?im)^content-security-policy: default-src 'none'", out)

    def test_hostile_file_urls_are_text(self, serve_with) -> None:
        """With the hostile file, the page shows the `javascript:` URL only as text."""
        with serve_with("--with", str(EVIL)) as base:
            status, _, html = request(base, "/?" + urllib.parse.urlencode(EVIL_SCENARIO))
        assert status == 200 and 'data-policy="evil-2022"' in html
        assert "javascript:alert(&#39;PWN6&#39;)" in html
        assert not [h for h in hrefs(html) if not h.startswith(("http://", "https://", "/", "#"))]
        assert "<script>alert" not in html and "<iframe" not in html


class TestExplorerRefusals:
    """A foreign Host, an overlong query and a contradictory scenario get 400 with a reason."""

    @pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                      "127.0.0.1:1", ""])
    def test_foreign_host(self, server: str, host: str) -> None:
        """A DNS-rebinding page's Host (or none) is answered 400, naming the guard."""
        port = urllib.parse.urlsplit(server).port
        status, headers, body = request(server, "/", host=host.format(port=port))
        assert status == 400 and "DNS rebinding" in body and "content-security-policy" in headers

    @pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}"])
    def test_bound_address(self, server: str, host: str) -> None:
        """The bound address, by number or as localhost, is answered."""
        port = urllib.parse.urlsplit(server).port
        assert request(server, "/", host=host.format(port=port))[0] == 200

    def test_overlong_query(self, server: str) -> None:
        """A query of more than 4 KiB is refused before any work."""
        status, _, body = request(server, "/?x=" + "a" * 5000)
        assert status == 400 and "longer than 4096 bytes" in body

    def test_contradiction_gets_the_api_message(self, server: str) -> None:
        """The reproducer's contradictory scenario gets 400, the API's message, and no answers."""
        status, _, html = request(server, CONTRADICTION)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(CONTRADICTION).query))
        scenario = {k: v for k, v in query.items() if k != "on"}
        with pytest.raises(pe.PolicyEngineError) as refused:
            pe.evaluate(scenario, policy="biden-2022")
        message = refused.value.message
        assert status == 400
        assert message.replace("'", "&#39;") in html
        assert "data-policy=" not in html


class TestConnections:
    """A client that never finishes its request is cut off; the others are served meanwhile."""

    def test_half_open_connection_is_closed(self) -> None:
        """A connection that sends half a request line is closed after the request timeout."""
        uvicorn = pytest.importorskip("uvicorn")
        from policyengine.web.asgi import server_config

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(server_config(registry.bundled(), "127.0.0.1", port, request_timeout=0.5))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            for _ in range(300):
                if server.started:
                    break
                time.sleep(0.05)
            slow = socket.create_connection(("127.0.0.1", port), timeout=10)
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            assert slow.recv(1024) == b""  # closed by the server, without an answer
            slow.close()
            status, _, _ = request(f"http://127.0.0.1:{port}", "/static/htmx.min.js")
            assert status == 200
        finally:
            server.should_exit = True
            thread.join(timeout=10)
