"""How a video file's frames are timed: read from its packets, with variable rates resampled to a steady one."""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from PIL import Image

from reelgen.core.cut_short import refuse_cut_short
from reelgen.core.errors import InvalidRequest
from reelgen.core.picture_stream import cover_words, covers, picture_stream
from reelgen.core.types import to_fraction


@dataclass(frozen=True)
class Timing:
    """How a video stream's frames are delivered: ``frames`` of them at exactly ``fps``, one per tick.

    A constant-rate stream (every frame on its own tick of its average rate) is delivered as it is.
    A variable-rate one (a phone's, a screen recording's) is resampled to its nominal rate: each frame
    starts on the tick nearest its timestamp and is held until the next frame's (two on one tick: the
    later is kept), so the picture stays in step with the sound. Played one frame per tick of the
    average rate instead, a clip with a pause showed everything after the pause early. ``frames`` is
    counted from the container's packets; the decode itself is the final word.
    """

    fps: Fraction
    frames: int
    source_frames: int
    variable: bool
    #: Frames of a variable-rate stream left out: two on one tick, the earlier is not shown.
    dropped: int = 0

    def record(self) -> dict[str, Any]:
        """What a video's record says about a variable-rate source (see ``Timing``)."""
        left_out = {"left_out": self.dropped} if self.dropped else {}
        return {
            "source_frames": self.source_frames,
            "resampled_to": str(self.fps),
            "frames": self.frames,
        } | left_out


def nearest_tick(offset: int, base: Fraction, rate: Fraction) -> int:
    """The tick of ``rate`` nearest ``offset`` units of ``base`` seconds, in integers (halves round up)."""
    num, den = offset * base.numerator * rate.numerator, base.denominator * rate.denominator
    return (2 * num + den) // (2 * den)


#: The largest denominator of a rate a clip is delivered at. A phone's 90 kHz clock over a long clip gives
#: FFmpeg's average rate a numerator near 2**31: x2 or x4 of it no longer fit FFmpeg's 32-bit rationals, and
#: the encoder failed ("internal error (OverflowError ...)"). Within 1/100000 the rate moves by at most
#: 0.00001 fps: under 2 ms in an hour at 30 fps.
RATE_DENOMINATOR = 100_000


def _bounded(rate: Fraction) -> Fraction:
    return rate.limit_denominator(RATE_DENOMINATOR)


#: Rates clips are made at (film, PAL, NTSC, the models' 8-16 fps) and the x2-x8 of them interpolation
#: makes: what a rate read off millisecond timestamps is taken back to, when it gives every stamp.
COMMON_RATES = sorted(
    {base * n for base in (*map(Fraction, (8, 10, 12, 15, 16, 24, 25, 30, 50, 60)),
                           *(Fraction(k * 1000, 1001) for k in (24, 30, 60))) for n in (1, 2, 3, 4, 8)}
)  # fmt: skip


def _snapped(rate: Fraction, times: list[int], base: Fraction) -> Fraction:
    """``rate`` as the common rate nearest it that puts every frame within one tick of its stamp.

    Matroska and WebM keep times in milliseconds, so a short clip made at 48000/1001 fps read back at
    7001/146 (MKV) or at the rate of its rounded span (WebM), and ``enhance`` doubled that instead.
    """
    if base.denominator > 1000:  # a clock fine enough to give the rate itself
        return rate
    for common in sorted(COMMON_RATES, key=lambda c: abs(c - rate)):
        if abs(common - rate) > rate / 100:
            break
        if all(abs((t - times[0]) * base - i / common) <= base for i, t in enumerate(times)):
            return common
    return rate


def still_image_kind(container: Any) -> str | None:
    """``"PNG"``, ``"JPEG"`` ... when PyAV opened ``container`` as a still image, else None: FFmpeg reads
    a photo through an image demuxer (``png_pipe``, ``jpeg_pipe`` ...) as a clip of one frame, and a
    phone's JPEG (EXIF first) through ``image2``, chosen by the file's name."""
    name: str = container.format.name
    if name == "image2":  # a damaged file named .png goes this way too: it is no still image
        with contextlib.suppress(OSError, ValueError), Image.open(container.name) as image:
            return str(image.format)
        return None
    return name.removesuffix("_pipe").upper() if name.endswith("_pipe") else None


