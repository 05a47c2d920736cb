"""Job-service commands: ``submit/status/watch/cancel/download`` talk to a server (``cli/serve.py`` runs one)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from reelgen.cli.client import (
    ClientError,
    KeyOpt,
    ServerOpt,
    _call,
    _check,
    _client,
    _exit,
    sse_events,
)
from reelgen.cli.output import console, parse_pairs

TERMINAL = ("completed", "failed", "cancelled")
#: How many times ``watch`` connects to a job's events, and the wait between two tries (the
#: ``retry`` the server's streams ask for): together they ride out a server restart.
RECONNECTS = 20
RECONNECT_S = 1.0


def _print_video(video: dict[str, Any]) -> None:
    line = f"{video['id']}  {video['status']:<11} {video['progress']:>3}%  {video['model']}  {video['size']}"
    line += f"  {video.get('num_frames')} frames @ {video.get('fps')} fps  seed {video.get('seed')}"
    if video.get("queue_position") is not None:
        line += f"  queue position {video['queue_position']}"
    console.print(line, highlight=False)
    if video.get("error"):
        console.print(f"[red]{video['error']['code']}: {video['error']['message']}[/]")


# ---- submit / status / cancel / download ----------------------------------------------------


def submit(
    prompt: Annotated[str, typer.Argument(help="What the video should show.")],
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model id (GET /v1/models).")] = None,
    size: Annotated[str | None, typer.Option(help="WIDTHxHEIGHT, e.g. 832x480.")] = None,
    seconds: Annotated[float | None, typer.Option(help="Clip length; mapped to a valid frame count.")] = None,
    frames: Annotated[int | None, typer.Option("--frames", help="Exact frame count.")] = None,
    fps: Annotated[float | None, typer.Option(help="Frames per second.")] = None,
    steps: Annotated[int | None, typer.Option(help="Denoising steps.")] = None,
    guidance: Annotated[float | None, typer.Option(help="Guidance scale.")] = None,
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
    idempotency_key: Annotated[
        str | None, typer.Option(help="Resending with the same key returns the same job.")
    ] = None,
    interpolate: Annotated[
        int | None, typer.Option(help="Then multiply the frame rate: 2, 4 ... (n frames become (n-1)*N+1).")
    ] = None,
    target_fps: Annotated[
        float | None, typer.Option(help="Then interpolate to this rate instead (59.94 means 60000/1001).")
    ] = None,
    interpolator: Annotated[str | None, typer.Option(help="auto (default), rife or flow.")] = None,
    upscale: Annotated[float | None, typer.Option(help="Then upscale by this factor: 2, 3, 4 ...")] = None,
    upscaler: Annotated[
        str | None,
        typer.Option(
            help="auto (default), esrgan, lanczos or a Real-ESRGAN model name (realesr-animevideov3 ...)."
        ),
    ] = None,
    watch_it: Annotated[bool, typer.Option("--watch", help="Follow progress until the job ends.")] = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Queue a video on a running server and print its id.

    Examples:

      reelgen submit "a red fox in snow" --model ltx-tiny --frames 9 --watch

      reelgen submit "a red fox" --model ltx-tiny --interpolate 2 --upscale 2
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
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    try:
        if image is not None:
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
            with image.open("rb") as fh:
                files = {"input_reference": (image.name, fh.read())}
            resp = _call(server, api_key, "POST", "/v1/videos", data=form, files=files, headers=headers)
        else:
            resp = _call(server, api_key, "POST", "/v1/videos", json=body, headers=headers)
        video = resp.json()
        _print_video(video)
        final = _watch(server, api_key, video["id"]) if watch_it else None
    except ClientError as exc:
        raise _exit(exc) from None
    if final not in (None, "completed"):
        raise typer.Exit(1)  # the job failed or was cancelled, as ``reelgen watch`` exits


def status(
    video_id: Annotated[str, typer.Argument(help="Job id (video_...).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole video object.")] = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Show a job's status, progress and result.

    Example: reelgen status video_0123... --json
    """
    try:
        video = _call(server, api_key, "GET", f"/v1/videos/{video_id}").json()
    except ClientError as exc:
        raise _exit(exc) from None
    if as_json:
        typer.echo(json.dumps(video, indent=2))
    else:
        _print_video(video)


