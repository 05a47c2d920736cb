"""Talking to a ``reelgen serve``: the ``--server`` check, one request and its errors, the
event-stream reader, following a job's events and downloading its file."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from typing import Any, NoReturn
from urllib.parse import quote

import httpx
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from reelgen.cli.api_key import KeyOpt as KeyOpt  # the commands' --api-key, imported from here as before
from reelgen.cli.flag_names import Flags as Flags  # the names the job commands import from here, as before
from reelgen.cli.flag_names import failure_as_flags as failure_as_flags
from reelgen.cli.flag_names import said_as_flags as said_as_flags
from reelgen.cli.output import STOPPED, console, say_ended, say_error, shown
from reelgen.cli.server_url import ServerOpt as ServerOpt  # the job commands' --server, as before
from reelgen.cli.server_url import path_at_fault, server_origin
from reelgen.cli.server_url import server_url as server_url
from reelgen.cli.sigterm import Terminated, stopped_by_sigterm
from reelgen.cli.unknown_id import unknown_here
from reelgen.cli.watching import watching_only

TERMINAL = ("completed", "failed", "cancelled")
#: The wait between two tries to reconnect (the ``retry`` the server's streams ask for).
RECONNECT_S = 1.0
#: How long ``watch`` and the batch and project followers try again after a drop (cli.reconnect):
#: 20 tries 1 s apart ended them while a slower server (Ray, a large GPU host) was still restarting.
RECONNECT_WINDOW_S = 60.0


class ClientError(Exception):
    """The server answered with an error envelope (``status``), or could not be reached (no status).

    ``bad_input``: the request is wrong, which a 4xx answer says (or this machine, before asking);
    not a 429: a full queue refuses a good request for now.
    """

    def __init__(
        self,
        message: str,
        status: int | None = None,
        *,
        bad_input: bool | None = None,
        param: str | None = None,
        said: str | None = None,
        server_at_fault: bool = False,
        error: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.error = error or {}  # the envelope's error object as the server sent it
        self.status = status
        #: Not reached, or not a reelgen server: the URL itself may be the mistake.
        self.server_at_fault = server_at_fault
        self.param, self.said = param, said  # the envelope's parameter and message, as the server gave them
        wrong = status is not None and 400 <= status < 500 and status != 429
        self.bad_input = bad_input if bad_input is not None else wrong

    @property
    def exit_code(self) -> int:
        """2 for bad input, as local commands exit; 1 when the server failed (5xx) or did not answer."""
        return 2 if self.bad_input else 1


def auth_headers(api_key: str | None) -> dict[str, str]:
    """The bearer header; a key no header can carry is bad input, said without echoing the key
    (httpx raised UnicodeEncodeError for non-ASCII and "cannot reach" for a newline)."""
    if not api_key:
        return {}
    if not all(" " <= ch <= "~" for ch in api_key):
        raise ClientError(
            "the API key (--api-key or REELGEN_API_KEY) holds characters no HTTP header can carry; "
            "a key is printable ASCII, as `reelgen serve` takes",
            bad_input=True,
        )
    return {"Authorization": f"Bearer {api_key}"}


def job_path(video_id: str, action: str = "") -> str:
    """``/v1/videos/<id>[/action]`` with the id as one path segment: ``video_x/../video_y`` or
    ``a?b`` names no other job or route (it was sent as written, so ``..`` went up a folder)."""
    path = f"/v1/videos/{quote(video_id, safe='')}"
    return f"{path}/{action}" if action else path


def _client(server: str, api_key: str | None, timeout: float | httpx.Timeout | None = 30.0) -> httpx.Client:
    return httpx.Client(base_url=server.rstrip("/"), headers=auth_headers(api_key), timeout=timeout)


def _not_reelgen(resp: httpx.Response) -> ClientError:
    kind = resp.headers.get("Content-Type", "no content type").split(";")[0]
    where = f"{resp.request.url.scheme}://{resp.request.url.netloc.decode()}"
    return ClientError(
        f"{where} answered HTTP {resp.status_code} ({kind}) as `reelgen serve` never does; "
        "is the server URL that of a reelgen server?",
        resp.status_code,
        bad_input=False,
        server_at_fault=True,
    )


def _check(resp: httpx.Response) -> httpx.Response:
    if resp.status_code < 400:
        return resp
    try:
        err = resp.json()["error"]
        where = f" ({err['param']})" if err.get("param") else ""
        message = f"{err['message']}{where}"
    except (ValueError, KeyError, TypeError):
        raise _not_reelgen(resp) from None  # a web page or another API: not the user's request
    if resp.status_code == 401:  # say which of the two ways a key is given to fix
        sent = "Authorization" in resp.request.headers
        message = (
            "the server refused the API key given (--api-key or REELGEN_API_KEY)"
            if sent
            else "the server requires an API key: pass --api-key KEY or set REELGEN_API_KEY"
        )
        err = {**err, "message": message}  # as_flags says ``said``: submit named no --api-key
    if (unknown := unknown_here(resp, err)) is not None:  # no job of that id was ever here
        err, message = unknown, unknown["message"]
    if (wrong_path := path_at_fault(resp, message)) is not None:
        raise ClientError(f"HTTP 404: {wrong_path}", 404, said=wrong_path, server_at_fault=True)
    retry = resp.headers.get("Retry-After", "")
    if retry.isdigit():  # a full queue (429) or an engine restarting (503) says when to come back
        message += f" (the server asks to retry in {retry} s)"
    raise ClientError(
        f"HTTP {resp.status_code}: {message}",
        resp.status_code,
        param=err.get("param"),
        said=err["message"],
        error=err,
    )


def as_flags(exc: ClientError, flags: Flags) -> ClientError:
    """``exc`` naming the command's options where the server named its fields, as a local command says
    it: ``reelgen submit --frames -5`` was told ``num_frames: Input should be greater than 0
    (num_frames)``, a name the person never typed. ``flags`` maps a create field to its option; a
    field the message starts with becomes the option (``options.foo`` becomes ``--option foo``), a
    field in brackets (``give a start image (input_reference)``) its option, and a field the command
    has no option for is not appended."""
    param = exc.param or ""
    if exc.said is None or not exc.bad_input:
        return exc
    message = said_as_flags(exc.said, param, flags)
    return ClientError(
        f"HTTP {exc.status}: {message}",
        exc.status,
        param=param,
        said=exc.said,
        server_at_fault=exc.server_at_fault,
    )


def _call(server: str, api_key: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request whose answer is a JSON object, as every reelgen API answer is."""
    try:
        with _client(server, api_key) as client:
            resp = _check(client.request(method, path, **kwargs))
    except httpx.TransportError as exc:
        raise unreachable(server, exc) from None
    except (KeyboardInterrupt, Terminated) as exc:
        if method != "POST" or path.endswith("/cancel"):
            raise
        raise _stopped_posting(server, isinstance(exc, Terminated)) from None
    answer_json(resp)
    return resp