def video_timing(
    path: str | Path, param: str = "source_video", shown: str | None = None, *, whole: bool = False
) -> Timing:
    """The timing of the first video stream of ``path``, read from its packets (nothing is decoded).

    Errors name the file as ``shown`` (default: its path; a server says "the file", not its own path).
    A still image is refused; so, with ``whole``, is a file cut short (``reelgen enhance`` makes what
    such a file holds and says so; a model's source clip must be the clip the person meant).
    """
    shown = shown or str(path)
    import av

    try:
        with av.open(str(path)) as container:
            kind = still_image_kind(container)
            if kind is not None:  # it went on as a one-frame video
                raise InvalidRequest(f"{param}: {shown} is a still image ({kind}), not a video", param=param)
            stream = picture_stream(container)
            if stream is None:  # its cover art is no video: it was a clip of one frame, the sound under it
                art = f", only {cover_words(container)}" if covers(container) else ""
                raise InvalidRequest(f"{param}: {shown} has no video stream{art}", param=param)
            average = _bounded(Fraction(stream.average_rate or stream.guessed_rate or 24))
            nominal = _bounded(Fraction(stream.guessed_rate or average))
            base = stream.time_base
            stamps: list[int | None] = []
            count = 0  # packets, those an edit list leaves out included (as the header lists them)
            for packet in container.demux(stream):
                if packet.size:  # not the empty one that ends the stream
                    count += 1
                    if not packet.is_discard:
                        stamps.append(packet.pts)
            measured = stream.average_rate is None
            if whole:
                refuse_cut_short(path, shown, param, int(stream.frames or 0), count)
    except av.error.FFmpegError as exc:
        raise unreadable_video(param, shown, path, exc) from None
    if base is None or len(stamps) < 2 or None in stamps:
        # No timestamps to go by. A bare stream (a camera's .h264) has an average rate the demuxer made
        # up (25 fps); the rate its header says is the guessed one: a 30 fps clip played 1.2x slow.
        rate = nominal if None in stamps else average
        return Timing(rate, len(stamps), len(stamps), False)
    times: list[int] = sorted(stamps)  # type: ignore[arg-type]  # None was ruled out above
    if measured and times[-1] > times[0]:
        # No average in the container (WebM): FFmpeg's guess is then its millisecond clock, 1000 fps.
        average = to_fraction(float((len(times) - 1) / ((times[-1] - times[0]) * base)))
    average = _snapped(average, times, Fraction(base))
    if [nearest_tick(t - times[0], base, average) for t in times] == list(range(len(times))):
        return Timing(average, len(times), len(times), False)
    # A nominal rate below the average would drop frames, and one far above it (a guess from
    # millisecond stamps) would repeat each many times over: the average rate then. Far above it is
    # judged by the rate the frames come at, where long pauses take the average far below that.
    rate = nominal if average <= nominal <= 4 * _steady(times, Fraction(base), average) else average
    ticks = {nearest_tick(t - times[0], base, rate) for t in times}
    return Timing(rate, max(ticks) + 1, len(times), True, len(times) - len(ticks))


def _steady(times: list[int], base: Fraction, average: Fraction) -> Fraction:
    """The rate most of a clip's frames come at (its median gap's), where pauses take its average below
    a quarter of that; else the average.

    A screen recorder writes a frame only when the screen changes, and a phone pauses: 0.2 s at 30 fps
    around 5 s of nothing averaged 1.17 fps, its 30 fps were taken for a bad guess, and the clip was
    delivered at 1.17 fps with 4 of its 6 frames left out, the picture up to 0.85 s off the sound.
    """
    gaps = sorted(b - a for a, b in itertools.pairwise(times) if b > a)
    if not gaps:
        return average
    steady = 1 / (gaps[len(gaps) // 2] * base)
    return steady if steady > 4 * average else average


def unreadable_video(param: str, shown: str, path: str | Path, exc: Exception) -> InvalidRequest:
    """FFmpeg's reason in words (it said ``[Errno 1094995529] ... '<path>'``), and what is taken."""
    empty = Path(path).is_file() and Path(path).stat().st_size == 0
    reason = "the file is empty" if empty else getattr(exc, "strerror", None) or str(exc)
    taken = "give a video file: MP4, MOV, MKV, WebM or an animated GIF"
    return InvalidRequest(f"{param}: {shown} is not a readable video ({reason}); {taken}", param=param)
