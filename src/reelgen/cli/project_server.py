"""`reelgen project render|export|status --server`: the work done by a server, and what is said of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from reelgen.cli.output import console, fail, say_ended, say_error
from reelgen.core.errors import ReelgenError
from reelgen.core.project.lines import note_line, with_line, yaml_line


def film_line(
    frames: int, width: int, height: int, fps: float, audio: bool, seconds: float | None = None
) -> str:
    """What an export made, said the same way whether it ran here or on a server; ``seconds`` where
    ``frames`` at ``fps`` is not the film's length (a GIF above 100 fps holds fewer frames)."""
    sound, said = "with sound" if audio else "silent", f"{frames} frame{'s' * (frames != 1)}"
    return f"{said} {width}x{height} @ {fps:g} fps ({frames / fps if seconds is None else seconds:.2f}s, {sound})"


def _remote_call(
    folder: Any,
    server: str,
    api_key: str | None,
    work: Any,
    flags: dict[str, str] | None = None,
    while_busy: Any = None,
) -> Any:
    """Run ``work(remote)`` against ``server``; its errors print as the other commands' do, the request
    fields in ``flags`` named as the options that gave them (``scenes``: --scene of a render).

    When the server is still rendering or exporting the project, ``while_busy(project, job)`` answers
    instead, if given; else the refusal names that job and how to stop it.
    """
    from reelgen.cli import project_remote
    from reelgen.cli.client import ClientError, _exit

    remote = project_remote.Remote(server, api_key, folder)
    try:
        try:
            return work(remote)
        except ClientError as exc:
            found = _busy_with(remote, exc)
            if found is None:
                raise
            if while_busy is not None:
                return while_busy(*found)
            raise _busy_error(remote, found[0], found[1], exc) from None
    except ClientError as exc:
        if flags and exc.param in flags:  # --scene's ids, which the server named "(scenes)"; not scenes[2].x
            raise _exit(exc, flags) from None
        said, line = str(exc), _line_of(folder, exc.param)
        if line and said.endswith(f" ({exc.param})"):  # the field's path, which the words already name
            said = said[: -len(f" ({exc.param})")]
        say_error(said + line)
        raise typer.Exit(exc.exit_code) from None
    except ReelgenError as exc:
        # The file read here before it is sent: its mistakes end with their line, as a local run's do.
        raise fail(with_line(note_line(exc, folder.file))) from None
    finally:
        remote.close()


def _line_of(folder: Any, param: str | None) -> str:
    """`` (project.yaml line N)`` for a field the server refused, found in the file this command sent
    (the server read that text, so its field paths are the file's); "" where none is found."""
    if param is None:
        return ""
    try:
        text = folder.file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    line = yaml_line(text, param)
    return "" if line is None else f" ({folder.file.name} line {line})"


