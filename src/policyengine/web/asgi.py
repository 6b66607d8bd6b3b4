"""The explorer as an ASGI application (Starlette) and its server (uvicorn): the optional 'serve' extra.

Importing this module without them installed raises a PolicyEngineError naming the extra, so only
`policyengine serve` (and a caller who asks for the app) needs them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from .serve import (DEFAULT_HOST, DEFAULT_PORT, KEEP_ALIVE, MAX_CONNECTIONS, REQUEST_TIMEOUT, allowed_hosts,
                    answers_cache, guard, page)

try:
    import h11
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles
except ImportError:
    raise PolicyEngineError("the explorer needs Starlette and uvicorn, which are not installed",
                            where="policyengine serve", hint="pip install 'apl-policyengine[serve]'") from None


def create_app(corpus: Corpus, host: str = DEFAULT_HOST, port: int | None = None) -> Any:
    """The Starlette application: `/` (the page, for any scenario) and `/static/htmx.min.js`, over
    the corpus's instruments; only requests addressed to `host` (and `port`, when given) are answered."""
    answers = answers_cache(corpus)

    def index(request: Request) -> HTMLResponse:  # sync: Starlette runs it in its thread pool
        html, status = page(dict(request.query_params), corpus, request.state.csp_nonce, answers)
        return HTMLResponse(html, status_code=status)

    app = Starlette(routes=[
        Route("/", index),
        Mount("/static", StaticFiles(packages=[("policyengine.web", "static")]), name="static"),
    ])
    return guard(app, allowed_hosts(host, port))


def protocol(request_timeout: float = REQUEST_TIMEOUT) -> type:
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request's headers within
    `request_timeout` seconds of opening or of its last response (a slow or half-open client)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedProtocol(H11Protocol):  # type: ignore[misc]
        """H11Protocol with a deadline for each request's headers."""

        deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            self.deadline = self.loop.call_later(request_timeout, self._expire)

        def _expire(self) -> None:
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            super().connection_lost(exc)

    return TimedProtocol


def server_config(corpus: Corpus, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                  request_timeout: float = REQUEST_TIMEOUT) -> Any:
    """The uvicorn configuration of the explorer: loopback, bounded connections and idle timeouts."""
    return uvicorn.Config(create_app(corpus, host, port), host=host, port=port, log_level="warning",
                          http=protocol(request_timeout), timeout_keep_alive=KEEP_ALIVE,
                          limit_concurrency=MAX_CONNECTIONS, server_header=False)


def run(corpus: Corpus, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the explorer over the corpus's instruments on host:port until interrupted."""
    print(f"policyengine explorer on http://{host}:{port}/ with {len(corpus)} instruments (Ctrl-C to stop)",
          flush=True)
    uvicorn.Server(server_config(corpus, host, port)).run()