def _stopped_posting(server: str, killed: bool) -> BaseException:
    flag = again(server)
    may = f"the server may have queued the job anyway: reelgen list{flag} shows it, reelgen cancel ID{flag} stops it"
    return stopped_before_answer(server, killed, may)


def stopped_before_answer(server: str, killed: bool, may: str) -> BaseException:
    """Stopped (Ctrl-C, or SIGTERM where ``killed``) before a job-making POST was answered: the request
    may have reached the server, whose job then runs; "nothing half-written was left" said nothing of
    it, and no id is known to name. ``may``: what the server may have done, and how to find and stop it."""
    said = f"before {server} answered; {may}"
    if killed:
        return stopped_by_sigterm(f"stopped by SIGTERM {said}")
    say_error(f"stopped with Ctrl-C {said}")
    return typer.Exit(STOPPED)


def unreachable(server: str, exc: httpx.TransportError) -> ClientError:
    """``server`` not reached, said with what to try: an https URL to a plain-HTTP server (as
    ``reelgen serve`` is) was told only "[SSL: WRONG_VERSION_NUMBER] wrong version number"."""
    url = httpx.URL(server)
    if url.scheme == "https" and "WRONG_VERSION_NUMBER" in str(exc):
        plain = str(url.copy_with(scheme="http"))
        return ClientError(
            f"{server} answers plain HTTP, not HTTPS, as `reelgen serve` does; use {plain}",
            server_at_fault=True,
        )
    return ClientError(f"cannot reach {server} ({exc}); is `reelgen serve` running?", server_at_fault=True)


def answer_json(resp: httpx.Response) -> dict[str, Any]:
    """The JSON object every reelgen API answer is; anything else (a web page) says so plainly."""
    try:
        data = resp.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise _not_reelgen(resp)
    return data


def is_event_stream(resp: httpx.Response) -> bool:
    return resp.headers.get("Content-Type", "").startswith("text/event-stream")


def _exit(exc: ClientError, flags: dict[str, str] | None = None) -> typer.Exit:
    """Print it, the server's field names said as the command's ``flags`` (``list --limit 0`` was told
    ``limit: ... (limit)``; an id's 404 ended in ``(video_id)``), and pick the exit code."""
    exc = as_flags(exc, flags or {})
    origin = server_origin()
    said = f"{exc} ({origin})" if exc.server_at_fault and origin else exc
    # Escaped: the server's words quote what was typed, and Rich read ``-m "[/]"`` as markup (MarkupError).
    say_error(str(said))
    return typer.Exit(exc.exit_code)


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str | None, str, dict[str, Any]]]:
    """(id, event, data) from the lines of an SSE stream; comments and blank keep-alives skipped."""
    event_id: str | None = None
    name = "message"
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield event_id, name, _event_data("\n".join(data))
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


