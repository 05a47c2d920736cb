"""``reelgen batch --server`` and ``reelgen shootout --server``: submit the parent job, follow its items, fetch the end.

The server reads the inputs and writes the outputs in the folders named, on
its own disk, so the paths sent are this machine's: the same folders when the
server runs here (or shares the disk), which ``REELGEN_BATCH_ROOTS`` on the
server must allow.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import httpx
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reelgen.cli.client import (
    RECONNECT_S,
    ClientError,
    _check,
    _not_reelgen,
    again,
    answer_json,
    auth_headers,
    server_url,
    stopped_before_answer,
    unreachable,
)
from reelgen.cli.output import STOPPED, console, say_error, shown
from reelgen.cli.reconnect import EventStream
from reelgen.cli.sigterm import Terminated, stopped_by_sigterm

ServerOpt = Annotated[
    str | None,
    typer.Option(
        "--server", callback=server_url, help="Run it on a `reelgen serve` at this URL instead of here."
    ),
]
TERMINAL = ("completed", "failed", "cancelled")
T = TypeVar("T")
U = TypeVar("U")


class ServerError(ClientError):
    """The server answered with an error envelope (``status``), or could not be reached (no status)."""


def _client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
    return httpx.Client(
        base_url=server.rstrip("/"),
        headers=_as_server_error(auth_headers, api_key),
        timeout=httpx.Timeout(30.0, read=read_s),
    )


def _as_server_error(check: Callable[[T], U], value: T) -> U:
    """``check(value)``, its ``ClientError`` raised as the ``ServerError`` batch and shootout catch."""
    try:
        return check(value)
    except ClientError as exc:
        raise _server_error(exc) from None


def _server_error(exc: ClientError) -> ServerError:
    """``exc`` as a ``ServerError``; the envelope's field and message go along: batch says them naming
    the manifest they are about."""
    if isinstance(exc, ServerError):
        return exc
    return ServerError(
        str(exc),
        exc.status,
        bad_input=exc.bad_input,
        param=exc.param,
        said=exc.said,
        server_at_fault=exc.server_at_fault,
    )


def _checked(resp: httpx.Response) -> httpx.Response:
    """The jobs commands' reading of an answer: a 401 names --api-key, a page is no reelgen answer."""
    return _as_server_error(_check, resp)


def _refused(resp: httpx.Response) -> NoReturn:
    """What an error answer, or a page where the event stream was wanted, says."""
    _checked(resp)
    raise _server_error(_not_reelgen(resp))


