"""``reelgen serve`` runs the HTTP API with its job service; ``reelgen worker`` adds a machine to a Ray cluster."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reelgen.cli import serve_logs
from reelgen.cli.client import KeyOpt
from reelgen.cli.output import console, say_error, shown
from reelgen.cli.serve_banner import banner, where_data
from reelgen.cli.serve_data import data_dir_source, no_database, unusable
from reelgen.cli.serve_socket import cannot_listen, listening_socket
from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.jobs._ray_address import head_problem, ignored_address_note, object_store_problem, ray_missing

if TYPE_CHECKING:
    from reelgen.api.settings import ApiSettings


def _list_settings(value: bool) -> None:
    """``--settings``: print every ``REELGEN_*`` setting, then exit before anything is read or started."""
    if not value:
        return
    from reelgen.api.settings_list import settings_lines

    # To stdout, unlike the server's messages: the listing is the command's output, to pipe to grep.
    typer.echo("\n".join(settings_lines()))
    raise typer.Exit(0)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None,
        typer.Option(envvar="REELGEN_HOST", help="Address to listen on (default 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, envvar="REELGEN_PORT", help="Port (default 8000).")
    ] = None,
    api_key: KeyOpt = None,
    database_url: Annotated[
        str | None, typer.Option(envvar="REELGEN_DATABASE_URL", help="SQLAlchemy URL (default: SQLite file).")
    ] = None,
    data_dir: Annotated[
        str | None,
        typer.Option(
            envvar="REELGEN_DATA_DIR",
            metavar="PATH",
            help="Where jobs, outputs and inputs are kept (default: $REELGEN_HOME/jobs, else the "
            "platform's data folder, ~/.local/share/reelgen/jobs on Linux).",
        ),
    ] = None,
    log_level: Annotated[
        str, typer.Option(help="uvicorn log level: critical, error, warning, info, debug or trace.")
    ] = "info",
    settings_list: Annotated[
        bool,
        typer.Option(
            "--settings",
            is_eager=True,
            expose_value=False,
            callback=_list_settings,
            help="List every REELGEN_* setting with its default, what it takes and its meaning, then exit.",
        ),
    ] = False,
) -> None:
    """Run the HTTP API, its job queue and a worker per GPU (Ray: RAY_ADDRESS).

    The port is taken before anything else starts, so a port in use is said
    at once. Every other setting is a REELGEN_* variable, listed with its
    default and meaning by `reelgen serve --settings`; a bad one is named
    before anything starts, and so is a name reelgen does not read (a typo).
    Ctrl-C puts running jobs back in the queue: they run
    when the server starts again on the same data, or sooner
    on another server that shares its job database.

    Examples:
      reelgen serve                          # http://127.0.0.1:8000, loopback
      export REELGEN_API_KEY=$(openssl rand -hex 24)  # clients need it
      reelgen serve --host 0.0.0.0
      RAY_ADDRESS=head:6380 reelgen serve    # a Ray cluster's GPUs
    """
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from reelgen.api.security import check_bind, short_key

    if log_level.lower() not in uvicorn.config.LOG_LEVELS:
        levels = ", ".join(uvicorn.config.LOG_LEVELS)
        say_error(f"--log-level {log_level!r} is not a level; valid: {levels}")
        raise typer.Exit(2)
    given = {
        "host": host,
        "port": port,
        "api_key": api_key,
        "database_url": database_url,
        "data_dir": data_dir,
    }
    typed = {name for name in given if _typed(ctx, name)}
    settings = _settings({k: v for k, v in given.items() if v is not None}, typed)
    jobs = settings.jobs
    try:
        check_bind(settings.host, settings.key())
    except ValueError as exc:
        say_error(str(exc))
        raise typer.Exit(2) from None
    if weak := short_key(settings.host, settings.key()):
        console.print(f"[yellow]warning:[/] {weak}", highlight=False)
    if settings.key() and _typed(ctx, "api_key"):
        # A server runs for days, its command line readable by every account on the machine.
        console.print(f"[yellow]warning:[/] {KEY_ON_COMMAND_LINE}", highlight=False)
    if ignored := ignored_address_note(jobs.engine, jobs.engine_kind(), jobs.ray_address):
        console.print(f"[yellow]warning:[/] {ignored}", highlight=False)
    if jobs.engine_kind() == "ray":
        if jobs.ray_address:
            # The address first: one that cannot be joined is said without Ray's import (a second).
            problem = ray_head_problem(jobs.ray_address) or ray_missing(
                f"RAY_ADDRESS={jobs.ray_address}", ", or unset RAY_ADDRESS to run workers here", joins=True
            )
        else:
            local = ", or set REELGEN_ENGINE=local to run workers without it" if os.name == "posix" else ""
            problem = ray_missing(f"REELGEN_ENGINE={jobs.engine}", local) or object_store_problem(
                jobs.ray_object_store_bytes
            )
        if problem:
            say_error(problem)
            raise typer.Exit(2)
    if jobs.engine_kind() == "local":
        from reelgen.core import prefork

        # The workers' template imports torch while this process imports the app, below: one after the
        # other, the server answered /readyz 4.7 s later (9.3 s against 4.5 s, 2-core machine).
        prefork.warm(os.environ)
    # Only now: the app's modules take seconds to import, and a Ray head that cannot be reached is
    # said without them.
    from reelgen.api.app import create_app
    from reelgen.api.stopping import StreamEndingServer

    try:
        sock = listening_socket(settings.host, settings.port)
    except OSError as exc:
        say_error(cannot_listen(settings.host, settings.port, exc))
        raise typer.Exit(2) from None
    with sock:
        missing = missing_folders(Path(jobs.data_dir))
        try:
            api = create_app(settings)
        except SQLAlchemyError as exc:
            remove_empty(missing)  # a server that never started leaves no empty data folder behind
            say_error(no_database(jobs, exc, data_dir_source(data_dir)))
            raise typer.Exit(2) from None
        except OSError as exc:  # the data folder (or the SQLite file's) cannot be made or written
            remove_empty(missing)
            say_error(unusable(exc, settings, data_dir_source(data_dir)))
            raise typer.Exit(2) from None
        console.print(
            banner(settings.host, settings.port, web=settings.serve_web, names=settings.allowed_hosts),
            highlight=False,
        )
        console.print(where_data(settings), highlight=False)
        config = uvicorn.Config(
            api,
            host=settings.host,
            port=settings.port,
            log_level=log_level.lower(),
            # What a request still open at Ctrl-C (an upload, a download) gets before it is closed;
            # event streams, which last until their job ends, end at once (StreamEndingServer).
            timeout_graceful_shutdown=5,
        )
        logging.getLogger("uvicorn.error").addFilter(serve_logs.quiet_stream_cancels)
        logging.getLogger("uvicorn.error").addFilter(serve_logs.streams_closed_as_info)
        logging.getLogger("uvicorn.error").addFilter(serve_logs.startup_failure_in_one_line)
        # uvicorn raises the stopping signal again once it has shut down: SIGTERM's default action
        # ended the process before the last line, and SIGINT's KeyboardInterrupt reached the CLI's
        # catch-all, whose "error: stopped with Ctrl-C" came after it. Both are a stop, said alike.
        previous = signal.signal(signal.SIGTERM, _terminated)
        stopped_by: int | None = None
        try:
            StreamEndingServer(config).run(sockets=[sock])
        except _Terminated:
            stopped_by = signal.SIGTERM
        except KeyboardInterrupt:
            stopped_by = signal.SIGINT
        except SystemExit:  # uvicorn's exit when the job service did not start (its records dropped)
            say_error(serve_logs.said_failure(getattr(api.state, "start_failure", None)))
            raise typer.Exit(1) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            left = _stopped_line(api)
            if left:
                console.print(left, highlight=False)
        if stopped_by is not None:
            raise typer.Exit(128 + stopped_by)  # as a process ended by the signal reports it


class _Terminated(Exception):
    """SIGTERM arrived after uvicorn's shutdown, when it raised the signal again."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _stopped_line(api: Any) -> str | None:
    """What the stopped server leaves unfinished in its store (its running jobs went back to the queue),
    or None when nothing.

    A server sharing its database with another (PostgreSQL, or one data folder) counted that one's
    running jobs and its queue as its own: "they stay queued and run when the server starts again",
    while they ran on the other server meanwhile.
    """
    try:
        service = api.state.service
        counts = service.counts()
        elsewhere = sum(
            1 for job in service.store.in_progress() if job.owner is not None and job.owner != service.owner
        )
    except Exception:  # the store went away with the server: nothing to say, nothing to fail
        return None
    left = int(counts.get("queued", 0)) + int(counts.get("in_progress", 0))
    if not left:
        return None
    if not elsewhere:
        return (
            f"stopped with {left} job(s) not finished; they stay queued and run when the server starts again"
        )
    return (
        f"stopped with {left} job(s) not finished; {elsewhere} of them run on another server using the same "
        "job database, which runs the queued ones too (as this one does when it starts again)"
    )


