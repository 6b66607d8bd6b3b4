"""The explorer as an ASGI application (Starlette) and its server (uvicorn): the optional 'serve' extra.

Importing this module without them installed raises a PolicyEngineError naming the extra, so only
`policyengine serve` (and a caller who asks for the app) needs them.
"""

from __future__ import annotations

from typing import Any

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from .serve import DEFAULT_HOST, DEFAULT_PORT, page

try:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles
except ImportError:
    raise PolicyEngineError("the explorer needs Starlette and uvicorn, which are not installed",
                            where="policyengine serve", hint="pip install 'apl-policyengine[serve]'") from None


def create_app(corpus: Corpus) -> Any:
    """The Starlette application: `/` (the page, for any scenario) and `/static/htmx.min.js`, over
    the corpus's instruments."""

    async def index(request: Request) -> HTMLResponse:
        html, status = page(dict(request.query_params), corpus)
        return HTMLResponse(html, status_code=status)

    return Starlette(routes=[
        Route("/", index),
        Mount("/static", StaticFiles(packages=[("policyengine.web", "static")]), name="static"),
    ])


def run(corpus: Corpus, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the explorer over the corpus's instruments on host:port until interrupted."""
    print(f"policyengine explorer on http://{host}:{port}/ with {len(corpus)} instruments (Ctrl-C to stop)",
          flush=True)
    uvicorn.run(create_app(corpus), host=host, port=port, log_level="warning")
