"""What `reelgen enhance IN` is when it names no video file here: a URL, a server's video id without --server, a folder."""

from __future__ import annotations

import re
from pathlib import Path
from shlex import quote

from reelgen.core.errors import InvalidRequest

#: A job's id as the server makes it (reelgen.jobs: 'video_' and 32 hex digits); the CLI never imports jobs.
VIDEO_ID = re.compile(r"video_[0-9a-f]{32}")


def source_problem(text: str, server: str | None) -> InvalidRequest | None:
    """Why IN can be read neither here nor by the server, or None; both were "file ... does not exist"
    (a URL with its "//" made "/" by the path)."""
    if text == "-" and not Path(text).exists():  # "file - does not exist" read as a file looked for
        return InvalidRequest(
            "input: - (standard input) is not read: enhance reads a video file; save it to a file first",
            param="input",
        )
    if "://" in text:
        also = "" if server is None else ", or give the server's video id"
        return InvalidRequest(
            f"input: {text} is a URL; enhance reads a video file: download it first{also}", param="input"
        )
    if _PATTERN.search(text) and Path(text).suffix.lower() in FRAME_SUFFIXES and not Path(text).exists():
        # FFmpeg's image2 pattern (frame_%04d.png): "file ... does not exist" left the person to guess.
        made = quote(f"{Path(text).parent.name or 'frames'}.mkv")
        return InvalidRequest(
            f"input: {text} is a pattern of frames (an image sequence); enhance reads a video file: make one "
            f"of them first, e.g. `ffmpeg -framerate 24 -i {quote(text)} -c:v ffv1 {made}`, then enhance {made}",
            param="input",
        )
    if server is None and VIDEO_ID.fullmatch(text) and not Path(text).exists():
        return InvalidRequest(
            f"input: {text} is a server's video id; add --server URL to enhance it there, or give a video file",
            param="input",
        )
    return None


#: What a folder of frames is made of: the still images FFmpeg reads as a sequence.
FRAME_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".exr", ".dpx")

#: Entries of a folder looked at: a folder of a million files is not read whole to word a refusal.
LOOKED_AT = 100_000


def folder_problem(folder: Path) -> InvalidRequest:
    """The refusal of a folder given as IN; where it holds numbered frames (an image sequence, as a
    renderer or ComfyUI saves them), how to make the video enhance reads of them: it said only
    "is a folder; give a video file"."""
    said = f"input: {folder} is a folder; give a video file"
    try:
        names = sorted(
            entry.name
            for _, entry in zip(range(LOOKED_AT), folder.iterdir(), strict=False)
            if entry.suffix.lower() in FRAME_SUFFIXES
        )
    except OSError:
        names = []
    numbered = [m for m in map(_NUMBERED.fullmatch, names) if m is not None]
    if len(numbered) < 2:
        return InvalidRequest(said, param="input")
    first = numbered[0]
    kind = first["suffix"].lstrip(".").upper().replace("JPEG", "JPG")
    # FFmpeg's image2 pattern: the digits as %0Nd, where every name pads them alike.
    digits = (
        f"%0{len(first['number'])}d"
        if {len(m["number"]) for m in numbered} == {len(first["number"])}
        else "%d"
    )
    pattern = folder / f"{first['prefix']}{digits}{first['suffix']}"
    start = f" -start_number {int(first['number'])}" if int(first["number"]) > 4 else ""
    made = quote(f"{folder.name or 'frames'}.mkv")
    # FFV1 in Matroska: lossless, so nothing is lost before the enhancement, and at any size (x264
    # refuses odd sides).
    return InvalidRequest(
        f"input: {folder} is a folder of {len(numbered)} numbered {kind} frames (an image sequence); enhance "
        f"reads a video file: make one of them first, e.g. `ffmpeg -framerate 24{start} -i {quote(str(pattern))} "
        f"-c:v ffv1 {made}`, then enhance {made}",
        param="input",
    )


#: FFmpeg's frame number in an image2 pattern: %d, %04d.
_PATTERN = re.compile(r"%0?\d*d")

#: A frame's name: anything, its number (the last digits), then its suffix.
_NUMBERED = re.compile(r"(?P<prefix>.*?)(?P<number>\d+)(?P<suffix>\.[A-Za-z]+)")
