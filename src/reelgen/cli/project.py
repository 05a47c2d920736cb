"""`reelgen project new | render | export | status | schema`: storyboards, rendered in this process."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated, Any

import typer

from reelgen.cli import typed
from reelgen.cli.api_key import only_with_server
from reelgen.cli.client import KeyOpt, server_url
from reelgen.cli.output import (
    STOPPED,
    QuietOpt,
    console,
    fail,
    output_path,
    positive_gib,
    progress_bar,
    say_error,
)
from reelgen.cli.project_server import export_remote, film_line, render_remote, scene_lines, status_remote
from reelgen.cli.sigterm import Terminated, stopped_by_sigterm
from reelgen.core.errors import Cancelled, ReelgenError

project_app = typer.Typer(
    help="Storyboards: scenes in a YAML file, each rendered once, exported as often as you like.",
    no_args_is_help=True,
)

Opt = typer.Option
_KEPT = "scenes and windows already finished are kept; render again to resume"
#: A forced render starts each scene from its first window, so "render again to resume" was untrue: plain
#: `render` found the stopped scene's old clip current, and --force again threw its windows away.
_KEPT_FORCED = (
    "scenes already finished are kept, and a scene stopped part-way keeps its earlier clip, if it had one; "
    "--force renders it again from its first window"
)
ProjectArg = Annotated[Path, typer.Argument(help="The project folder (or its project.yaml).")]
ServerOpt = Annotated[
    str | None,
    Opt(
        "--server",
        callback=server_url,
        help="Base URL of a `reelgen serve` to do it (uploads the project); default: here.",
    ),
]
#: An export setting given on the command line is the option of its name (--codec, --output).
OPTION = "--"


def _folder(path: Path) -> Any:
    from reelgen.core.project import ProjectFolder

    try:
        return ProjectFolder.find(path)
    except ReelgenError as exc:
        raise fail(exc) from None


def _failed(exc: ReelgenError, folder: Any = None) -> typer.Exit:
    """``fail(exc)``, its message ending with the line of the project file its field is on (if found):
    ``folder`` is the project whose file to look in where the check was not the project's own."""
    from reelgen.core.project.lines import note_line, with_line

    return fail(with_line(note_line(exc, folder.file) if folder is not None else exc))


@project_app.command("new")
def new(
    name: Annotated[
        str,  # not Path: click makes "" into ".", and the project went into the current folder
        typer.Argument(
            callback=typed.given("a folder name"),
            help="Folder to make (its name is the title unless --title).",
        ),
    ],
    title: Annotated[  # "" was dropped for the folder's name without a word
        str | None, Opt(callback=typed.given("the film's title"), help="The film's title.")
    ] = None,
) -> None:
    """Start a project: a folder with a three-scene project.yaml to edit.

    Example:

      reelgen project new my-film
      reelgen project render my-film
      reelgen project export my-film
    """
    from reelgen.core.project import new_project
    from reelgen.core.project.folder import enclosing_project

    try:
        folder = new_project(name, title)
    except ReelgenError as exc:
        raise fail(exc) from None
    if (outer := enclosing_project(folder.root)) is not None:  # else quietly one project inside another
        console.print(
            f"note: {folder.root} is inside the project {outer}; it is a project of its own, rendered "
            f"and exported by naming its folder, and {outer}'s renders and exports leave it out"
        )
    # A name starting with '-' (made with `project new -- -dash`) is read as options unless after --.
    after = "-- " if name.startswith("-") else ""
    console.print(f"edit {folder.file}, then `reelgen project render {after}{shlex.quote(str(name))}`")
    typer.echo(str(folder.root))


