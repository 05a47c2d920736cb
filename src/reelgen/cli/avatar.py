"""``reelgen avatar``: a face photo (or a video to dub) and a voice (or text to speak) become a talking video."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from reelgen.cli.output import fail

Opt = typer.Option

#: The built-in model: it ships inside reelgen, so ``--model auto`` never needs a download.
BUILT_IN = "reelgen-lipsync"


def pick_avatar_model(name: str) -> str:
    """``auto``: MuseTalk when its weights (and companions) are cached, else the built-in model."""
    if name != "auto":
        return name
    from reelgen.core.backends import companions
    from reelgen.core.backends.avatar.presets import PRESETS

    musetalk = next(p for p in PRESETS if p.variant == "musetalk")
    needed = [musetalk.repo_id or "", *musetalk.companions]
    if all(companions.cached(repo) for repo in needed):
        return musetalk.name
    return BUILT_IN


def avatar(
    image: Annotated[str | None, Opt("--image", "-i", help="A photo with a face to animate.")] = None,
    video: Annotated[
        str | None, Opt("--video", help="A video to dub instead of a photo: only the mouth region changes.")
    ] = None,
    audio: Annotated[str | None, Opt("--audio", "-a", help="The voice: WAV, MP3, FLAC, OGG, M4A ...")] = None,
    text: Annotated[
        str | None, Opt("--text", "-t", help="Text to speak instead of --audio (Piper TTS).")
    ] = None,
    voice: Annotated[
        str | None, Opt("--voice", help="Piper voice for --text: en_US-joe-medium (default) or a .onnx path.")
    ] = None,
    output: Annotated[Path | None, Opt("--output", "-o", help="Output .mp4 (default: outputs/...).")] = None,
    model: Annotated[
        str,
        Opt(
            "--model",
            "-m",
            help="reelgen-lipsync (built in), musetalk, musetalk-tiny; auto = musetalk if cached.",
        ),
    ] = "auto",
    face_index: Annotated[
        int | None,
        Opt("--face-index", help="Which face to animate, from 0 counted from the left (default: largest)."),
    ] = None,
    max_seconds: Annotated[
        float | None, Opt("--max-seconds", help="Refuse voices longer than this (default 300 s).")
    ] = None,
    fps: Annotated[float | None, Opt(help="Frames per second (default 25).")] = None,
    batch: Annotated[int | None, Opt(help="Frames per model pass (memory use on long voices).")] = None,
    seed: Annotated[int | None, Opt(help="Recorded for replay; the lip-sync pass is deterministic.")] = None,
    device: Annotated[str | None, Opt(help="cpu, cuda or cuda:N (default: first GPU, else CPU).")] = None,
    quiet: Annotated[bool, Opt("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Make a talking-head video: the face speaks the voice, lips in sync.

    Examples:

      reelgen avatar --image face.png --audio voice.wav -o talk.mp4

      reelgen avatar --image face.png --text "Hello! Welcome to the show." -o hello.mp4

      reelgen avatar --video interview.mp4 --audio dub_fr.wav --face-index 1 -o dubbed.mp4
    """
    from reelgen.cli.generate import _run

    if max_seconds is not None:
        if max_seconds <= 0:
            raise typer.BadParameter("--max-seconds must be above 0")
        os.environ["REELGEN_AVATAR_MAX_SECONDS"] = str(max_seconds)
    options: dict[str, Any] = {}
    if face_index is not None:
        options["face_index"] = face_index
    if batch is not None:
        options["batch"] = batch
    fields: dict[str, Any] = dict(
        model=pick_avatar_model(model),
        task="avatar",
        start_image=image,
        source_video=video,
        speech_audio=audio,
        speech_text=text,
        voice=voice,
        fps=fps,
        seed=seed,
        options=options,
    )
    try:
        _run(fields, output, None, device, quiet)
    except FileNotFoundError as exc:  # never a traceback for a path typed wrong
        raise fail(_missing(exc)) from None


def _missing(exc: FileNotFoundError) -> Any:
    from reelgen.core.errors import InvalidRequest

    return InvalidRequest(f"{exc.filename}: no such file", param="speech_audio")


def register(app: typer.Typer) -> None:
    app.command(epilog="Models: reelgen-lipsync (built in), musetalk (`reelgen pull musetalk`).")(avatar)
