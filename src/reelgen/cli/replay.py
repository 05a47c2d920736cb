"""`reelgen replay`: make a video again, in this process, from the record inside it or beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from reelgen.cli.generate import DeviceOpt, Opt, OutputOpt, render_shown
from reelgen.cli.output import QuietOpt, console, fail, progress_bar
from reelgen.cli.typed import PathArgument, path_named
from reelgen.core.errors import ReelgenError


def _each_once(values: list[str] | None) -> list[str] | None:
    """``--input`` values, refused when one PARAM comes twice: the last would win without a word."""
    params = [value.partition("=")[0] for value in values or []]
    twice = next((param for param in params if param and params.count(param) > 1), None)
    if twice is not None:
        raise typer.BadParameter(f"{twice} is given twice; give each PARAM once")
    return values


def replay(
    path: Annotated[
        PathArgument,
        typer.Argument(
            parser=path_named("a video reelgen made or its .json sidecar"),
            help="A video (or its .json sidecar) made by reelgen.",
        ),
    ],
    output: OutputOpt = None,
    device: DeviceOpt = None,
    allow_changed_inputs: Annotated[
        bool,
        Opt("--allow-changed-inputs", help="Replay even if an input, LoRA or weights file changed."),
    ] = False,
    inputs: Annotated[
        list[str] | None,
        Opt(
            "--input",
            callback=_each_once,
            help="PARAM=FILE: where an input or LoRA the record names (e.g. start_image, loras[0]) is now; "
            "checked by its recorded SHA-256 as the recorded one would be. Repeatable, each PARAM once.",
        ),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Make a video again from the request recorded in it: same model, seed, settings and inputs.

    On the same machine and library versions the frames match the original to
    within rounding no one can see. Input files are found by the absolute paths
    recorded, so this works from any folder; an input moved together with the
    video (a project folder moved as a whole) is found in the same place beside
    it when its SHA-256 matches (LoRAs too). An input, LoRA or --weights file
    whose content changed since is refused unless --allow-changed-inputs; one
    whose hash the record lacks replays with a warning. An input or LoRA gone
    from its path can be named where it is now with --input PARAM=FILE (a
    video downloaded from a server names each upload by its file name: put it
    beside the video); a --weights file is looked for only at its path.

    A video made by `reelgen enhance` is made again by the same stages and
    options from its recorded source (checked the same way); without -o it
    goes beside it as NAME-again.EXT. So does a project's scene clip
    (clips/KEY.mp4), rendered again from its recorded plan, window by window.
    Any other video goes to outputs/ under a new name. Either way it keeps the
    container of the video replayed (a GIF is made again as a GIF; a sidecar's
    video as an MP4).

    Examples:

      reelgen replay outputs/20261121-101500-ltx-2b-42.mp4 -o again.mp4

      reelgen replay clip-enhanced.mp4

      reelgen replay downloaded.mp4 --input start_image=photo.png
    """
    from reelgen.core import record
    from reelgen.core.replay_scene import is_scene

    try:
        recorded = record.replayable(path)
    except ReelgenError as exc:
        raise fail(exc) from None
    if is_scene(recorded):
        _replay_scene(path, recorded, output, allow_changed_inputs, device, quiet, inputs)
        return
    enhanced = record.is_enhanced(recorded)
    redo = record.replay_enhanced if enhanced else record.replay
    out = output if enhanced else _same_container(path, recorded, output)
    render_shown(
        lambda progress: redo(
            path,
            out,
            allow_changed_inputs=allow_changed_inputs,
            progress=progress,
            device=device,
            inputs=inputs,
        ),
        quiet,
        _as_option,
    )


def _as_option(exc: ReelgenError) -> ReelgenError:
    """``output: x does not end in ...`` said of the option typed, ``--output: ...``, as generate says it."""
    if exc.param == "output" and exc.message.startswith("output:"):
        exc.message = "--output" + exc.message.removeprefix("output")
    return exc


def _same_container(path: Path, recorded: dict[str, Any], output: Path | None) -> Path | None:
    """Where a made video replays without -o: outputs/ under a new name, in the container of the one
    replayed (a sidecar's is an MP4), as an enhanced one keeps its own; a GIF came back as an MP4."""
    from reelgen.core.render import SUFFIXES, default_output

    suffix = path.suffix.lower()
    model, request = recorded.get("model"), recorded.get("request")
    if output is not None or suffix not in SUFFIXES or suffix == ".mp4":
        return output
    if not (isinstance(model, dict) and isinstance(request, dict) and isinstance(request.get("seed"), int)):
        return output  # a record replay refuses on its own, in its words
    return default_output(str(model.get("name") or request.get("model")), request["seed"], suffix=suffix)


def _replay_scene(
    path: Path,
    recorded: dict[str, Any],
    output: Path | None,
    allow_changed: bool,
    device: str | None,
    quiet: bool,
    inputs: list[str] | None,
) -> None:
    """A project's scene clip rendered again from its plan; the scene and its windows, then the path."""
    from reelgen.core.enhance.out_name import claim_again
    from reelgen.core.progress import Progress
    from reelgen.core.record import not_over_the_original
    from reelgen.core.replay_scene import replay_scene

    progress = Progress(preview_every=0)
    try:
        not_over_the_original(path, output)
        with progress_bar(progress.cancel, quiet) as on_event, claim_again(path, output) as out:
            progress.on_event = on_event
            made = replay_scene(
                path,
                recorded,
                out,
                allow_changed_inputs=allow_changed,
                progress=progress,
                device=device,
                inputs=inputs,
            )
    except ReelgenError as exc:
        raise fail(_as_option(exc)) from None
    console.print(f"[dim]scene {made.scene_id!r}: {len(made.rendered)} window(s) rendered again[/]")
    typer.echo(str(made.clip))
