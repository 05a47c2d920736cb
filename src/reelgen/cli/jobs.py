"""Job-service commands (``submit/status/watch/list/cancel/delete/remix/download``) that talk to a server.

What a command reports (a job's line, its JSON) goes to stdout, so ``ID=$(reelgen submit ...)``
and ``reelgen status ID --json | jq`` work; progress bars, hints and errors go to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from reelgen.cli.client import (
    TERMINAL,
    ClientError,
    KeyOpt,
    ServerOpt,
    _call,
    _exit,
    _watch,
    job_path,
)
from reelgen.cli.download import download_path, fetch_content, misnamed
from reelgen.cli.enhance_options import SubmitInterpolatorOpt, SubmitUpscalerOpt
from reelgen.cli.flag_names import JOB_FLAGS as FLAGS
from reelgen.cli.flag_names import Flags, kept_field, said_as_kept
from reelgen.cli.item_delete import item_of_running
from reelgen.cli.jobs_args import (
    IdArg,
    JsonOpt,
    KeyIdemOpt,
    SubmitModelOpt,
    VariantOpt,
    WatchOpt,
    checked_job_id,
    finite,
    remix_seed,
)
from reelgen.cli.output import console, parse_pairs
from reelgen.cli.parent_jobs import VIDEO_KEYS, found, keys_at, made_of, not_downloadable, watch_parent
from reelgen.cli.parent_jobs import answer as _answer
from reelgen.cli.project_download import project_job_files
from reelgen.cli.remix_gone import said_for_cli
from reelgen.jobs.artifacts import SUFFIXES

#: What a video object's ``parent_object`` is called on its line (a deleted parent's is null: "job").
_PARENT_NOUNS = {"batch": "batch", "shootout": "shoot-out"}


def _print_video(video: dict[str, Any]) -> None:
    """The job's line on stdout: id first, so ``awk '{print $1}'`` takes it."""
    made = f"{video.get('model')}  {video.get('size')}  {video.get('num_frames')} frames @ {video.get('fps')} fps"
    made = made_of(video) or made  # a project's, batch's or shoot-out's job, as cancel and status find them
    line = f"{video['id']}  {video['status']:<11} {video['progress']:>3}%  {made}"
    if video.get("seed") is not None:  # an enhance job has none: it said "seed None"
        line += f"  seed {video['seed']}"
    if video.get("queue_position") is not None:
        line += f"  queue position {video['queue_position']}"
    # Where it came from: a remix (a new prompt over its settings) or an enhancement (its picture).
    if video.get("remixed_from_video_id"):
        line += f"  remix of {video['remixed_from_video_id']}"
    elif video.get("enhanced_from_video_id"):
        line += f"  enhanced from {video['enhanced_from_video_id']}"
    if video.get("parent_id"):  # a batch's or shoot-out's item read as a video made on its own
        line += f"  item of {_PARENT_NOUNS.get(str(video.get('parent_object')), 'job')} {video['parent_id']}"
    if video["status"] == "completed" and not (video.get("urls") or {}).get("content", True):
        # A completed video past retention read as one to download, and `download` then said 404.
        line += "  files removed (retention)"
    typer.echo(line)
    if video.get("error"):
        typer.echo(f"  {video['error']['code']}: {video['error']['message']}")


def _created(resp: httpx.Response) -> dict[str, Any]:
    """The job a create or remix answered; a replay of an earlier one (its Idempotency-Key) said to be
    one: its line read as a job just queued, though nothing new was (and it may be long finished)."""
    video = _answer(resp, *VIDEO_KEYS)
    if resp.headers.get("Idempotent-Replayed") == "true":
        said = f"{video['id']} was queued by an earlier request with this --idempotency-key; nothing new was queued"
        console.print(said, highlight=False, markup=False)
    return video


