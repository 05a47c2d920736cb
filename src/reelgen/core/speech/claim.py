"""Speech a request speaks into ``REELGEN_HOME/speech`` goes again when the request is refused or fails.

Text is spoken while the request is resolved, before it is checked to the end
(the speech's length, the model's weights, a full queue) and before a job or an
output refers to the WAV. A request refused after that left its WAV there for
good. ``speaking`` is put around resolving and queueing (or making) a request:
a WAV that was there before stays (an earlier video's record names it), and so
does one that any request using it went on with; one made for requests that were
all refused is removed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reelgen.core.errors import ReelgenError


@dataclass
class _Claim:
    """The requests of this process resolving with one speech file at once."""

    users: int
    existed: bool
    folder_existed: bool
    kept: bool = False


_lock = threading.Lock()
#: Speech files that requests are resolving with now. Two requests speaking the same text share one
#: file: it is removed only when the last of them leaves and none went on with it.
_claims: dict[Path, _Claim] = {}


def _path(text: str | None, voice: str | None) -> Path | None:
    from reelgen.core.speech.tts import speech_path

    if not (text or "").strip():
        return None
    try:
        return speech_path(text or "", voice)
    except ReelgenError:  # no such voice: nothing will be spoken, and resolving says why
        return None


@contextmanager
def speaking(text: str | None, voice: str | None) -> Iterator[None]:
    """Around resolving and queueing (or making) a request that speaks ``text`` with ``voice``: when the
    block raises, the WAV it spoke is removed, unless it was there before or another request kept it."""
    path = _path(text, voice)
    if path is None:
        yield
        return
    with _lock:
        claim = _claims.get(path)
        if claim is None:
            claim = _claims[path] = _Claim(0, path.is_file(), path.parent.is_dir())
        claim.users += 1
    kept = False
    try:
        yield
        kept = True
    finally:
        with _lock:
            claim.users -= 1
            claim.kept = claim.kept or kept
            if claim.users == 0:
                del _claims[path]
                if not claim.existed and not claim.kept:
                    # Where the folder could not be made (a file in its place), there is nothing to take
                    # back; the OSError said so a second time, over the error that stopped the request.
                    with contextlib.suppress(OSError):
                        path.unlink(missing_ok=True)
                    # The folder too, when this made it and nothing else is being spoken into it now.
                    if not claim.folder_existed and not _claims:
                        with contextlib.suppress(OSError):
                            path.parent.rmdir()
