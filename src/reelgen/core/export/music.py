"""The soundtrack's file, checked before the export starts: there, readable, and holding sound."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.settings import Soundtrack


def not_a_file(path: Path) -> str:
    """Why ``path`` cannot be read as a file: it is missing, or it is a folder (not "does not exist")."""
    return f"{path} is a folder, not a file" if path.is_dir() else f"file {path} does not exist"


def check_soundtrack(music: Soundtrack, param: str = "soundtrack.file") -> None:
    """The music file exists and holds sound PyAV can decode."""
    import av

    valid = "give a WAV, FLAC, MP3, AAC/M4A, OGG or a video with sound"
    if not Path(music.file).is_file():
        raise InvalidRequest(f"{param}: {not_a_file(Path(music.file))}", param=param)
    try:
        with av.open(music.file) as container:
            if not container.streams.audio:
                # A picture or a silent video: said with what would do, as an unreadable file is.
                raise InvalidRequest(
                    f"{param}: {music.file} has no audio stream (no sound at all); {valid}", param=param
                )
            # A file of no samples (a WAV header alone) was looped for ever: the export hung, deaf to Ctrl-C.
            if next((f for f in container.decode(container.streams.audio[0]) if f.samples), None) is None:
                raise InvalidRequest(
                    f"{param}: {music.file} holds no sound (an empty audio stream); give a file with music",
                    param=param,
                )
    except av.error.FFmpegError as exc:
        # FFmpeg's own words, without its errno and file name: "[Errno 1094995529] Invalid data found ...".
        said = exc.strerror or str(exc)
        raise InvalidRequest(
            f"{param}: {music.file} is not a readable audio file ({said}); {valid}",
            param=param,
        ) from None