@project_app.command("render")
def render(
    project: ProjectArg = Path("."),
    scene: Annotated[list[str] | None, Opt("--scene", "-s", help="Only this scene id (repeatable).")] = None,
    force: Annotated[
        bool, Opt(help="Render the chosen scenes again even if their clips are current.")
    ] = False,
    device: Annotated[str | None, Opt(help="cpu, cuda or cuda:N (default: first GPU, else CPU).")] = None,
    vram_budget: Annotated[
        float | None, Opt("--vram-budget", callback=positive_gib, help="GiB of VRAM to plan for.")
    ] = None,
    quiet: QuietOpt = False,
    server: ServerOpt = None,
    export: Annotated[
        bool, Opt("--export", help="With --server: export the film too, in the same job.")
    ] = False,
    api_key: KeyOpt = None,
) -> None:
    """Render the scenes not rendered yet or stale; the rest are left alone.

    A scene is stale when anything that changes its pixels changed (prompt,
    model, size, length, seed, input files, LoRAs, options, enhancement); export
    settings and transitions never are. A long scene killed part-way resumes at
    its next window. With --server the server renders (one job, a child per
    scene) and the clips come back here.
    """
    only_with_server(server, api_key)  # a key typed with no --server: refused, said why
    joined = next((s for s in scene or [] if "," in s), None)
    if joined is not None:  # "-s dawn,dusk" said "no scene 'dawn,dusk' ...; scenes to render: dawn, dusk"
        each = " ".join(f"-s {shlex.quote(part.strip())}" for part in joined.split(",") if part.strip())
        say_error(
            f"--scene: {joined!r} holds a ',', which no scene id does; give each scene with its own --scene: {each}"
        )
        raise typer.Exit(2)
    from reelgen.core.progress import Progress
    from reelgen.core.project import render_project

    if server is not None:
        from reelgen.cli.remote import refuse

        refuse({"--device": device, "--vram-budget": vram_budget})  # the server places the work itself
    elif export:
        say_error("--export works with --server only; here, run `reelgen project export` after the render")
        raise typer.Exit(2)
    folder = _folder(project)
    if server is not None:
        render_remote(folder, server, api_key, scene, force, export, quiet)
        return
    if device is not None:  # else a bad one said "nothing to render" (exit 0), or failed mid-render
        from reelgen.cli.batch import check_device

        try:
            check_device(device)
        except ReelgenError as exc:
            raise fail(exc) from None
    progress = Progress()
    said: list[Any] = []
    try:
        with progress_bar(progress.cancel, quiet) as on_event:
            progress.on_event = on_event  # -q: progress_bar leaves the step lines out
            result = render_project(
                folder,
                scenes=scene,
                force=force,
                progress=progress,
                device=device,
                vram_budget_gib=vram_budget,
                on_rendered=lambda done: _say_rendered(done, said),
            )
    except Cancelled:
        console.print(f"[yellow]stopped[/]: {_KEPT_FORCED if force else _KEPT}")
        raise typer.Exit(STOPPED) from None
    except Terminated:
        raise stopped_by_sigterm(f"stopped by SIGTERM: {_KEPT_FORCED if force else _KEPT}") from None
    except ReelgenError as exc:
        raise _failed(exc) from None
    for done in result.rendered:
        if done not in said:  # a scene the render did not tell of as it finished
            _say_rendered(done, said)
    for scene_id in result.current:
        typer.echo(f"current  {scene_id}")
    if result.edited:
        verb = "reads" if len(result.edited) == 1 else "read"
        console.print(
            f"[yellow]changed while rendering[/]: {', '.join(result.edited)} now {verb} differently "
            "than when the render began; render again"
        )
    elif not result.rendered and not result.current:  # "every scene's clip is current" of no clip
        console.print("nothing to render: every scene is a title card, drawn at export")
    elif not result.rendered:  # with --scene, only the chosen ones were looked at
        console.print(f"nothing to render: every {'chosen ' if scene else ''}scene's clip is current")


def _say_rendered(done: Any, said: list[Any]) -> None:
    """A scene's line as it finishes: printed only at the end, a stopped render named none it had made."""
    said.append(done)
    resumed = f" (resumed after window {len(done.resumed)})" if done.resumed else ""
    typer.echo(f"rendered {done.scene_id}{resumed}: {done.clip}")