def _event_data(text: str) -> dict[str, Any]:
    """An event's data: a JSON object; another server's (text, a number) ended a watch in a traceback."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ClientError(
            f"the server sent an event whose data is not a JSON object ({text[:60]!r}), as `reelgen serve` "
            "never does; is the server URL that of a reelgen server?",
            server_at_fault=True,
        )
    return data


# ---- watch ----------------------------------------------------------------------------------


def _watch(
    server: str,
    api_key: str | None,
    video_id: str,
    quiet: bool = False,
    flags: Flags | None = None,
    downloads: bool = False,
) -> str:
    """Follow the job's events with a progress bar (none when ``quiet``), resuming after drops; returns the
    final status; a failure names the ``flags`` typed. Ctrl-C stops following (exit 130); the job runs on.

    Its end says how to download the file, unless the command ``downloads`` it itself (avatar and enhance
    with --server): "reelgen download ID" there sent people to fetch a file already beside them."""
    # How to stop the job, or fetch its file later (the command that would have fetched it has stopped).
    flag = again(server)
    later = (
        f"reelgen cancel {video_id}{flag} stops it, reelgen download {video_id}{flag} fetches it once done"
    )
    with watching_only(video_id, later):
        return _follow(server, api_key, video_id, quiet, flags or {}, hint=not (quiet or downloads))


def job_bar(quiet: bool) -> Progress:
    """The progress view of one server job: its stage, a bar, a line of detail and the time taken."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )


def _follow(server: str, api_key: str | None, video_id: str, quiet: bool, flags: Flags, hint: bool) -> str:
    bar = job_bar(quiet)
    # Started with the job's task and stopped once: a bar never started, or stopped twice, printed
    # a stray blank line after the error or after the "completed" line when not on a terminal.
    try:
        with _client(server, api_key, timeout=httpx.Timeout(30.0, read=120.0)) as client:
            return _read_events(client, bar, server, video_id, hint, flags)
    finally:
        if bar.live.is_started:
            bar.stop()


def _read_events(
    client: httpx.Client, bar: Progress, server: str, video_id: str, hint: bool, flags: Flags
) -> str:
    # Here, not at the top: cli.reconnect reads this module's stream reader and settings.
    from reelgen.cli.reconnect import EventStream

    stream = EventStream(server, RECONNECT_S)
    task = None  # added once the server answers for the job: an unknown id draws no "queued" bar
    warned: set[str] = set()  # a resumed stream sends the job's state, and its last words, again

    def refuse(resp: httpx.Response) -> NoReturn:
        _gone_or_check(resp, video_id, followed=stream.reached)
        raise _not_reelgen(resp)  # a page read as events never ends the watch

    for _, name, data in stream.events(client, job_path(video_id, "events"), refuse):
        if task is None:
            bar.start()
            task = bar.add_task("queued", total=100, info="")
        if name in TERMINAL and data.get("deleted"):  # its end was the delete (a cancel first)
            raise ClientError(f"{video_id} was deleted on the server while it was watched", bad_input=False)
        said = data.get("message") if name == "progress" else None
        if isinstance(said, str) and said.startswith("warning:") and said not in warned:
            # The worker's warnings (which face speaks, a GIF without its voice) were never printed
            # here; they print with -q too, as a run in process prints them.
            warned.add(said)
            bar.console.print(f"[dim]{shown(said)}[/]", highlight=False)
        download = f"reelgen download {video_id}{again(server)}" if hint else None
        final = _show(bar, task, name, data, download, flags)
        if final:
            return final
    raise ClientError(
        f"lost the event stream of {video_id}: {stream.gone()}; "
        f"`reelgen status {video_id}{again(server)}` shows where the job is once the server answers"
    )


def _gone_or_check(resp: httpx.Response, video_id: str, followed: bool) -> None:
    """A 404 after its events were read: the job was deleted meanwhile (the job's end, exit 1),
    not an unknown id the user typed (exit 2)."""
    if followed and resp.status_code == 404:
        raise ClientError(f"{video_id} was deleted on the server while it was watched", bad_input=False)
    _check(resp)


def again(server: str) -> str:
    """`` --server URL`` for a command a hint tells, when the URL was typed: the default's or
    REELGEN_SERVER's is found again without it, a typed one is not."""
    return f" --server {shlex.quote(server)}" if server_origin() is None else ""


def _show(
    bar: Progress, task: Any, name: str, data: dict[str, Any], hint: str | None, flags: Flags
) -> str | None:
    if name == "progress":
        eta = data.get("eta_s")
        info = f"{data.get('stage', '')} {data.get('step', 0)}/{data.get('total', 0)}"
        info += f" eta {eta:.0f}s" if isinstance(eta, int | float) else ""
        bar.update(task, description="running", completed=data.get("progress", 0), info=info)
    elif name in ("queued", "started"):
        bar.update(task, description=name, info="")
    elif name == "position":  # a waiting job's place in line, sent each time it changes
        ahead = data.get("queue_position")
        if isinstance(ahead, int):
            bar.update(task, info="next in line" if ahead == 0 else f"{ahead} ahead in line")
    elif name in TERMINAL:
        bar.update(task, description=name, completed=100 if name == "completed" else None)
        bar.stop()
        if name == "completed":
            if hint:  # quiet, or a command that downloads it: the path it prints says the rest
                console.print(f"[green]completed[/]: {shown(hint)}", highlight=False)
        else:
            error = data.get("error") or {}
            code = error.get("code", "")
            message = failure_as_flags(error, flags)
            said = " ".join(x for x in (code if code != name else "", message) if x)
            say_ended(name, said)
        return name
    return None
