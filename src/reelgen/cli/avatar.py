"""``reelgen avatar``: a face photo (or a video to dub) and a voice (or text to speak) become a talking video."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from reelgen.cli.api_key import only_with_server
from reelgen.cli.avatar_checks import check_fps_option, check_limit, check_video_face, voice_limit
from reelgen.cli.client import KeyOpt, server_url
from reelgen.cli.complete import avatar_model_names
from reelgen.cli.generate import OutputOpt
from reelgen.cli.output import QuietOpt, fail
from reelgen.cli.pipe_inputs import spooled, typed_pipes
from reelgen.cli.remote import refuse
from reelgen.cli.typed import local_file

Opt = typer.Option

#: Request fields set by avatar's own options (beside generate's), for messages that name what was typed.
AVATAR_FLAGS = {"options.face_index": "--face-index", "options.batch": "--batch"}
#: The fields of ``POST /v1/avatars`` by the option that sets them, so a server's refusal, or a job failed
#: on the worker, names what was typed (``--face-index 2 is out of range``, not ``face_index 2 ...``).
#: The worker's messages name the core request's fields (``source_video: the video has no frames``).
REMOTE_FLAGS = {
    "speech_audio": "--audio",
    "speech_text": "--text",
    "start_image": "--image",
    "source_video": "--video",
    "options.face_index": "--face-index",
    "audio": "--audio",
    "image": "--image",
    "video": "--video",
    "text": "--text",
    "voice": "--voice",
    "face_index": "--face-index",
    "model": "--model",
}


def _number(given: str, takes: str) -> float:
    """``given`` as a number; text that is none said with what the option takes ("--fps abc" was told
    "give one in digits, such as 2.5", a number avatar refuses, with no word of its range)."""
    try:
        return float(given)
    except ValueError:
        raise typer.BadParameter(f"{given!r} is not a number; it takes {takes}") from None


def _fps(given: str) -> float:
    return _number(given, "a number from 10 to 240; leave it out for 25")


def _seconds(given: str) -> float:
    return _number(
        given, "a number of seconds, at least 0.25; leave it out for REELGEN_AVATAR_MAX_SECONDS, else 300"
    )


def pick_avatar_model(name: str) -> str:
    """``auto``: MuseTalk when its weights (and companions) are cached, else the built-in model."""
    from reelgen.core.backends.avatar.presets import pick_model
    from reelgen.core.errors import ReelgenError

    try:
        return pick_model(name)
    except ReelgenError as exc:  # a name that is no avatar model, said with the ones that are
        raise fail(exc) from None


def avatar(
    image: Annotated[
        str | None,
        Opt("--image", "-i", callback=local_file("a photo"), help="A photo with a face to animate."),
    ] = None,
    video: Annotated[
        str | None,
        Opt(
            "--video",
            callback=local_file("a video file"),
            help="A video to dub instead of a photo: only the mouth region changes.",
        ),
    ] = None,
    audio: Annotated[
        str | None,
        Opt(
            "--audio",
            "-a",
            callback=local_file("an audio file"),
            help="The voice: WAV, MP3, FLAC, OGG, M4A ...",
        ),
    ] = None,
    text: Annotated[
        str | None, Opt("--text", "-t", help="Text to speak instead of --audio (Piper TTS).")
    ] = None,
    voice: Annotated[
        str | None, Opt("--voice", help="Piper voice for --text: en_US-joe-medium (default) or a .onnx path.")
    ] = None,
    output: OutputOpt = None,
    model: Annotated[
        str,
        Opt(
            "--model",
            "-m",
            help="reelgen-lipsync (built in), musetalk, musetalk-tiny; auto = musetalk if cached.",
            autocompletion=avatar_model_names,
        ),
    ] = "auto",
    face_index: Annotated[
        int | None,
        # Ranges checked here, so an error names the flag typed, not the request field (options.face_index).
        Opt(
            "--face-index",
            min=0,
            help="Which face to animate, from 0 counted from the left (default: largest).",
        ),
    ] = None,
    max_seconds: Annotated[
        float | None,
        Opt(
            "--max-seconds",
            parser=_seconds,
            metavar="<float>",
            help="Refuse voices longer than this, at least 0.25 s (default: "
            "REELGEN_AVATAR_MAX_SECONDS, else 300 s).",
        ),
    ] = None,
    fps: Annotated[
        float | None,
        Opt(parser=_fps, metavar="<float>", help="Frames per second: 10 to 240 (default 25)."),
    ] = None,
    batch: Annotated[
        int | None, Opt(min=1, max=256, help="Frames per model pass (memory use on long voices).")
    ] = None,
    seed: Annotated[int | None, Opt(help="Recorded for replay; the lip-sync pass is deterministic.")] = None,
    device: Annotated[str | None, Opt(help="cpu, cuda or cuda:N (default: first GPU, else CPU).")] = None,
    quiet: QuietOpt = False,
    server: Annotated[
        str | None,
        Opt(
            "--server",
            callback=server_url,
            help="Make it on a `reelgen serve` at this URL (the files are uploaded).",
        ),
    ] = None,
    api_key: KeyOpt = None,
) -> None:
    """Make a talking-head video: the face speaks the voice, lips in sync.

    Examples:

      reelgen avatar --image face.png --audio voice.wav -o talk.mp4

      reelgen avatar --image face.png --text "Hello! Welcome to the show."

      reelgen avatar --video interview.mp4 --audio dub_fr.wav --face-index 1 \\
          -o dubbed.mp4

      reelgen avatar --image face.png --text "Hi!" -o hi.mp4 \\
          --server http://127.0.0.1:8000
    """
    only_with_server(server, api_key)  # a key typed with no --server: refused, said why
    from reelgen.cli.generate import _run
    from reelgen.cli.typed import FLAGS
    from reelgen.core.errors import ReelgenError
    from reelgen.core.speech.claim import speaking

    if server is not None:
        in_process = {"--max-seconds": max_seconds, "--fps": fps, "--batch": batch, "--seed": seed}
        refuse({**in_process, "--device": device})
        files = {"audio": audio, "image": image, "video": video}
        # An empty --voice is none, as without --server: it was sent, and refused beside --audio.
        asked = {"text": text, "voice": voice or None, "face_index": face_index, "model": model}
        _remote(server, api_key, files, asked, output, quiet)
        return

    if max_seconds is not None and not math.isfinite(max_seconds):  # NaN: no limit at all
        raise typer.BadParameter(f"--max-seconds {max_seconds:g} is no number of seconds; give e.g. 30")
    check_limit(max_seconds)  # below the shortest voice, 0 and less included
    check_fps_option(fps)
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
        # A refused (or failed) avatar takes away the speech it spoke; a made one's record names it.
        with voice_limit(max_seconds), speaking(text, voice), spooled(fields) as read:
            check_video_face(read)
            _run(read, output, None, device, quiet, flags={**FLAGS, **AVATAR_FLAGS})
    except FileNotFoundError as exc:  # never a traceback for a path typed wrong
        raise fail(_missing(exc)) from None
    except ReelgenError as exc:  # a pipe that gave no face or voice (cli.pipe_inputs): named as typed
        raise fail(typed_pipes(exc)) from None


def _remote(
    server: str,
    api_key: str | None,
    files: dict[str, str | None],
    fields: dict[str, Any],
    output: Path | None,
    quiet: bool,
) -> None:
    """Upload the face and voice to ``POST /v1/avatars``, follow the job frame by frame, download the MP4."""
    from reelgen.cli.client import ClientError, _call, _exit, _watch
    from reelgen.cli.download import fetch_with_record

    if output is not None and output.suffix.lower() != ".mp4":
        raise typer.BadParameter(
            f"--output {output.name}: the server makes an MP4; give a name ending in .mp4"
        )
    if output is not None:  # as without --server, before the upload: never over a person's own OUTPUT.json
        from reelgen.core.atomic import check_writable
        from reelgen.core.encode import check_record_free
        from reelgen.core.errors import ReelgenError

        try:
            check_writable(output)
            check_record_free(output)
        except ReelgenError as exc:
            raise fail(exc) from None
    _refuse_mixed(files, fields)
    uploads = {}
    for name, path in files.items():
        if path is not None:
            source = Path(path).expanduser()
            if source.is_dir():  # said as without --server; "no such file" sent the user looking for it
                from reelgen.core.errors import InvalidRequest

                raise fail(InvalidRequest(f"--{name}: {path} is a folder; give a file"))
            _check_readable(name, path, source)
            if name == "audio":
                _check_voice(path, source)
            uploads[name] = (source.name, source.read_bytes())
    form = {k: str(v) for k, v in fields.items() if v is not None and not (k == "model" and v == "auto")}
    try:
        video = _call(server, api_key, "POST", "/v1/avatars", data=form, files=uploads or None).json()
        if _watch(server, api_key, video["id"], quiet, REMOTE_FLAGS, downloads=True) != "completed":
            raise typer.Exit(1)
        target = output or Path("outputs") / f"{video['id']}.mp4"
        target.parent.mkdir(parents=True, exist_ok=True)
        fetch_with_record(server, api_key, video["id"], target)
    except ClientError as exc:
        raise _exit(exc, REMOTE_FLAGS) from None
    typer.echo(str(target))


def _check_readable(name: str, typed: str, source: Path) -> None:
    """A file, or a pipe (bash's ``<(sox ...)``: an upload reads it once, whole); a device is never read
    (/dev/zero has no end). A pipe was "no such file"; a missing file is said as a run here says it
    (it was "--audio nope.wav: no such file" with --server, "--audio: file nope.wav does not exist" without)."""
    import stat

    try:
        mode = source.stat().st_mode
    except OSError:
        from reelgen.core.errors import InvalidRequest

        # Said as fail() says it without --server: a usage error's "(see --help)" told nothing of the file.
        raise fail(InvalidRequest(f"--{name}: file {typed} does not exist")) from None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise typer.BadParameter(f"--{name} {typed} is a device, not a file; give a file (or a pipe)")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise typer.BadParameter(f"--{name} {typed} is not a file; give a file (or a pipe)")


def _check_voice(typed: str, source: Path) -> None:
    """A voice that is no audio refused here, in the words a run here says it, before it is uploaded:
    a video or a text file went up whole (minutes for a long one) to be refused by the server."""
    import stat

    import av

    if stat.S_ISFIFO(source.stat().st_mode):  # a pipe is read once: the upload is what reads it
        return
    valid = "give a WAV, MP3, FLAC, OGG or M4A file"
    try:
        with av.open(str(source)) as container:
            if not container.streams.audio:
                raise typer.BadParameter(f"--audio: {typed} has no audio stream; {valid}")
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        empty = source.stat().st_size == 0
        reason = "the file is empty" if empty else getattr(exc, "strerror", None) or str(exc)
        raise typer.BadParameter(
            f"--audio: {typed} is not a readable audio file ({reason}); {valid}"
        ) from None


def _refuse_mixed(files: dict[str, str | None], fields: dict[str, Any]) -> None:
    """The voice and face given in a way no avatar takes, said as this command says it without a server
    (and before anything is uploaded): the server's words named its fields (`audio` or `text`)."""
    from reelgen.core.errors import InvalidRequest

    audio, text = files["audio"], fields["text"]
    problem = None
    if audio is not None and (text or "").strip():  # --text "" beside --audio is no text, as without --server
        problem = "give a voice track (--audio) or text to speak (--text), not both"
    elif audio is None and not (text or "").strip():
        problem = 'an avatar needs a voice: a recording (--audio voice.wav) or text to speak (--text "...")'
    elif audio is not None and fields["voice"] is not None:
        problem = "--voice speaks the text to say (--text); with a voice track (--audio), leave it out"
    elif files["image"] is not None and files["video"] is not None:
        problem = "an avatar takes one face source: a photo (--image) or a video to dub (--video), not both"
    elif _voice_file(fields["voice"]):
        from reelgen.core.speech.tts import DEFAULT_VOICE

        # The server said "not a voice of this server" after the upload, as if the path were wrong.
        problem = (
            f"--voice {fields['voice']}: a voice file is read only without --server; a server speaks with "
            f"its own voices ({DEFAULT_VOICE}): name one, or leave out --server to speak with this file here"
        )
    if problem is not None:
        raise fail(InvalidRequest(problem))


def _voice_file(voice: str | None) -> bool:
    """Whether ``--voice`` names a file (a Piper .onnx), which is never sent to a server."""
    return voice is not None and (
        voice.endswith(".onnx") or os.sep in voice or Path(voice).expanduser().is_file()
    )


def _missing(exc: FileNotFoundError) -> Any:
    from reelgen.core.errors import InvalidRequest

    return InvalidRequest(f"{exc.filename}: no such file", param="speech_audio")


def register(app: typer.Typer) -> None:
    app.command(epilog="Models: reelgen-lipsync (built in), musetalk (`reelgen pull musetalk`).")(avatar)
