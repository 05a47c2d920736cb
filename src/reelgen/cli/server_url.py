"""The ``--server`` option: its URL checked before anything is sent, and where the value came from."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated

import httpx
import typer

#: Where the job commands' server URL came from, when not from ``--server`` itself: said with an
#: error about that server, since a REELGEN_SERVER exported long ago is easily forgotten.
_SERVER_ORIGIN: ContextVar[str | None] = ContextVar("server_origin", default=None)
#: The path of this command's server URL (``/foo`` of ``http://host:8000/foo``), "" when it has none.
_SERVER_PATH: ContextVar[str] = ContextVar("server_path", default="")


def server_url(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """A ``--server`` value checked before anything is sent: an http(s) URL with a host, else bad input (exit 2).

    The error names where the value came from: Click's hint said ``'--server' (env var:
    'REELGEN_SERVER')`` either way, so a URL typed on the command line read as the variable's."""
    source = ctx.get_parameter_source(param.name) if param.name else None
    from_env = source is not None and source.name == "ENVIRONMENT"
    ways = f"--server or {param.envvar}" if param.envvar else "--server"
    origin = {
        "ENVIRONMENT": f"that URL came from {param.envvar}; --server overrides it",
        "DEFAULT": f"that URL is the default; {ways} names another",
    }
    _SERVER_ORIGIN.set(origin.get(source.name) if source is not None else None)
    hint = f"{param.envvar} (environment variable; --server overrides it)" if from_env else "'--server'"
    if value is None:
        return None
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise typer.BadParameter(
            f"{value!r} is not a server URL; give one like http://127.0.0.1:8000", param_hint=hint
        )
    if url.port is not None and not 1 <= url.port <= 65535:  # it was "connection refused"
        raise typer.BadParameter(f"{value!r} has port {url.port}; a port is 1 to 65535", param_hint=hint)
    if url.query or url.fragment:  # every request was sent to the URL with it: "/?x=1" is the web page
        raise typer.BadParameter(
            f"{value!r} has a query or a fragment (?... or #...); give the server's base URL alone, "
            "like http://127.0.0.1:8000",
            param_hint=hint,
        )
    # The banner's API URL and OpenAI clients' base_url end in /v1; every path here starts with
    # /v1 already, so that URL was sent as /v1/v1/videos and answered "no route".
    base = value.rstrip("/").removesuffix("/v1")
    _SERVER_PATH.set(httpx.URL(base).path.rstrip("/"))
    return base


ServerOpt = Annotated[
    str,
    typer.Option(
        "--server",
        envvar="REELGEN_SERVER",
        callback=server_url,
        help="Base URL of a running `reelgen serve`.",
    ),
]


def server_origin() -> str | None:
    """Where this command's server URL came from, said in a few words, when not typed as
    ``--server`` (the environment variable, the default); else None."""
    return _SERVER_ORIGIN.get()


def path_at_fault(resp: httpx.Response, said: str) -> str | None:
    """What to say of a "no route" answer to a server URL with a path, or None.

    ``reelgen serve`` answers at the root of its URL: ``--server http://host:8000/foo`` sent every
    request to ``/foo/v1/...`` and was told only "HTTP 404: no route GET /foo/v1/videos", which
    read as a server without that route rather than a URL with a path too many."""
    path = _SERVER_PATH.get()
    if resp.status_code != 404 or not path or not said.startswith("no route "):
        return None
    root = str(resp.request.url.copy_with(path="/", query=None)).rstrip("/")
    return (
        f"{said}; a reelgen server's API is under /v1 at the root of its URL, so the server URL takes "
        f"no path ({path}): give {root}"
    )