def _report(
    server: str, api_key: str | None, video: dict[str, Any], watch_it: bool, as_json: bool, flags: Flags
) -> None:
    """A new job's line (or JSON), then with ``watch_it`` its progress and its end: exit 1 when it
    failed or was cancelled, as ``reelgen watch`` exits; a failure names the options (``flags``), as a refusal."""
    if not as_json:
        _print_video(video)
    final = _watch(server, api_key, video["id"], flags=flags) if watch_it else None
    if as_json:  # with --watch: the object as it ended
        ended = watch_it and _answer(_call(server, api_key, "GET", job_path(video["id"])), *VIDEO_KEYS)
        typer.echo(json.dumps(ended or video, indent=2, ensure_ascii=False))
    if final not in (None, "completed"):
        raise typer.Exit(1)


# ---- submit / status / cancel / download ----------------------------------------------------


def submit(
    prompt: Annotated[str, typer.Argument(help="What the video should show.")],
    model: SubmitModelOpt = None,
    size: Annotated[str | None, typer.Option(help="WIDTHxHEIGHT, e.g. 832x480.")] = None,
    seconds: Annotated[
        float | None, typer.Option(help="Clip length; mapped to a valid frame count.", callback=finite)
    ] = None,
    frames: Annotated[int | None, typer.Option("--frames", help="Exact frame count.")] = None,
    fps: Annotated[float | None, typer.Option(help="Frames per second.", callback=finite)] = None,
    steps: Annotated[int | None, typer.Option(help="Denoising steps.")] = None,
    guidance: Annotated[float | None, typer.Option(help="Guidance scale.", callback=finite)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed; random when left out.")] = None,
    negative: Annotated[str | None, typer.Option("--negative", help="Negative prompt.")] = None,
    image: Annotated[
        Path | None,
        typer.Option("--image", exists=True, dir_okay=False, help="Start image (image-to-video)."),
    ] = None,
    priority: Annotated[int, typer.Option(help="Higher runs first.")] = 0,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="Model option KEY=VALUE (repeatable).")
    ] = None,
    idempotency_key: KeyIdemOpt = None,
    interpolate: Annotated[
        int | None, typer.Option(help="Then multiply the frame rate: 2, 4 ... (n frames become (n-1)*N+1).")
    ] = None,
    target_fps: Annotated[
        float | None,
        typer.Option(help="Then interpolate to this rate instead (59.94 means 60000/1001).", callback=finite),
    ] = None,
    interpolator: SubmitInterpolatorOpt = None,
    upscale: Annotated[
        float | None, typer.Option(help="Then upscale by this factor: 2, 3, 4 ...", callback=finite)
    ] = None,
    upscaler: SubmitUpscalerOpt = None,
    watch_it: WatchOpt = False,
    as_json: JsonOpt = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Queue a video on a running server and print its line, id first.

    With --watch, exit 1 when the job fails or is cancelled; with --json
    and --watch, the object printed is the job as it ended.

    Examples:

      reelgen submit "a red fox in snow" --model ltx-tiny --frames 9 --watch

      ID=$(reelgen submit "a red fox" --model ltx-tiny | cut -d' ' -f1)
    """
    body: dict[str, Any] = {"prompt": prompt, "priority": priority}
    fields = {
        "model": model,
        "size": size,
        "seconds": seconds,
        "num_frames": frames,
        "fps": fps,
        "num_inference_steps": steps,
        "guidance_scale": guidance,
        "seed": seed,
        "negative_prompt": negative,
        "interpolate": interpolate,
        "target_fps": target_fps,
        "interpolator": interpolator,
        "upscale": upscale,
        "upscaler": upscaler,
    }
    body.update({k: v for k, v in fields.items() if v is not None})
    if option:
        body["options"] = parse_pairs(option, "--option")
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    try:
        if image is not None:
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
            with image.open("rb") as fh:
                files = {"input_reference": (image.name, fh.read())}
            resp = _call(server, api_key, "POST", "/v1/videos", data=form, files=files, headers=headers)
        else:
            resp = _call(server, api_key, "POST", "/v1/videos", json=body, headers=headers)
        _report(server, api_key, _created(resp), watch_it, as_json, FLAGS)
    except ClientError as exc:
        raise _exit(exc, FLAGS) from None


def status(
    video_id: IdArg,
    as_json: JsonOpt = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Show a job's status, progress and result.

    Example: reelgen status video_0123... --json
    """
    try:
        video = found(server, api_key, video_id)[1]
    except ClientError as exc:
        raise _exit(exc) from None
    if as_json:
        typer.echo(json.dumps(video, indent=2, ensure_ascii=False))
    else:
        _print_video(video)


