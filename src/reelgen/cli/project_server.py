"""`reelgen project render|export|status --server`: the work done by a server, and what is said of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from reelgen.cli.output import console, fail, say_ended, say_error
from reelgen.core.errors import ReelgenError


def film_line(frames: int, width: int, height: int, fps: float, audio: bool) -> str:
    """What an export made, said the same way whether it ran here or on a server."""
    sound, said = "with sound" if audio else "silent", f"{frames} frame{'s' * (frames != 1)}"
    return f"{said} {width}x{height} @ {fps:g} fps ({frames / fps:.2f}s, {sound})"


def _remote_call(
    folder: Any, server: str, api_key: str | None, work: Any, flags: dict[str, str] | None = None
) -> Any:
    """Run ``work(remote)`` against ``server``; its errors print as the other commands' do, the request
    fields in ``flags`` named as the options that gave them (``scenes``: --scene of a render)."""
    from reelgen.cli import project_remote
    from reelgen.cli.client import ClientError, _exit

    remote = project_remote.Remote(server, api_key, folder)
    try:
        return work(remote)
    except ClientError as exc:
        if flags and exc.param in flags:  # --scene's ids, which the server named "(scenes)"; not scenes[2].x
            raise _exit(exc, flags) from None
        say_error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except ReelgenError as exc:
        raise fail(exc) from None
    finally:
        remote.close()


def _ended(job: dict[str, Any]) -> None:
    if job["status"] != "completed":
        error = job.get("error") or {}
        say_ended(job["status"], error.get("message", ""))
        raise typer.Exit(1)


def render_remote(
    folder: Any,
    server: str,
    api_key: str | None,
    scenes: list[str] | None,
    force: bool,
    export: bool,
    quiet: bool,
) -> None:
    from reelgen.cli import project_remote

    job, home = _remote_call(
        folder,
        server,
        api_key,
        lambda r: project_remote.render(r, scenes, force, export, quiet),
        {"scenes": "--scene"} if scenes else None,
    )
    _ended(job)
    project_remote.say_rendered(folder, job["scenes"], home, chosen=bool(scenes))
    if job.get("export"):
        typer.echo(str(folder.exports / job["export"]["name"]))


def export_remote(
    folder: Any,
    server: str,
    api_key: str | None,
    overrides: dict[str, Any],
    allow_stale: bool,
    output: Path | None,
    quiet: bool,
) -> None:
    from reelgen.cli import project_remote

    job, path = _remote_call(
        folder, server, api_key, lambda r: project_remote.export(r, overrides, allow_stale, output, quiet)
    )
    _ended(job)
    film = job["export"]
    console.print(
        film_line(film["frames"], film["width"], film["height"], float(film["fps"]), bool(film.get("audio")))
    )
    typer.echo(str(path))


def status_remote(folder: Any, server: str, api_key: str | None, as_json: bool) -> None:
    from reelgen.cli import project_remote

    project = _remote_call(folder, server, api_key, lambda r: r.sync())
    if as_json:
        for row in project_remote.scene_rows(folder, project):
            typer.echo(json.dumps(row))
        return
    for line in project_remote.scene_lines(project):
        typer.echo(line)
