"""An export named ``*.gif``: the film's pictures, as the export draws them, written by ``core.gif``.

The picture graph is the one every export builds, ending in RGB instead of a
codec's YUV, and its frames go straight to ``encode_gif`` (which spools them to a
nameless file beside the output for its two passes): no intermediate film is
encoded, so the GIF is not drawn from a lossy copy. The sound graph is not built;
a film that would have sound says before it starts that the GIF holds none.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.codecs import Encoder
from reelgen.core.export.graph import frames_of
from reelgen.core.export.settings import FILM_SUFFIXES, SettingNames
from reelgen.core.gif import GIF, encode_gif, left_out, shown, timing_note
from reelgen.core.progress import Progress, ProgressEvent

#: What a GIF export "encodes" with: the picture graph ends in RGB, which ``core.gif`` takes.
GIF_ENCODER = Encoder("gif", "rgb24", None)

#: Settings that choose how a film is compressed, which a GIF (one 256-colour palette) has no use for.
_FILM_ONLY = ("container", "codec", "crf")
#: How the command line writes a setting given over the project file (``--codec``); an HTTP request's
#: are ``export_settings.codec`` and an uploaded file's ``export.codec``.
CLI_OPTION = "--"


def check_gif_output(output: Path, names: SettingNames, container: str, on_server: bool = False) -> None:
    """Refuse a container, codec or crf given for this export alongside a ``.gif`` output: nothing would
    be done with it. The project file's own (its usual films') are left to those films. A server
    makes the ``container``'s film only, so ``on_server`` a GIF is refused before anything is sent."""
    if on_server:
        raise InvalidRequest(_no_gif_on_server(output, names, container), param=names("output"))
    given = [name for name in _FILM_ONLY if name in names.overridden]
    if not given:
        return
    said = " and ".join(names(name) for name in given)
    raise InvalidRequest(
        f"{said}: {output.name} is an animated GIF, drawn with one 256-colour palette, which has no "
        f"container, codec or crf; leave {said} out, or name the film {output.stem}.mp4, .mov, .mkv or .webm",
        param=names(given[0]),
    )


def _no_gif_on_server(output: Path, names: SettingNames, container: str) -> str:
    """Why a server export named ``.gif`` is refused, in the caller's words: settings typed as
    ``--options`` come from ``reelgen project export --server``, which can drop ``--server`` to make the
    GIF here; an HTTP request has no such switch, so it is told the names a server's film may have."""
    said = f"{names('output')}: {output.name} would be an animated GIF"
    if names.override_prefix == CLI_OPTION:
        return (
            f"{said}, but an export on a server writes a .{container} film ({names('container')}); "
            f"name it {output.stem}.{container}, or export without --server to make the GIF"
        )
    return (
        f"{said}, which the server does not make: its export writes a .{container} film "
        f"({names('container')}); name it {output.stem}.{container} (a film's name ends in its "
        f"container: {FILM_SUFFIXES})"
    )


def gif_notes(output: Path, sound: bool, fps: Fraction, progress: Progress) -> str | None:
    """Say before the export starts what the GIF cannot hold (the film's sound) or time as browsers
    will, as ``reelgen generate -o clip.gif`` says it; returns the former for the record."""
    lost = left_out(output, sound=sound)
    for note in (lost, timing_note(fps)):
        if note:
            progress.emit(ProgressEvent("export", 0, 0, 0.0, message=f"warning: {note}"))
    return lost


def gif_record(record: dict[str, Any], lost: str | None) -> dict[str, Any]:
    """``record`` saying what was written: a GIF, not the container and codec the settings name."""
    settings = {**record["export"], "container": GIF.lstrip("."), "codec": None, "crf": None}
    # Above 100 fps a GIF holds fewer frames than the timeline: one a hundredth of a second at most.
    frames = shown(record["output"]["frames"], Fraction(record["output"]["fps"]))
    output = {**record["output"], "frames": frames, "audio": False, **({"left_out": lost} if lost else {})}
    return {**record, "export": settings, "encoder": GIF_ENCODER.name, "output": output}


def write_gif(
    target: Path,
    vsink: Any,
    fps: Fraction,
    size: tuple[int, int],
    total: int,
    record: dict[str, Any],
    progress: Progress,
) -> int:
    """The picture graph's frames encoded as the GIF ``target`` carrying ``record``; returns frames written."""
    tracker = progress.stage("export", total)
    written = 0

    def frames() -> Iterator[np.ndarray]:
        nonlocal written
        for frame in frames_of(vsink):
            yield frame.to_ndarray(format="rgb24")
            written += 1
            tracker.advance(written)

    # The frames are spooled, then encoded in two passes after the last: Ctrl-C is checked there too.
    encode_gif(target, frames(), size, fps, metadata=record, check=progress.cancel.check)
    return written