#: Where a value given to ``serve`` came from: its option, which also reads the variable.
_OPTIONS = {
    "host": "--host (REELGEN_HOST)",
    "port": "--port (REELGEN_PORT)",
    "api_key": "--api-key (REELGEN_API_KEY)",
    "database_url": "--database-url (REELGEN_DATABASE_URL)",
    "data_dir": "--data-dir (REELGEN_DATA_DIR)",
}


def _settings(given: dict[str, Any], typed: set[str] | frozenset[str] = frozenset()) -> ApiSettings:
    """The server's settings from the options ``given`` (those in ``typed`` from the command line,
    the others from their variables) and the other ``REELGEN_*`` variables; a bad value is one line
    naming where it was set, what is valid and its default, then exit 2."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from reelgen.api.setting_names import unread_settings
    from reelgen.api.settings import ApiSettings, check_late_settings, setting_problem
    from reelgen.core.errors import ReelgenError
    from reelgen.jobs.settings import JobSettings

    # A value from the variable alone is named by the variable: a bad REELGEN_API_KEY in a unit
    # file was said as "--api-key (REELGEN_API_KEY)", an option the person never typed.
    named = {field: _OPTIONS[field] for field in given if field in typed}
    job_fields = {k: v for k, v in given.items() if k in ("database_url", "data_dir")}
    model: type[ApiSettings] | type[JobSettings] = JobSettings
    try:
        jobs = JobSettings(**job_fields)
        model = ApiSettings
        api_fields = {k: v for k, v in given.items() if k not in job_fields}
        settings = ApiSettings(**api_fields, jobs=jobs)
        check_late_settings(settings.default_model)
        for line in unread_settings(os.environ):  # a typo'd name is a setting silently left at its default
            console.print(f"[yellow]warning:[/] {shown(line)}", highlight=False)
        return settings
    except ValidationError as exc:
        problem = setting_problem(exc, model, named)
    except ReelgenError as exc:
        problem = exc.message
    except SettingsError:  # only ``jobs`` is read as JSON: REELGEN_JOBS, never needed
        problem = "REELGEN_JOBS is not a setting (each job setting has its own REELGEN_* variable); unset it"
    say_error(problem)
    raise typer.Exit(2)


#: Said when ``--api-key`` is typed: ``ps`` and /proc show a command line to every account.
KEY_ON_COMMAND_LINE = (
    "--api-key on the command line is shown to every account on this machine (ps) for as long as the "
    "server runs; set REELGEN_API_KEY in its environment instead"
)


def _typed(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (not by its variable or default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def _head_address(value: str) -> str:
    """``host:port`` of a Ray head, checked here: ``ray start`` answered an empty one with a
    traceback, and one without a port by waiting for a GCS that was never there."""
    host, _, port = value.strip().rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise typer.BadParameter(
            f"{value!r} is not a Ray head's host:port; give the address `ray start --head` printed, "
            "such as 10.0.0.5:6380"
        )
    return value.strip()


def ray_head_problem(address: str, timeout_s: float = 5.0) -> str | None:
    """Why the Ray cluster at ``address`` (``RAY_ADDRESS``) cannot be joined, or None.

    Ray's own join waits on a head that is not there, or a port that is not Ray's, for ever,
    during which the server neither answers nor stops on SIGTERM (``_ray_address``); "auto" with
    no ``ray start`` on this machine ended the start with a 100-line traceback.
    """
    target = address.strip()
    if target == "auto":  # the address a local ``ray start`` left, found as Ray finds it
        try:
            from ray._private.services import canonicalize_bootstrap_address

            found = canonicalize_bootstrap_address("auto")
        except ConnectionError:
            return (
                "RAY_ADDRESS=auto finds no Ray started on this machine; run `ray start --head` first, "
                "give the head's host:port, or unset RAY_ADDRESS to run workers here"
            )
        except Exception:  # Ray's own look-up moved: Ray says what it finds when joining
            return None
        if not found:
            return None
        target = found
    if target == address.strip():
        return head_problem(address, "RAY_ADDRESS=", timeout_s)
    return head_problem(target, "RAY_ADDRESS=auto found ", timeout_s)


def worker(
    address: Annotated[
        str,
        typer.Option("--address", envvar="RAY_ADDRESS", help="Ray head, host:port.", callback=_head_address),
    ],
    num_gpus: Annotated[
        int | None, typer.Option(min=0, help="GPUs to offer (default: all Ray finds).")
    ] = None,
) -> None:
    """Add this machine's GPUs to a reelgen cluster (runs `ray start --address ... --block`).

    The head machine runs Ray and the API:
      ray start --head --port 6380 --node-ip-address HEAD_IP
      RAY_ADDRESS=HEAD_IP:6380 REELGEN_API_KEY=KEY reelgen serve --host 0.0.0.0
    Each GPU machine then joins (same Python, Ray and reelgen versions):
      reelgen worker --address HEAD_IP:6380
    A head with token authentication needs its token on this machine: put
    what `ray get-auth-token` prints on the head in ~/.ray/auth_token here,
    or in RAY_AUTH_TOKEN (or in a file named by RAY_AUTH_TOKEN_PATH).
    The API starts one worker actor per GPU the cluster reports. Keep Ray's
    ports on a private network: Ray runs any code it is sent. On one machine no
    Ray is needed: `reelgen serve` runs one worker process per GPU by itself.
    """
    from reelgen.jobs._ray_node import gpu_count_problem
    from reelgen.jobs.cluster import gpu_less_note, run_worker_node

    # Ray's own join retried a head that was not there, or a port where another program listens,
    # for ever, a warning every few seconds; the check dials where Ray will and asks for gRPC.
    if problem := head_problem(address, "--address ") or ray_missing("reelgen worker", joins=True):
        say_error(problem)
        raise typer.Exit(2) from None
    if problem := gpu_count_problem(num_gpus):
        say_error(problem)
        raise typer.Exit(2) from None
    if note := gpu_less_note(num_gpus):
        console.print(f"[yellow]warning:[/] {note}", highlight=False)
    raise typer.Exit(run_worker_node(address, num_gpus))
