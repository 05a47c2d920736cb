"""Talking to a ``reelgen serve``: the ``--server`` check, one request and its errors, and the event-stream reader."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

import httpx
import typer

from reelgen.cli.output import console


def server_url(value: str | None) -> str | None:
    """A ``--server`` value checked before anything is sent: an http(s) URL with a host, else bad input (exit 2)."""
    if value is None:
        return None
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise typer.BadParameter(f"{value!r} is not a server URL; give one like http://127.0.0.1:8000")
    return value


ServerOpt = Annotated[
    str,
    typer.Option(
        "--server",
        envvar="REELGEN_SERVER",
        callback=server_url,
        help="Base URL of a running `reelgen serve`.",
    ),
]
KeyOpt = Annotated[
    str | None, typer.Option("--api-key", envvar="REELGEN_API_KEY", help="Bearer key the server requires.")
]


class ClientError(Exception):
    """The server answered with an error envelope (``status``), or could not be reached (no status).

    ``bad_input``: the request is wrong, which a 4xx answer says (or this machine, before asking);
    not a 429: a full queue refuses a good request for now.
    """

    def __init__(self, message: str, status: int | None = None, *, bad_input: bool | None = None) -> None:
        super().__init__(message)
        self.status = status
        wrong = status is not None and 400 <= status < 500 and status != 429
        self.bad_input = bad_input if bad_input is not None else wrong

    @property
    def exit_code(self) -> int:
        """2 for bad input, as local commands exit; 1 when the server failed (5xx) or did not answer."""
        return 2 if self.bad_input else 1


def _client(server: str, api_key: str | None, timeout: float | httpx.Timeout | None = 30.0) -> httpx.Client:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    return httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=timeout)


def _check(resp: httpx.Response) -> httpx.Response:
    if resp.status_code < 400:
        return resp
    try:
        err = resp.json()["error"]
        where = f" ({err['param']})" if err.get("param") else ""
        message = f"{err['message']}{where}"
    except (ValueError, KeyError, TypeError):
        message = resp.text[:500] or resp.reason_phrase
    retry = resp.headers.get("Retry-After", "")
    if retry.isdigit():  # a full queue (429) or an engine restarting (503) says when to come back
        message += f" (the server asks to retry in {retry} s)"
    raise ClientError(f"HTTP {resp.status_code}: {message}", resp.status_code)


def _call(server: str, api_key: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        with _client(server, api_key) as client:
            return _check(client.request(method, path, **kwargs))
    except httpx.TransportError as exc:
        raise ClientError(f"cannot reach {server} ({exc}); is `reelgen serve` running?") from None


def _exit(exc: ClientError) -> typer.Exit:
    console.print(f"[bold red]error:[/] {exc}")
    return typer.Exit(exc.exit_code)


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str | None, str, dict[str, Any]]]:
    """(id, event, data) from the lines of an SSE stream; comments and blank keep-alives skipped."""
    event_id: str | None = None
    name = "message"
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield event_id, name, json.loads("\n".join(data))
            name, data = "message", []
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "id":
            event_id = value
        elif field == "event":
            name = value
        elif field == "data":
            data.append(value)
