"""`reelgen shootout --models A,B --prompts prompts.yaml`: every model on every prompt, scored, in one HTML report."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from reelgen.cli import typed
from reelgen.cli.api_key import only_with_server
from reelgen.cli.batch import check_device, gpu_hour_price
from reelgen.cli.client import KeyOpt
from reelgen.cli.output import QuietOpt, console, fail, progress_bar, shown
from reelgen.cli.remote import ServerError, ServerOpt, download, refuse, run_on_server
from reelgen.cli.remote import fail as remote_fail
from reelgen.core.errors import ReelgenError
from reelgen.core.progress import Progress

if TYPE_CHECKING:
    from reelgen.core.shootout import PromptsFile, Shootout

Opt = typer.Option


def _names(values: list[str] | None) -> list[str]:
    """Comma-separated and repeated options alike, in order, blanks dropped."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _images_given(values: list[str] | None) -> list[str] | None:
    """``--images "$IMG"`` with IMG unset was dropped without a word: each image-to-video trial then
    failed saying to give one with --images, which had been given."""
    if any(not value.strip() for value in values or []):
        raise typer.BadParameter("it is empty (an unset variable?); give start images such as a.png,b.png")
    return values


def _models_given(values: list[str]) -> list[str]:
    """``-m A -m "$B"`` with B unset was dropped: the report compared A with nothing, exit 0."""
    if any(not value.strip() for value in values):
        raise typer.BadParameter("it is empty (an unset variable?); give models such as ltx-2b,wan-1.3b")
    return values