def call(server: str, api_key: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request; an error answer or an unreachable server is a ``ServerError`` saying which."""
    try:
        with _client(server, api_key) as client:
            resp = client.request(method, path, **kwargs)
            resp.read()
            return _checked(resp)
    except httpx.TransportError as exc:
        raise _server_error(unreachable(server, exc)) from None


def run_on_server(
    server: str,
    api_key: str | None,
    path: str,
    body: dict[str, Any],
    noun: str,
    quiet: bool,
    reword: Callable[[str], str] = str,
) -> dict[str, Any]:
    """POST ``/v1/{path}``, follow its events with a progress view until it ends; the final object.

    Ctrl-C stops following; the job keeps running on the server (how to cancel it is printed).
    ``reword``: an item's error as the command says it (a field named as its option).
    """
    try:
        sent = call(server, api_key, "POST", f"/v1/{path}", json=body)
    except (KeyboardInterrupt, Terminated) as exc:
        may = (
            f"the server may have started the {noun} anyway: "
            f"GET {server.rstrip('/')}/v1/{path} lists it, and its urls.cancel stops it"
        )
        raise stopped_before_answer(server, isinstance(exc, Terminated), may) from None
    created = _as_server_error(answer_json, sent)
    console.print(f"{noun} {created['id']} on {server}", highlight=False)
    cancel = _cancel_command(server, created["id"], api_key)
    try:
        return follow(server, api_key, f"/v1/{path}/{created['id']}", created, noun, quiet, reword)
    except KeyboardInterrupt:
        console.print(
            f"[yellow]stopped following; the {noun} keeps running on the server. Cancel it with:[/] "
            f"{shown(cancel)}",
            highlight=False,
        )
        raise typer.Exit(STOPPED) from None
    except Terminated:
        raise stopped_by_sigterm(
            f"stopped following by SIGTERM; the {noun} keeps running on the server. Cancel it with: {cancel}"
        ) from None


def _cancel_command(server: str, job_id: str, api_key: str | None) -> str:
    """The command that cancels the job ``job_id``: ``reelgen cancel`` takes a batch's or shoot-out's id
    as a video's (a curl line was said, and the ``reelgen cancel`` people tried said "not a video").
    Without the key a server that asks for one answers it 401: named when it is not in
    REELGEN_API_KEY, as a placeholder; never printed."""
    key = " --api-key KEY" if api_key and os.environ.get("REELGEN_API_KEY") != api_key else ""
    return f"reelgen cancel {job_id}{again(server)}{key}"


def follow(
    server: str,
    api_key: str | None,
    own: str,
    obj: dict[str, Any],
    noun: str,
    quiet: bool,
    reword: Callable[[str], str] = str,
) -> dict[str, Any]:
    """Read the events of the parent at ``own`` (its path): a bar over its items, a line as each ends;
    returns the final object. Items that failed or were skipped while the server planned them have no
    job, so no event: their lines come with the final object, the first the server tells of them.
    With ``quiet`` there is neither bar nor item lines, as ``-q`` in process (cli.output.STEP_STAGES):
    the failures are said by the summary the command prints after."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )
    said: set[str] = set()
    keys: set[str] = set()  # the items that have a job or were said as planned (and so have their lines)
    first: dict[tuple[str, str], str] = {}  # each cause said, and the item that said it first
    with bar, _client(server, api_key, read_s=120.0) as client:
        task = bar.add_task(noun, total=obj["request_counts"]["total"])
        # Known: the POST that made it was answered; the stream keeps no place (no Last-Event-ID).
        stream = EventStream(server, RECONNECT_S, known=True)
        for _, name, data in stream.events(client, f"{own}/events", _refused, resume=False):
            if name == "item":
                keys.add(str(data["key"]))
                if not quiet:
                    _item(data, said, reword)
            elif name in (noun, *TERMINAL):
                counts = data["request_counts"]
                ended = counts["completed"] + counts["failed"] + counts["cancelled"]
                done = counts["total"] if name == "completed" else ended
                bar.update(task, completed=done, description=f"{noun} {data['status']}")
                # Failed or skipped as the server planned them: said as soon as it tells.
                if not quiet:
                    _said(_planned(data), keys, first, reword)
            if name in TERMINAL:
                if not quiet:
                    _said(_unplanned(data), keys, first, reword)
                return data
    raise ServerError(
        f"lost the event stream of {obj['id']}: {stream.gone()}; the {noun} may run on: "
        f"`reelgen status {obj['id']}{again(server)}` shows it once the server answers, "
        f"`reelgen cancel {obj['id']}{again(server)}` stops it"
    )


def _item(data: dict[str, Any], said: set[str], reword: Callable[[str], str] = str) -> None:
    """One line when an item's job ends."""
    if data["status"] not in TERMINAL or data["job_id"] in said:
        return
    said.add(data["job_id"])
    if data["status"] == "completed":
        console.print(f"[dim]{shown(data['key'])}: done ({data['job_id']})[/]", highlight=False)
        return
    error = data.get("error") or {}
    # Escaped: a manifest's key or a message quoting a prompt may hold "[/]", which Rich read as markup.
    key, message = shown(data["key"]), shown(reword(error.get("message", "")))
    console.print(f"[yellow]{key}: {data['status']}[/] {message}", highlight=False)


def _planned(obj: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The items a running batch's server planned to fail or skip (``planned_ends``), as (key, status,
    reason); an older server, or another API process than the batch's, tells none before it ends."""
    return [(p["output"], p["status"], p.get("reason") or p["status"]) for p in obj.get("planned_ends") or []]


def _unplanned(done: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each item of the ended ``done`` that got no job: failed or skipped as the server planned it
    (a batch's summary, a shoot-out's trials), as (key, status, reason)."""
    summary = done.get("summary") or {}
    ended = [
        (p["output"], status, p.get("reason") or status)
        for status in ("failed", "skipped")
        for p in summary.get(status) or []
    ]
    ended += [
        (t["key"], "failed", (t.get("error") or {}).get("message") or "failed")
        for t in done.get("trials") or []
        if t.get("error")
    ]
    return ended


def _said(
    ended: list[tuple[str, str, str]],
    keys: set[str],
    first: dict[tuple[str, str], str],
    reword: Callable[[str], str],
) -> None:
    """A line for each item of ``ended`` not said yet (``keys``), grouped by cause: a cause said
    already is said as "the same way as" its first item, as in process."""
    from reelgen.core.batch.summary import cause

    for key, status, reason in ended:
        if str(key) in keys:
            continue
        keys.add(str(key))
        same = (status, cause(reason))
        why = f"the same way as {first[same]}" if same in first else reword(reason)
        first.setdefault(same, str(key))
        console.print(f"[yellow]{shown(str(key))}: {status}[/] {shown(why)}", highlight=False)


def download(server: str, api_key: str | None, url: str, target: Path) -> Path:
    """Fetch ``url`` (a path on the server, or a full URL) into ``target``, all or nothing."""
    from reelgen.core.atomic import staged
    from reelgen.core.errors import InvalidRequest, WriteFailed

    content = call(server, api_key, "GET", url).content
    try:  # a file in the way or a full disk: one line naming the file, not an internal error
        with staged(target) as (tmp,):
            tmp.write_bytes(content)
    except (InvalidRequest, WriteFailed) as exc:
        raise ServerError(exc.message, bad_input=isinstance(exc, InvalidRequest)) from None
    return target


def refuse(given: dict[str, object]) -> None:
    """In-process options make no sense for a server, which places the work on its own GPUs."""
    named = [name for name, value in given.items() if value is not None]
    if named:
        them = "it" if len(named) == 1 else "them"
        verb = "applies" if len(named) == 1 else "apply"
        say_error(f"{', '.join(named)} {verb} in process only; drop {them} with --server")
        raise typer.Exit(2)


def fail(exc: ServerError) -> typer.Exit:
    """Print it; exit 2 for a request the server calls wrong (HTTP 4xx), 1 when it failed or is not there."""
    say_error(str(exc))  # it may quote a "[/]" typed
    return typer.Exit(exc.exit_code)
