"""Query parameters an API route does not declare, refused naming them and what the route takes.

Unknown names were ignored: ``GET /v1/videos?statsu=completed`` listed every video as if no filter
had been given, and ``POST /v1/system/free?idle_seconds=600`` unloaded every model. One dependency of
the whole app (``refuse_unknown_query``) checks every route in ``/openapi.json`` against the query
parameters it declares; the page's files and the docs take any query (a link's ``?utm_source=``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown
from reelgen.api.security import bearer, require_key

#: Words a route adds after its refusal, by ``"METHOD /path"`` (where what was sent goes instead).
HINTS: dict[str, str] = {}
#: How many unknown names a refusal quotes.
_NAMED = 5


def _query_params(dependant: Any) -> Iterator[str]:
    """The query names ``dependant`` and its dependencies declare, as a client writes them."""
    for field in dependant.query_params:
        yield field.alias
    for sub in dependant.dependencies:
        yield from _query_params(sub)


def declared(route: APIRoute) -> list[str]:
    """The query parameters ``route`` takes, in the order it declares them."""
    return list(dict.fromkeys(_query_params(route.dependant)))


def unknown_query(route: str, unknown: list[str], takes: list[str], hint: str | None = None) -> ApiError:
    """The 400 for ``unknown`` query names sent to ``route`` ("GET /v1/videos"), which takes ``takes``."""
    # A URL of a thousand names is answered in a line, not a page.
    given = ", ".join(shown(name) for name in unknown[:_NAMED])
    if len(unknown) > _NAMED:
        given += f" and {len(unknown) - _NAMED} more"
    if not takes:
        message = f"{route} takes no query parameters (got {given})"
    else:
        near = [n for name in unknown for n in difflib.get_close_matches(name, takes, n=1, cutoff=0.6)]
        meant = f" (did you mean {', '.join(shown(n) for n in dict.fromkeys(near))}?)" if near else ""
        noun = "parameter" if len(unknown) == 1 else "parameters"
        message = f"{route} does not take the query {noun} {given}{meant}; it takes {', '.join(takes)}"
    if hint:
        message = f"{message}; {hint}"
    return ApiError(400, message, param=unknown[0], code="invalid_value")


def template(request: Request, route: APIRoute) -> str:
    """The path of ``route`` as the schema lists it ("/v1/projects/{project_id}/render").

    A route keeps the path its own router gave it, without the prefix of a router it was included
    in (``projects`` includes the runs' routes under ``/v1``): the prefix is what the request's path
    holds before the route's own part."""
    try:
        own = route.path_format.format(**request.path_params)
    except (KeyError, IndexError, ValueError):  # a template format() cannot fill: the route's own
        return route.path_format
    path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
    return path.removesuffix(own) + route.path_format if path.endswith(own) else route.path_format


def _guarded(request: Request, path: str) -> bool:
    """Whether the route at ``path`` needs the API key: its operation in the app's schema names the
    bearer scheme, which counts a guard added where its router was included (``/v1/models``)."""
    operation = request.app.openapi().get("paths", {}).get(path, {})
    method = "get" if request.method == "HEAD" else request.method.lower()
    return bool(operation.get(method, {}).get("security"))


async def refuse_unknown_query(request: Request) -> None:
    """Dependency of the whole app: a 400 for a query name the matched API route does not declare.

    Async and done with at once for the usual request with no query string. It runs before the
    routes' own dependencies, so on a route that needs the API key the key is checked first: a
    keyless ``?api_key=...`` hears that a key in the URL is not read, not that api_key is unknown."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    takes = declared(route)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in takes]
    if not unknown:
        return
    path = template(request, route)
    if request.app.state.settings.key() is not None and _guarded(request, path):
        require_key(request, await bearer(request))
    key = f"{request.method} {path}"
    raise unknown_query(key, unknown, takes, HINTS.get(key))