@project_app.command("export")
def export(
    project: ProjectArg = Path("."),
    output: Annotated[
        Path | None,
        Opt(
            "--output",
            "-o",
            parser=output_path,
            metavar="<path>",
            help="Output file (default exports/TITLE.EXT; NAME.gif: a looping GIF, no sound); replaces a "
            "file of that name, and its NAME.json, once the new one is whole.",
        ),
    ] = None,
    codec: Annotated[
        str | None,
        Opt(
            help="h264, h265, vp9, av1 or prores (overrides the file; "
            "set in neither: h264 in mp4, mov and mkv, vp9 in webm)."
        ),
    ] = None,
    container: Annotated[
        str | None, Opt(help="mp4, mov, mkv or webm (overrides the file, as an -o name ending in one does).")
    ] = None,
    width: Annotated[int | None, Opt(help="Output width (alone: the height keeps the film's shape).")] = None,
    height: Annotated[
        int | None, Opt(help="Output height (alone: the width keeps the film's shape).")
    ] = None,
    fps: Annotated[float | None, Opt(help="Output frame rate.")] = None,
    allow_stale: Annotated[
        bool, Opt("--allow-stale", help="Use a stale scene's last clip instead of refusing.")
    ] = False,
    quiet: Annotated[bool, Opt("--quiet", "-q", help="No progress bar.")] = False,
    server: ServerOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Join the rendered scenes into one film. Never renders; a failed export leaves the last one intact.

    Example (a .webm gets VP9 video and Opus sound unless the project file chose
    a codec):

      reelgen project export my-film -o my-film.webm
    """
    only_with_server(server, api_key)  # a key typed with no --server: refused, said why
    from reelgen.core.progress import Progress
    from reelgen.core.project import export_project, export_settings
    from reelgen.core.project.export import check_server_target, setting_names

    folder = _folder(project)
    if output is not None and output.is_dir():  # else the film would land beside it, as FOLDER.mp4
        say_error(_folder_given(folder, output))
        raise typer.Exit(2)
    given = {"codec": codec, "container": container, "width": width, "height": height, "fps": fps}
    overrides = {k: v for k, v in given.items() if v is not None}
    if (
        output is not None
        and container is None
        and output.suffix.lstrip(".").lower() in ("mp4", "mov", "mkv", "webm")  # film.MKV is an mkv
    ):
        overrides["container"] = output.suffix.lstrip(".").lower()
    if server is not None:
        try:  # checked here, so a mistake names the option typed (the server would name its own field)
            project_file = folder.load()
            settings = export_settings(project_file.export, overrides, given_as=OPTION)
            names = setting_names(overrides, OPTION, output=output is not None)
            target = check_server_target(folder, project_file, settings, output, names)
            # The film is downloaded to -o, or into exports/, under the name an in-process export takes.
            output = target if output is not None else None
        except ReelgenError as exc:
            raise _failed(exc, folder) from None
        export_remote(folder, server, api_key, overrides, allow_stale, output, quiet, target)
        return
    if output is None:
        _note_default_film(folder, overrides)
    progress = Progress()
    try:
        with progress_bar(progress.cancel, quiet) as on_event:
            progress.on_event = on_event
            result = export_project(
                folder,
                output,
                overrides=overrides,
                allow_stale=allow_stale,
                progress=progress,
                given_as=OPTION,
                render_with=f"reelgen project render {shlex.quote(str(project))}",
            )
    except ReelgenError as exc:
        raise _failed(exc) from None
    # The frames the file holds: a GIF above 100 fps leaves some out, as the warning before it said.
    held = result.record["output"]["frames"]
    size, fps = (result.width, result.height), float(result.fps)
    console.print(film_line(held, *size, fps, result.audio, result.seconds))
    typer.echo(str(result.path))


def _note_default_film(folder: Any, overrides: dict[str, Any]) -> None:
    """Note the film the export replaces when no -o names it (exports/TITLE.mp4), as -o notes its own:
    a Ctrl-C then said "no file was written" and not that the film made before is as it was."""
    from reelgen.cli.kept_output import note_output
    from reelgen.core.project import export_settings, export_target

    try:
        project = folder.load()
        settings = export_settings(project.export, overrides, given_as=OPTION)
    except ReelgenError:
        return  # the export says what is wrong, as it checks
    note_output(export_target(folder, project, settings))


def _folder_given(folder: Any, output: Path) -> str:
    """Why ``-o FOLDER`` is refused, with a name that would do: in clips/ or windows/, "such as
    clips/film.mp4" named a place the export then refused, as the project's renders are kept there."""
    here = output.resolve()
    kept = (folder.clips.resolve(), (folder.root / "windows").resolve())
    if any(here == k or k in here.parents for k in kept):
        return (
            f"--output: {output} is a folder the project keeps its scenes' renders in; give a file name "
            f"elsewhere (such as {folder.exports / 'film.mp4'})"
        )
    return f"--output: {output} is a folder; give a file name in it (such as {output / 'film.mp4'})"


@project_app.command("status")
def status(
    project: ProjectArg = Path("."),
    as_json: Annotated[
        bool,
        Opt(
            "--json",
            help="One JSON object per scene (status: rendered, stale, missing or card, as the API says).",
        ),
    ] = False,
    server: ServerOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Each scene: rendered, stale (changed since its clip was made), not rendered, or title card (drawn at export).

    With --server: as the server has it (the project file is uploaded first).
    """
    only_with_server(server, api_key)  # a key typed with no --server: refused, said why
    from reelgen.core.project import status as project_status

    folder = _folder(project)
    if server is not None:
        status_remote(folder, server, api_key, as_json)
        return
    try:
        states = project_status(folder)
    except ReelgenError as exc:
        raise _failed(exc) from None
    if as_json:
        for s in states:
            row = {**s.__dict__, "status": s.status.value, "clip": str(s.clip) if s.clip else None}
            typer.echo(json.dumps(row))
        return
    for line in scene_lines({"scenes": [{**s.__dict__, "status": s.status.value} for s in states]}):
        typer.echo(line)  # as `status --server` says the server's


@project_app.command("schema")
def schema() -> None:
    """Print the JSON schema of project.yaml (for editors and validators)."""
    from reelgen.core.project import project_schema

    typer.echo(json.dumps(project_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(project_app, name="project")
