"""What ``reelgen avatar`` checks before a model loads: a dub's face, --max-seconds and --fps, a voice limit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from reelgen.cli.output import fail
from reelgen.cli.pipe_inputs import typed_pipes


def check_video_face(fields: dict[str, Any]) -> None:
    """A video to dub with no face in the frames its voice reaches (or fewer than --face-index counts) is
    refused before the model loads, as a photo is: the run found it out once the model had loaded
    (minutes for MuseTalk). Its frames are searched in order up to the first face, so a clip with one
    costs a frame. With --text, whose length is known only once spoken, render checks it once spoken,
    still before the model loads: searched here, a long interview whose face comes late was searched far
    past the frames a short text shows.
    A file that is no video, or none at all, is left to the run, which says so in its own words."""
    from reelgen.core.errors import InvalidRequest, ReelgenError
    from reelgen.core.face.source import video_has_face
    from reelgen.core.speech.audio import max_seconds

    video = fields["source_video"]
    if not video or not Path(video).expanduser().is_file():
        return
    seconds = stated_seconds(fields["speech_audio"])
    try:
        if seconds is None or seconds > max_seconds():  # a voice over the limit is refused first
            return
    except ReelgenError:  # REELGEN_AVATAR_MAX_SECONDS is no number: the run says so
        return
    fps = fields["fps"] or 25.0  # every avatar model's rate
    frames = round(seconds * fps) + 1  # one more: the run rounds the length it decodes
    index = fields["options"].get("face_index")
    try:
        video_has_face(str(Path(video).expanduser()), index, Path(video).name, fps, frames)
    except InvalidRequest as exc:
        if exc.param == "options.face_index":
            said = InvalidRequest("--face-index" + exc.message.removeprefix("options.face_index"))
            raise fail(typed_pipes(said)) from None
        if exc.param == "start_image":  # choose()'s "no face found in clip.mp4; ..."
            raise fail(typed_pipes(exc)) from None
        # Unreadable or cut short: the run refuses it, naming --video, in the same words.


def stated_seconds(audio: str | None) -> float | None:
    """The voice file's length as its header states it (nothing decoded), or None where it states none."""
    import av

    if not audio or not Path(audio).expanduser().is_file():
        return None
    try:
        with av.open(str(Path(audio).expanduser())) as container:
            return float(container.duration / av.time_base) if container.duration else None
    except (av.error.FFmpegError, UnicodeDecodeError):
        return None


def check_limit(seconds: float | None) -> None:
    """A limit below the shortest voice an avatar takes lets no voice through: a 2 s voice was told
    to be split, and text to be shortened, into pieces that would all be refused as too short."""
    from reelgen.core.speech.audio import MIN_SECONDS

    if seconds is not None and seconds < MIN_SECONDS:
        raise typer.BadParameter(
            f"--max-seconds {seconds:g} is below the shortest voice an avatar takes ({MIN_SECONDS:g} s, "
            f"a syllable), so no voice could pass; give at least {MIN_SECONDS:g}"
        )


def check_fps_option(fps: float | None) -> None:
    """The avatar's own range said for every --fps out of it: 0 and 300 were told a request's range
    ("above 0 and at most 240"), which 0.1 is in, and 0.1 was refused with the avatar's."""
    from reelgen.core.errors import InvalidRequest
    from reelgen.core.speech.prepare import check_fps

    try:
        check_fps(fps, 25.0)  # every avatar model's default
    except InvalidRequest as exc:
        raise fail(InvalidRequest("--fps" + exc.message.removeprefix("fps"), param="fps")) from None


@contextmanager
def voice_limit(seconds: float | None) -> Iterator[None]:
    """``REELGEN_AVATAR_MAX_SECONDS`` as --max-seconds for this run only (the voice check reads the variable);
    left set, it outlived the command in a process that goes on (a test session, a notebook)."""
    before = os.environ.get("REELGEN_AVATAR_MAX_SECONDS")
    if seconds is not None:
        os.environ["REELGEN_AVATAR_MAX_SECONDS"] = str(seconds)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("REELGEN_AVATAR_MAX_SECONDS", None)
        else:
            os.environ["REELGEN_AVATAR_MAX_SECONDS"] = before