def shootout(
    models: Annotated[
        list[str],
        Opt(
            "--models", "-m", callback=_models_given, help="Models to compare: A,B,C (or repeat the option)."
        ),
    ],
    prompts: Annotated[
        Path,
        Opt(
            "--prompts",
            "-p",
            parser=typed.path_named("a YAML or .txt file of prompts"),
            metavar="<path>",
            help="YAML of prompts, shared settings and score weights; or a .txt file, a prompt a line.",
        ),
    ],
    images: Annotated[
        list[str] | None,
        Opt(
            "--images",
            "-i",
            callback=_images_given,
            help="Start images for image-to-video models, one per prompt in turn (a.png,b.png).",
        ),
    ] = None,
    output: Annotated[
        str | None,  # not Path: click makes "" into ".", and the report went into the current folder
        Opt(
            "--output",
            "-o",
            callback=typed.given("a folder for the report"),
            help="Report folder (default: a new shootout-DATE-TIME); an earlier report in it is "
            "removed as the run starts, and clips of the same names are replaced, each once its "
            "new one is whole.",
        ),
    ] = None,
    price: Annotated[
        float | None,
        Opt(
            "--price-per-gpu-hour",
            callback=gpu_hour_price,
            help="Price of GPU time, 0 or more (default: the prompts file's).",
        ),
    ] = None,
    device: Annotated[str | None, Opt(help="cpu, cuda or cuda:N (default: first GPU, else CPU).")] = None,
    quiet: QuietOpt = False,
    server: ServerOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Run each model on each prompt and write a report: time per stage, peak VRAM, cost, quality, score.

    The folder gets report.html (self-contained: opens offline), results.json
    (every number), the clips, a contact sheet and an animated preview of each.
    The prompts file (-p) is YAML: prompts: a list (each a prompt, or id,
    prompt, negative_prompt and image); settings: asked of every model alike
    (width, height, num_frames or seconds, fps, steps, seed); weights: the
    score's parts (speed, cost, vram, temporal, artefacts); price_per_gpu_hour
    and currency. A .txt file holds one prompt a line. The /docs page of
    `reelgen serve` lists every field (POST /v1/shootouts, prompts); the
    guide, docs/shootout.md, is in reelgen's source, not in an installed wheel.

    With --server the shoot-out runs as a job on a server, which writes the
    report into the same folder on its disk (its REELGEN_BATCH_ROOTS must
    include it; when it cannot be read here, report.html and results.json are
    downloaded to it).

    Exit status 1 when no trial finished (the report still says why each
    failed), or another shoot-out on the server writes in the folder now; a
    model failing some trials, such as an image-only model on a text prompt,
    is a result.

    Examples:

      reelgen shootout -m ltx-distilled,wan-1.3b -p prompts.yaml -o compare/
      reelgen shootout -m ltx-distilled,wan-1.3b -p prompts.yaml \\
          --server http://127.0.0.1:8000
    """
    only_with_server(server, api_key)  # a key typed with no --server: refused, said why
    from reelgen.core.shootout import load_prompts

    # "~" expanded as the shell does not in --output=~/compare: a folder named "~" was made here.
    folder = Path(output).expanduser() if output else Path(f"shootout-{dt.datetime.now():%Y%m%d-%H%M%S}")
    try:
        spec = load_prompts(prompts)
        starts = [str(Path(image).expanduser()) for image in _names(images)]  # -i=~/a.png, as -o
        _check_paths(starts, folder)
        _check_prompts_kept(prompts, folder)
        if device is not None and server is None:  # named as the option, before any trial
            check_device(device)
        if server is not None:
            refuse({"--device": device})
            _keep_own_report(folder, server, None)  # before the run, not once its GPU time is spent
            body = {
                "models": _names(models),
                "prompts": spec.model_dump(mode="json"),
                # Only when a prompt names an image: the server refused a prompts file outside its
                # REELGEN_BATCH_ROOTS even when nothing was to be read from its folder.
                "input_folder": str(prompts.resolve().parent)
                if any(entry.image is not None for entry in spec.prompts)
                else None,
                "images": [str(Path(image).resolve()) for image in starts],
                "output_folder": str(folder.resolve()),
                "price_per_gpu_hour": price,
            }
            return _on_server(body, server, api_key, quiet)
        done = _in_process(_names(models), spec, prompts, starts, folder, price, device, quiet)
    except ReelgenError as exc:
        param = (exc.param or "").partition("[")[0]  # "models[2]": the plan names the list's item
        if param in ("model", "models") and not exc.message.startswith("--models"):
            exc.message = f"--models: {exc.message}"  # as the server's refusal names it (_FLAGS)
        raise fail(exc) from None
    _say(done)


def _check_paths(images: list[str], folder: Path) -> None:
    """The files and folder named on the command line, refused by their options' names before any work
    (the shoot-out's own checks name its fields: "images:", "output")."""
    from reelgen.core.atomic import name_problem
    from reelgen.core.errors import InvalidRequest
    from reelgen.core.media import load_image

    for image in images:
        if problem := name_problem(Path(image)):  # asked of the disk, such a name raised "File name too long"
            raise InvalidRequest(f"--images: {problem}", param="images")
        if not Path(image).is_file():
            what = "is a folder, not an image" if Path(image).is_dir() else "does not exist"
            raise InvalidRequest(f"--images: {image} {what}", param="images")
        load_image(image, param="--images")  # else each trial failed on it, and the run exited 1, not 2
    if folder.exists() and not folder.is_dir():
        raise InvalidRequest(
            f"--output: {folder} is a file; give a folder for the report (it is made if missing)",
            param="output",
        )


def _check_prompts_kept(prompts: Path, folder: Path) -> None:
    """Refuse a report that would be written over the prompts file: ``-p compare/results.json -o compare``
    replaced the prompts with the results, and the next run was refused for "created_at"."""
    from reelgen.core.errors import InvalidRequest

    for name in ("results.json", "report.html"):
        if (folder / name).resolve() == prompts.resolve():
            raise InvalidRequest(
                f"--output: the report's {name} would replace the prompts file {prompts}; rename the prompts "
                "file or give another folder",
                param="output",
            )


def _in_process(
    models: list[str],
    spec: PromptsFile,
    prompts: Path,
    images: list[str],
    folder: Path,
    price: float | None,
    device: str | None,
    quiet: bool,
) -> Shootout:
    from reelgen.core.shootout import run_shootout

    progress = Progress(preview_every=0)
    with progress_bar(progress.cancel, quiet) as on_event:
        # A trial's line ("[1/2] key: failed (...)") names fields as the plan does; said here as options.
        progress.on_event = lambda event: on_event(replace(event, message=_flagged(event.message)))
        return run_shootout(
            models,
            spec,
            folder,
            base_dir=prompts.resolve().parent,
            images=images,
            progress=progress,
            device=device,
            price_per_gpu_hour=price,
            prompts_file=prompts,
        )


def _say(done: Shootout) -> None:
    """The ranking and the failures on the console; the report's path on stdout."""
    from reelgen.core.shootout import ranking

    for row in ranking(done.results):
        console.print(_ranked(row), highlight=False)
    for r in done.results:
        if r.error:
            console.print(f"[yellow]{shown(r.key)} failed:[/] {shown(_flagged(r.error['message']))}")
    typer.echo(str(done.report))
    if all(r.error for r in done.results):
        raise typer.Exit(1)  # nothing was compared


def _ranked(row: dict[str, Any]) -> str:
    """A ranking line; a model that finished no trial has no score (its 0 read as a measured one)."""
    score = f"mean score {row['score']:.1f}" if row["done"] else "no score"
    return f"{row['model']}: {score} ({row['done']} of {row['trials']} finished)"


def _on_server(body: dict[str, Any], server: str, api_key: str | None, quiet: bool) -> None:
    """The shoot-out as a job on ``server``, followed to the end; the report fetched unless it is here."""
    try:
        done = run_on_server(server, api_key, "shootouts", body, "shootout", quiet, _flagged)
        if done["status"] != "completed":
            error = done.get("error") or {}
            console.print(  # escaped: a message naming "x[/].png" was read as markup, an internal error
                f"[bold red]shoot-out {shown(done['status'])}:[/] {shown(error.get('message', ''))}",
                highlight=False,
            )
            raise typer.Exit(1)
        report = Path(done["report_file"])
        if not report.is_file():  # a server on another disk: bring the report and its numbers here
            folder = Path(body["output_folder"])
            _keep_own_report(folder, server, done)
            report = download(server, api_key, done["urls"]["report"], folder / report.name)
            download(server, api_key, done["urls"]["results"], folder / Path(done["results_file"]).name)
    except ServerError as exc:
        from reelgen.cli.busy_folder import folder_busy

        raise remote_fail(folder_busy(exc, server, "-o", "give another -o") or _as_options(exc)) from None
    for row in done["ranking"]:
        console.print(_ranked(row), highlight=False)
    for trial in done["trials"]:
        if trial.get("error"):
            console.print(
                f"[yellow]{shown(trial['key'])} failed:[/] {shown(_flagged(trial['error']['message']))}",
                highlight=False,
            )
    typer.echo(str(report))
    if all(trial.get("error") for trial in done["trials"]):
        raise typer.Exit(1)  # nothing was compared


def _keep_own_report(folder: Path, server: str, done: dict[str, Any] | None) -> None:
    """Refuse to download the report over a report.html or results.json of the person's own, as the
    local run refuses to write over one: a server on another disk checked only its own folder, and its
    report was downloaded over the person's file without a word."""
    from reelgen.core.shootout.report import foreign_report

    if (foreign := foreign_report(folder)) is not None:
        if done is None:  # before sending: said as the local run says it
            from reelgen.core.errors import InvalidRequest

            raise InvalidRequest(
                f"--output: {folder} holds a {foreign.name} that is not a shoot-out's, and the report would "
                "replace it; move that file, or give another folder",
                param="output",
            )
        where = f"{server.rstrip('/')}{done['urls']['report']}"
        raise ServerError(
            f"-o {folder}: it holds a {foreign.name} that is not a shoot-out's, so the report the server made "
            f"was not downloaded over it; move that file and fetch the report from {where}",
            bad_input=True,
        )


#: The job's fields as the options that set them: a server refusing ``-o`` said ``output_folder``.
_FLAGS = {
    "output_folder": "-o",
    "input_folder": "--prompts (its folder)",
    "images": "--images",
    "models": "--models",
    "price_per_gpu_hour": "--price-per-gpu-hour",
}


def _flagged(message: str) -> str:
    """A trial's error with a field in brackets said as this command's option: ``(images)`` is ``(--images)``."""
    return re.sub(r"\((\w+)\)", lambda m: f"({_FLAGS.get(m[1], m[1])})", message)


def _as_options(exc: ServerError) -> ServerError:
    from reelgen.cli.client import as_flags

    said = as_flags(exc, _FLAGS)
    return ServerError(str(said), said.status, bad_input=said.bad_input, param=said.param, said=said.said)


#: What a missing required option is for and how to give it: click said only "Missing option '--prompts'".
_MISSING = {
    "prompts": "A shoot-out runs each model on each prompt: give a YAML file of prompts, or a .txt file with "
    "one prompt a line, e.g. -p prompts.txt; the help lists the YAML's keys",
    "models": "Give the models to compare, e.g. -m ltx-tiny,reelgen-micro (`reelgen models` lists them)",
}


#: The prompts file's settings typed as options, each with an example of it written there.
_SETTINGS = {
    "width": "width: 512",
    "height": "height: 320",
    "size": "width: 512, height: 320",
    "num_frames": "num_frames: 49",
    "frames": "num_frames: 49",
    "seconds": "seconds: 3",
    "fps": "fps: 12",
    "steps": "steps: 30",
    "seed": "seed: 0",
}

#: Typer's own copy of click's exceptions (typer._click), which its commands raise.
_CLICK_ERRORS = sys.modules[typer.BadParameter.__module__]


class SaysWhatIsMissing(TyperCommand):
    """``reelgen shootout``, whose missing --models or --prompts is said with what to give."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except _CLICK_ERRORS.MissingParameter as exc:
            hint = _MISSING.get(str(exc.param.name if exc.param else ""))
            if hint and not exc.message:
                exc.message = hint
            raise
        except _CLICK_ERRORS.NoSuchOption as exc:
            # `--fps 12` was "No such option: --fps": the shared settings are the prompts file's.
            setting = _SETTINGS.get(exc.option_name.lstrip("-").replace("-", "_"))
            if setting is not None:
                exc.message = (
                    f"No such option: {exc.option_name}; a shoot-out asks every model for the same settings, "
                    f"given in its prompts file (a YAML file): settings: {{{setting}}} (`reelgen shootout --help` lists its keys)"
                )
                exc.possibilities = None
            raise


def register(app: typer.Typer) -> None:
    app.command(cls=SaysWhatIsMissing)(shootout)
