"""A face or voice given to ``reelgen avatar`` from a pipe (``--audio <(sox ...)``, ``/dev/stdin``), read once
into a file for the run, as ``--server`` uploads it: the run reads its inputs more than once."""

from __future__ import annotations

import copy
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reelgen.cli.output import console, shown
from reelgen.core.errors import InvalidRequest, ReelgenError

#: The request's file fields by the option that gives them.
_FIELDS = {"start_image": "--image", "source_video": "--video", "speech_audio": "--audio"}
#: Each copy made for a run (its path) by the pipe as typed; kept while its run lasts, for ``typed_pipes``.
_COPIES: dict[str, str] = {}


def _is_pipe(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return stat.S_ISFIFO(Path(value).expanduser().stat().st_mode)
    except OSError:  # missing: said by the run, in its own words
        return False


@contextmanager
def spooled(fields: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``fields`` with each piped input read whole into a file kept for the run (and removed after it).

    A pipe here was refused ("read more than once ...: save it to a file first") where ``--server``
    uploaded it; the two now agree. The record names the copy, which is gone once the run ends, so
    the person is told a replay needs the input saved to a file."""
    piped = [field for field in _FIELDS if _is_pipe(fields.get(field))]
    if not piped:
        yield fields
        return
    with tempfile.TemporaryDirectory(prefix="reelgen-pipe-") as folder:
        copied = dict(fields)
        try:
            for field in piped:
                typed = str(fields[field])
                # Named as the pipe, in a folder of its field's (two pipes may share a name): a problem the
                # run finds in it names the file ("no face found in 63 (a pipe)"), where it said "in start_image".
                target = Path(folder) / field / f"{Path(typed).name} (a pipe)"
                target.parent.mkdir()
                with Path(typed).expanduser().open("rb") as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                copied[field] = str(target)
                _COPIES[str(target)] = typed
                check_copy(field, target, typed)
                console.print(
                    f"[yellow]note:[/] {_FIELDS[field]} {shown(typed)} is a pipe, read once for this run; "
                    "its copy is not kept, so `reelgen replay` of this video needs it saved to a file",
                    highlight=False,
                )
            yield copied
        finally:
            for field in piped:
                _COPIES.pop(str(copied[field]), None)


def typed_pipes(problem: ReelgenError) -> ReelgenError:
    """``problem`` naming each pipe as typed ("/dev/fd/63 (a pipe)") where it named the pipe's copy: its path
    (``/tmp/reelgen-pipe-x/speech_audio/63 (a pipe)``, a file the person never saw and gone once the run
    ends) or its bare name. Problems that name no copy come back as they were."""
    if not _COPIES:
        return problem
    names = {Path(copy).name: typed for copy, typed in _COPIES.items()}
    # The whole path first; a bare name only where no path leads to it.
    pattern = "|".join(
        [re.escape(copy) for copy in _COPIES] + [rf"(?<![\w/.-]){re.escape(name)}" for name in names]
    )
    message = re.sub(pattern, lambda m: f"{_COPIES.get(m[0]) or names[m[0]]} (a pipe)", problem.message)
    if message == problem.message:
        return problem
    renamed = copy.copy(problem)
    renamed.args, renamed.message = (message,), message
    return renamed


#: What each kind of input must hold, checked on the copy so the refusal names the pipe typed.
_HOLDS = {
    "start_image": "an image (PNG, JPEG, WEBP ...)",
    "source_video": "a video with a picture (MP4, MOV, MKV, WebM ...)",
    "speech_audio": "audio (WAV, MP3, FLAC, OGG, M4A ...)",
}


def check_copy(field: str, copy: Path, typed: str) -> None:
    """The copy of a pipe holds what its option takes; else refused naming the pipe (the run's own
    refusal named the copy's path, a temporary file the person never saw)."""
    import av

    from reelgen.core.media import load_image

    flag, holds = _FIELDS[field], _HOLDS[field]
    reason = "gave nothing" if copy.stat().st_size == 0 else None
    if reason is None and field == "start_image":
        try:
            load_image(str(copy), param=flag)
        except ReelgenError:
            reason = "gave no readable image"
    elif reason is None:
        try:
            with av.open(str(copy)) as container:
                streams = container.streams.audio if field == "speech_audio" else container.streams.video
                reason = None if streams else f"gave no {'audio' if field == 'speech_audio' else 'picture'}"
        except (av.error.FFmpegError, UnicodeDecodeError):
            reason = f"gave no readable {'audio' if field == 'speech_audio' else 'video'}"
    if reason is not None:
        raise InvalidRequest(f"{flag}: {typed} (a pipe) {reason}; give {holds}", param=field)
