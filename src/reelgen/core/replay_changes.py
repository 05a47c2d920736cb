"""Record formats: a newer one is refused, and requests an earlier reelgen ran otherwise replay as they were made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reelgen import __version__
from reelgen.core.errors import InvalidRequest
from reelgen.core.record import RECORD_FORMAT
from reelgen.core.spec.request import ResolvedRequest, Task

#: Since then Wan VACE pins every image a request gives (commit 5cf5a31); before, a start image beside
#: keyframes (task keyframes) or keyframes beside a start image (task i2v) were left out unsaid.
VACE_READS_EVERY_IMAGE = dt.datetime(2026, 12, 5, 5, 28, 50, tzinfo=dt.UTC)

#: Said after a request this reelgen refuses by an image it pins, found in a record: an earlier reelgen
#: took such requests, so the record may be an old one rather than a broken one.
OLDER_PINS = (
    "reelgen before 2026-12-05 took such a request without a word but did not use all it names; to make "
    "that video again, take out of the record's request what it did not use"
)

#: The fields a refusal of pinned images names (pins.check_tasks, pins.check_frames, LTX-2's latent frames).
PINNED = ("start_image", "end_image", "keyframes", "source_video")


def about_pins(param: str | None) -> bool:
    """Whether a refusal named by ``param`` is about images pinned at frames, which earlier reelgens took."""
    return (param or "").startswith(PINNED)


def as_made(record: dict[str, Any], request: ResolvedRequest) -> tuple[ResolvedRequest, str | None]:
    """``request`` as the reelgen that wrote ``record`` ran it, and a line saying what it leaves out, if anything.

    Replayed as asked now, an old Wan VACE record with a start image beside keyframes made other frames
    than the video's, without a word: the image it now pins was never used.
    """
    if format_of(record) != 1 or not _is_vace(request.model):
        return request, None
    update: dict[str, Any]
    if request.task is Task.KEYFRAMES and request.start_image:
        left, update = "start_image", {"start_image": None}
    elif request.task is Task.I2V and request.keyframes:
        left, update = "keyframes", {"keyframes": ()}
    else:
        return request, None
    said = (
        f"made before Wan VACE read {left} in task {request.task.value} (2026-12-05); it was left out "
        "then and is left out again, so the frames are the video's"
    )
    return request.model_copy(update=update), said


def format_of(record: dict[str, Any]) -> int | None:
    """The record format ``record`` was written in: its ``record_format``, or for a record from before the number
    was written, 1 if it was made before Wan VACE read every image and 2 after; None if it does not say when."""
    number = record.get("record_format")
    if isinstance(number, int) and not isinstance(number, bool):
        return number
    made = _created(record)
    return None if made is None else 1 if made < VACE_READS_EVERY_IMAGE else 2


def check_format(record: dict[str, Any], path: str | Path) -> None:
    """Refuse a record whose layout this reelgen does not know: one a newer reelgen wrote, or a damaged number.

    Read as one of its own, a newer record would be replayed by rules it was not made by, without a word.
    """
    if "record_format" not in record:
        return
    number = record["record_format"]
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise InvalidRequest(
            f"{path} has record_format {number!r}, which is not a record format (a whole number from 1 to "
            f"{RECORD_FORMAT}); was it edited or damaged? reelgen replay needs the record as reelgen wrote it",
            param="path",
        )
    if number > RECORD_FORMAT:
        made = record.get("reelgen")
        version = f" ({made})" if isinstance(made, str) and made != __version__ else ""
        raise InvalidRequest(
            f"{path} was made by a newer reelgen{version}, record format {number}; this reelgen "
            f"({__version__}) reads record formats up to {RECORD_FORMAT}: upgrade reelgen to replay it",
            param="path",
        )


def _created(record: dict[str, Any]) -> dt.datetime | None:
    """When the record says its video was made (timezone-aware), or None if it does not say."""
    value = record.get("created_at")
    try:
        made = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return made if made is None or made.tzinfo else made.replace(tzinfo=dt.UTC)


def _is_vace(model: str) -> bool:
    from reelgen.core.spec import registry

    return registry.resolve(model)[1].variant == "vace"