def cancel(
    video_id: IdArg,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Cancel a queued job at once, or a running one at its next step.

    A project's render or export job too (its finished scenes are kept),
    and a batch or shoot-out with its queued and running items.
    A job that already ended is left as it is and said so (exit 0).

    Example: reelgen cancel video_0123...
    """
    try:
        # A project's, batch's or shoot-out's job: found at its 404's error.job_url (a scene job has none).
        path, video = found(server, api_key, video_id)
        if video["status"] in TERMINAL:  # the server answers it unchanged: say so, not "cancelled"
            console.print(f"{video['id']} already {video['status']}; nothing to cancel", highlight=False)
        else:
            video = _answer(_call(server, api_key, "POST", f"{path}/cancel"), *keys_at(path))
            if video["status"] not in TERMINAL:
                console.print("cancel requested; it stops at its next step", highlight=False)
            elif video["status"] != "cancelled":  # it ended between the look and the cancel: untouched
                ended = f"{video['id']} {video['status']} before the cancel reached it; nothing to cancel"
                console.print(ended, highlight=False)
        _print_video(video)
    except ClientError as exc:
        raise _exit(exc) from None


def download(
    video_id: IdArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", parser=download_path, help="Where to write (default <id>.mp4, .png or .jpg)."
        ),
    ] = None,
    variant: VariantOpt = "video",
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Download a finished job's MP4 (or its thumbnail, or its spritesheet: a JPEG grid of frames).

    Example: reelgen download video_0123... -o fox.mp4
    """
    target = output or Path(f"{video_id}{SUFFIXES.get(variant, ('.mp4',))[0]}")
    named = "output" if output is None else "--output"  # the option, where a name was typed
    try:
        if wrong := misnamed(target, variant, video_id, named):  # said before asking the server
            raise ClientError(wrong, bad_input=True)
        try:
            fetch_content(server, api_key, video_id, target, variant, named)
        except ClientError as exc:  # a batch's, shoot-out's or project job's id: say where its files are
            said = not_downloadable(server, api_key, video_id, exc)
            raise project_job_files(server, api_key, video_id, said) from None
    except ClientError as exc:
        raise _exit(exc, {"variant": "--variant"}) from None
    console.print(f"wrote {target}", highlight=False, markup=False)  # a name may hold "[/]"


def watch(
    video_id: IdArg,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Follow a job live (server-sent events) until it completes, fails or is cancelled.

    Exit 0 when it completed, 1 when it failed, was cancelled or was
    deleted meanwhile, 130 on Ctrl-C (the job keeps running). It waits up
    to 60 s for a server to come back, and goes on from the last event.

    Example: reelgen watch video_0123...
    """
    try:
        try:
            final = _watch(server, api_key, video_id)
        except ClientError as exc:  # a batch's or shoot-out's id: its own events
            final = watch_parent(server, api_key, video_id, exc) or ""
            if not final:
                raise
    except ClientError as exc:
        raise _exit(exc) from None
    if final != "completed":
        raise typer.Exit(1)


# ---- delete / remix (list: cli.jobs_list) -----------------------------------------------------------------


def delete(
    video_id: IdArg,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Delete a job, its record and its files; a running one is stopped.

    Example: reelgen delete video_0123...
    """
    try:
        gone = found(server, api_key, video_id, "DELETE")[1]
    except ClientError as exc:
        raise _exit(item_of_running(exc, video_id, server)) from None
    typer.echo(f"{gone['id']}  deleted")


def remix(
    video_id: Annotated[
        str, typer.Argument(help="Job id of a generated video (video_...).", callback=checked_job_id)
    ],
    prompt: Annotated[str, typer.Argument(help="The new prompt.")],
    negative: Annotated[str | None, typer.Option("--negative", help=f"Negative prompt{KEPT}.")] = None,
    seed: Annotated[int | None, typer.Option(help=f"Seed{KEPT}.", callback=remix_seed)] = None,
    steps: Annotated[int | None, typer.Option(help=f"Denoising steps{KEPT}.")] = None,
    guidance: Annotated[float | None, typer.Option(help=f"Guidance scale{KEPT}.", callback=finite)] = None,
    priority: Annotated[int | None, typer.Option(help=f"Higher runs first{KEPT}.")] = None,
    idempotency_key: KeyIdemOpt = None,
    watch_it: WatchOpt = False,
    as_json: JsonOpt = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Queue a new video from another one's request (finished or not) with a new prompt.

    Model, size, frames, fps, model options, LoRAs and input files stay
    the remixed video's; so do its negative prompt, seed, steps, guidance
    and priority unless given.

    Example: reelgen remix video_0123... "the fox at dawn" --watch
    """
    fields = {
        "prompt": prompt,
        "negative_prompt": negative,
        "seed": seed,
        "num_inference_steps": steps,
        "guidance_scale": guidance,
        "priority": priority,
    }
    body = {k: v for k, v in fields.items() if v is not None}
    typed = {k: FLAGS[k] for k in body}  # any other field is the remixed video's: no option names it
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    try:
        sent = _call(server, api_key, "POST", job_path(video_id, "remix"), json=body, headers=headers)
        _report(server, api_key, _created(sent), watch_it, as_json, typed)
    except ClientError as exc:
        exc = said_for_cli(exc, prompt, lambda: _model_of(server, api_key, video_id))
        raise _exit(_kept(exc, server, api_key, video_id, typed), typed) from None


def _model_of(server: str, api_key: str | None, video_id: str) -> str | None:
    """The model of video ``video_id``; None when the server cannot say."""
    try:
        model = _call(server, api_key, "GET", job_path(video_id)).json().get("model")
    except (ClientError, ValueError, AttributeError):
        return None
    return model if isinstance(model, str) else None


#: What a remix option left out is: the remixed video's (its help said so of --seed alone, though the
#: server keeps the negative prompt, steps, guidance and priority too).
KEPT = " (default: the remixed video's)"


def _kept(exc: ClientError, server: str, api_key: str | None, video_id: str, typed: Flags) -> ClientError:
    """A refusal of a field the remix kept from ``video_id`` said as that video's, with its value and how to
    change it: it named ``--model`` or ``--option flow_shift``, as if typed (remix has no such option)."""
    field = kept_field(exc.param or "", typed)
    if exc.said is None or not exc.bad_input or field is None:
        return exc
    try:
        parent = _call(server, api_key, "GET", job_path(video_id)).json()
    except ClientError:
        parent = None  # said without its value
    said = said_as_kept(exc.said, field, parent, video_id)
    return ClientError(f"HTTP {exc.status}: {said}", exc.status, bad_input=True)


def register(app: typer.Typer) -> None:
    """Add the job-service commands to the ``reelgen`` app."""
    from reelgen.cli.jobs_list import list_videos  # it reads this module's job line
    from reelgen.cli.serve import serve, worker

    for command in (serve, worker, submit, status, watch, cancel, download, list_videos, delete, remix):
        app.command("list" if command is list_videos else None)(command)