def cancel(
    video_id: Annotated[str, typer.Argument(help="Job id (video_...).")],
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Cancel a queued job at once, or a running one at its next step.

    Example: reelgen cancel video_0123...
    """
    try:
        _print_video(_call(server, api_key, "POST", f"/v1/videos/{video_id}/cancel").json())
    except ClientError as exc:
        raise _exit(exc) from None


def download(
    video_id: Annotated[str, typer.Argument(help="Job id (video_...).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write (default <id>.mp4).")
    ] = None,
    variant: Annotated[str, typer.Option(help="video or thumbnail.")] = "video",
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Download a finished job's MP4 (or its thumbnail).

    Example: reelgen download video_0123... -o fox.mp4
    """
    target = output or Path(f"{video_id}{'.mp4' if variant == 'video' else '.png'}")
    try:
        fetch_content(server, api_key, video_id, target, variant)
    except ClientError as exc:
        raise _exit(exc) from None
    console.print(f"wrote {target}")


def fetch_content(
    server: str, api_key: str | None, video_id: str, target: Path, variant: str = "video"
) -> None:
    """Stream a finished job's file to ``target``, which appears only once it is complete."""
    from reelgen.core.encode import check_writable
    from reelgen.core.errors import InvalidRequest

    if target.is_dir():  # the finished file would be renamed onto a folder: say so before asking
        example = target / f"{video_id}{'.mp4' if variant == 'video' else '.png'}"
        raise ClientError(
            f"output {target} is a folder; give a file path in it, e.g. -o {example}", bad_input=True
        )
    try:
        check_writable(target)
    except InvalidRequest as exc:  # found here, before asking the server
        raise ClientError(exc.message, bad_input=True) from None
    partial = target.with_name(target.name + ".part")
    try:
        with (
            _client(server, api_key, timeout=None) as client,
            client.stream("GET", f"/v1/videos/{video_id}/content", params={"variant": variant}) as resp,
        ):
            if resp.status_code >= 400:
                resp.read()
                _check(resp)
            target.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as fh:
                for chunk in resp.iter_bytes():
                    fh.write(chunk)
        partial.replace(target)  # never leave a half-written file under the real name
    except httpx.TransportError as exc:
        raise ClientError(f"download from {server} failed ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)


# ---- watch ---------------------------------------------------------------------------------


def _watch(server: str, api_key: str | None, video_id: str, quiet: bool = False) -> str:
    """Follow the job's events with a progress bar (none when ``quiet``), resuming after drops;
    returns the final status."""
    last_id: str | None = None
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )
    connected = False
    task = None  # added once the server answers for the job: an unknown id draws no "queued" bar
    with bar, _client(server, api_key, timeout=httpx.Timeout(30.0, read=120.0)) as client:
        for attempt in range(RECONNECTS):  # after a dropped stream, resuming with Last-Event-ID
            if attempt:
                # The wait the stream asks for (retry: 1000): back-to-back tries all failed within
                # a second, so a server restarting (a few seconds) ended the watch.
                time.sleep(RECONNECT_S)
            headers = {"Last-Event-ID": last_id} if last_id else {}
            try:
                with client.stream("GET", f"/v1/videos/{video_id}/events", headers=headers) as resp:
                    connected = True
                    if resp.status_code >= 400:
                        resp.read()
                        _check(resp)
                    if task is None:
                        task = bar.add_task("queued", total=100, info="")
                    for event_id, name, data in sse_events(resp.iter_lines()):
                        last_id = event_id or last_id
                        final = _show(bar, task, name, data, quiet)
                        if final:
                            return final
            except httpx.TransportError as exc:
                if not connected:  # never reached: no stream was lost, the server is not there
                    raise ClientError(f"cannot reach {server} ({exc}); is `reelgen serve` running?") from None
                continue
    raise ClientError(f"lost the event stream of {video_id}; `reelgen status {video_id}` shows where it is")


def _show(bar: Progress, task: Any, name: str, data: dict[str, Any], quiet: bool = False) -> str | None:
    if name == "progress":
        eta = data.get("eta_s")
        info = f"{data.get('stage', '')} {data.get('step', 0)}/{data.get('total', 0)}"
        info += f" eta {eta:.0f}s" if isinstance(eta, int | float) else ""
        bar.update(task, description="running", completed=data.get("progress", 0), info=info)
    elif name in ("queued", "started"):
        position = data.get("queue_position")
        bar.update(task, description=name, info=f"position {position}" if position is not None else "")
    elif name in TERMINAL:
        bar.update(task, description=name, completed=100 if name == "completed" else None)
        bar.stop()
        if name == "completed":
            if not quiet:
                console.print(f"[green]completed[/]: reelgen download {data.get('id', '')}")
        else:
            error = data.get("error") or {}
            console.print(f"[red]{name}[/]: {error.get('code', '')} {error.get('message', '')}")
        return name
    return None


def watch(
    video_id: Annotated[str, typer.Argument(help="Job id (video_...).")],
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Follow a job live (server-sent events) until it completes, fails or is cancelled.

    Example: reelgen watch video_0123...
    """
    try:
        final = _watch(server, api_key, video_id)
    except ClientError as exc:
        raise _exit(exc) from None
    if final != "completed":
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the job-service commands to the ``reelgen`` app."""
    from reelgen.cli.serve import serve, worker

    for command in (serve, worker, submit, status, watch, cancel, download):
        app.command()(command)