def _busy_with(remote: Any, exc: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The project and the job the server is still running on it, when ``exc`` is the 409 for that."""
    from reelgen.cli.client import ClientError
    from reelgen.cli.server_ids import saved_ids

    project_id = saved_ids(remote.folder.root).get(remote.server)
    if exc.status != 409 or exc.param != "project_id" or project_id is None:
        return None
    try:
        project = remote.call("GET", f"/v1/projects/{project_id}").json()
    except ClientError:
        return None
    job = project.get("job") or {}
    return (
        None
        if not job.get("id") or job.get("status") in ("completed", "failed", "cancelled")
        else (project, job)
    )


def _doing(job: dict[str, Any]) -> str:
    """``rendering this project (job video_..., in progress)``, as the server has it."""
    verb = {"render": "rendering", "export": "exporting"}.get(str(job.get("action")), "working on")
    return f"{verb} this project (job {job['id']}, {str(job.get('status')).replace('_', ' ')})"


def _busy_error(remote: Any, project: dict[str, Any], job: dict[str, Any], exc: Any) -> Any:
    """The refusal of a command sent while the server still works on the project, with the ways on.

    It said "HTTP 409: project proj_... has job video_... in_progress; wait for it or cancel it first
    (project_id)": a field no one typed; then it offered only the POST that cancels it, where
    `reelgen cancel` of the job's id does it too (since 5ff6da8e). It exits 1, as a local render
    refused by another render of the scene does: nothing is wrong with the request (it exited 2).
    """
    from reelgen.cli.client import ClientError, again

    cancel = f"{remote.server}/v1/projects/{project['id']}/jobs/{job['id']}/cancel"
    return ClientError(
        f"{remote.server} is {_doing(job)} now; wait for it to end, or stop it: Ctrl-C in the "
        f"`reelgen project` command following it, or `reelgen cancel {job['id']}{again(remote.server)}` "
        f"(over HTTP: POST {cancel})",
        exc.status,
        said=exc.said,
        bad_input=False,
    )


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

    job, home, film = _remote_call(
        folder,
        server,
        api_key,
        lambda r: project_remote.render(r, scenes, force, export, quiet),
        {"scenes": "--scene"} if scenes else None,
    )
    _ended(job)
    project_remote.say_rendered(folder, job["scenes"], home, chosen=bool(scenes))
    if film is not None:
        typer.echo(str(film))


def export_remote(
    folder: Any,
    server: str,
    api_key: str | None,
    overrides: dict[str, Any],
    allow_stale: bool,
    output: Path | None,
    quiet: bool,
    film: Path | None = None,
) -> None:
    """Export on ``server`` and bring the film home to ``output``, else ``film`` (where an export here writes it)."""
    from reelgen.cli import project_remote

    job, path = _remote_call(
        folder,
        server,
        api_key,
        lambda r: project_remote.export(r, overrides, allow_stale, output, quiet, film),
    )
    _ended(job)
    made = job["export"]
    console.print(
        film_line(made["frames"], made["width"], made["height"], float(made["fps"]), bool(made.get("audio")))
    )
    typer.echo(str(path))


def status_remote(folder: Any, server: str, api_key: str | None, as_json: bool) -> None:
    def as_it_is(project: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
        # The file cannot be sent while a job reads it: the server's state is still worth seeing.
        console.print(
            f"[yellow]{server} is {_doing(job)}[/]: the scenes as the project file read when last sent "
            "(edits since then are not sent until it ends)"
        )
        return project

    project = _remote_call(folder, server, api_key, lambda r: r.sync(), while_busy=as_it_is)
    if as_json:
        for row in scene_rows(folder, project):
            typer.echo(json.dumps(row))
        return
    for line in scene_lines(project):
        typer.echo(line)


def scene_rows(folder: Any, project: dict[str, Any]) -> list[dict[str, Any]]:
    """The server's scenes as `project status --json` rows, each with the ``clip`` the local rows have:
    the scene's clip once a render brought it home here, else None."""
    rows = []
    for scene in project["scenes"]:
        clip = folder.clip(scene["key"]) if scene.get("key") else None
        rows.append({**scene, "clip": str(clip) if clip is not None and clip.is_file() else None})
    return rows


def scene_lines(project: dict[str, Any]) -> list[str]:
    """`reelgen project status` lines, of the server's view of the project or (as the same rows) of this one's."""
    states = project["scenes"]
    width = max((len(s["scene_id"]) for s in states), default=0)
    # As wide as the longest model named: skyreels-v2-df-14b-720p pushed its row's windows out of line.
    models = max(16, *(len(s["model"] or "-") for s in states))
    lengths = [_length(s["seconds"]) for s in states]
    wide = max(5, *(len(n) for n in lengths))
    lines = []
    for s, length in zip(states, lengths, strict=True):
        windows = f"windows {s['windows_done']}/{s['windows']}" if s["windows"] > 1 else ""
        model = s["model"] or "-"
        said = STATUS_WORDS.get(s["status"], s["status"])
        lines.append(
            f"{s['scene_id']:<{width}}  {said:<12}  {length:>{wide}}s  {model:<{models}} {windows}".rstrip()
        )
    return lines


#: A status as the web page words it: the API's "missing" read like an error for a scene of a project
#: just made, which is simply not rendered yet (the --json rows keep the API's values).
STATUS_WORDS = {"missing": "not rendered", "card": "title card"}


def _length(seconds: float) -> str:
    """A scene's length as written, to the millisecond: one decimal ("0.2s") read 0.25 s as 0.2 and 0.375 s as 0.4."""
    said = f"{seconds:.3f}".rstrip("0")
    return said + "0" if said.endswith(".") else said
