"""What keeps a page safe with a hostile policy file loaded: links only to web addresses, and a
Content-Security-Policy that lets no script run but the page's own."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

LINK_SCHEMES = ("http", "https")
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\\\"'<>`]")

#: Headers of every explorer response, beside its Content-Security-Policy.
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def link_target(url: object) -> str:
    """`url` when it is an absolute http or https address a page may link to, else "" (shown as text):
    a `javascript:`, `data:` or relative address never becomes a link."""
    if not isinstance(url, str) or _UNSAFE_IN_URL.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else ""


def script_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def explorer_policy(nonce: str) -> str:
    """The explorer's Content-Security-Policy: scripts from its own origin (the vendored htmx) or
    carrying this response's nonce, requests to its own origin only."""
    return ("default-src 'none'; "
            f"script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def report_policy(*scripts: str) -> str:
    """The report's Content-Security-Policy (a meta tag: it opens from disk): no request at all, and no
    script but the given inline ones, by hash."""
    allowed = " ".join(script_hash(s) for s in scripts) or "'none'"
    return (f"default-src 'none'; script-src {allowed}; style-src 'unsafe-inline'; img-src data:; "
            "form-action 'none'; base-uri 'none'")
