"""Serves the browser page at ``/`` and the API docs at ``/docs`` and ``/redoc``, all from files inside the package.

Nothing is fetched from a CDN: the page is plain HTML, CSS and JavaScript
modules, and the docs run the Swagger UI and Redoc bundles shipped under
``static/docs`` (their licences beside them). The HTML carries no inline
script or style, so a strict Content-Security-Policy can cover every page.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.staticfiles import PathLike
from starlette.types import Scope

from reelgen.api.settings import ApiSettings

STATIC = Path(__file__).parent / "static"
#: The page: ``index.html`` and the modules it loads.
PAGE_DIR = STATIC / "page"
#: Swagger UI, Redoc and the one-line starter of each.
DOCS_DIR = STATIC / "docs"
#: Where the docs' scripts and styles are served.
DOCS_ASSETS = "/docs/assets"
#: The page's files are asked after on every load (a 304 when unchanged). Without it a browser kept
#: them by its own guess, days for files weeks old: after an upgrade a reload ran the old modules,
#: or old ones beside new ones.
PAGE_CACHE = {"Cache-Control": "no-cache"}

_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - API reference</title>
<link rel="stylesheet" href="{assets}/swagger-ui/swagger-ui.css">
<link rel="icon" href="{assets}/favicon.svg">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - API reference</title>
<link rel="icon" href="{assets}/favicon.svg">
</head>
<body>
<redoc spec-url="{openapi}"></redoc>
<script src="{assets}/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


def _html(template: str, app: FastAPI, request: Request) -> HTMLResponse:
    root = escape(str(request.scope.get("root_path", "")).rstrip("/"))
    body = template.format(
        title=escape(app.title),
        root=root,
        assets=root + DOCS_ASSETS,
        openapi=root + escape(app.openapi_url or "/openapi.json"),
    )
    return HTMLResponse(body, headers={"Cache-Control": "no-cache"})


def install(app: FastAPI, settings: ApiSettings) -> None:
    """Mount the docs (always) and the page (when ``settings.serve_web``) on ``app``.

    ``app`` must be made with ``docs_url=None, redoc_url=None``: these routes replace
    FastAPI's, which load Swagger UI and Redoc from a CDN.
    """

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        return _html(_SWAGGER, app, request)

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return _html(_REDOC, app, request)

    app.mount(DOCS_ASSETS, StaticFiles(directory=DOCS_DIR), name="docs-assets")
    if settings.serve_web:
        _install_page(app)


def _install_page(app: FastAPI) -> None:
    """Serve the page's own files, and only them.

    A mount at "/" took every path no route took: ``/v1/models/`` was "no route" where the API alone
    redirects to ``/v1/models``, and ``POST /v1/videos/`` or ``POST /nope`` were "POST is not allowed",
    of a path that takes POST or of one that does not exist. Routes for the page's files leave
    every other path to the API's own answers.
    """
    _serve_file(app, "/", PAGE_DIR / "index.html")
    for path in sorted(PAGE_DIR.iterdir()):
        if path.is_dir():
            app.mount(f"/{path.name}", _PageFiles(directory=path), name=f"web-{path.name}")
        else:
            _serve_file(app, f"/{path.name}", path)


class _PageFiles(StaticFiles):
    """A folder of the page's files, each answered with ``PAGE_CACHE``."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(PAGE_CACHE)
        return response


def _serve_file(app: FastAPI, url: str, path: Path) -> None:
    async def page_file() -> FileResponse:
        return FileResponse(path, headers=PAGE_CACHE)

    app.add_api_route(url, page_file, methods=["GET", "HEAD"], include_in_schema=False, name=f"web:{url}")
