"""The export's timeline: segments (rendered clips and title cards) laid out in frames at the output rate."""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.settings import TextOverlay, TitleCard, Transition, TransitionKind
from reelgen.core.picture_stream import cover_words, picture_stream


@dataclass(frozen=True)
class Segment:
    """One piece of the timeline: a rendered clip or a title card, and how it hands over to the next.

    ``seconds`` is its length before overlaps; ``label`` names it in errors and
    ``param`` is where it sits in the project file (``scenes[2]``); ``scene_id`` is the
    project scene whose clip it is, for the command that renders it again.
    """

    label: str
    seconds: float
    clip: Path | None = None
    card: TitleCard | None = None
    transition: Transition = field(default_factory=Transition)
    param: str = ""
    scene_id: str | None = None
    render_with: str | None = None


def render_again(scene_id: str | None, render_with: str | None = None) -> str:
    """How a scene whose clip cannot be used is mended: ``render_with`` (the command that renders this
    project, where the caller knows it) again, forced, for that scene; else the command with FOLDER.

    "`reelgen project render --force --scene a`" rendered the folder the person stood in.
    """
    command = render_with or "reelgen project render FOLDER"
    return (
        f"render the scene again (`{command} --force --scene {shlex.quote(scene_id) if scene_id else 'ID'}`)"
    )


@dataclass(frozen=True)
class ClipInfo:
    """What the export needs to know of a rendered clip before decoding it."""

    width: int
    height: int
    fps: Fraction
    has_audio: bool


def clip_info(segment: Segment) -> ClipInfo:
    """Size, rate and audio presence of a segment's clip, read from its header (no decoding)."""
    import av

    path, param = segment.clip, f"{segment.param}.clip"
    # A clip cut short (a full disk, a copy stopped half-way) is the scene's, not the export's, to mend.
    # Its own id where known: "--scene ID" left the person to find which scene "scenes[2]" is.
    again = f"; {render_again(segment.scene_id, segment.render_with)}"
    try:
        with av.open(str(path)) as container:
            # The film, not cover art listed before it: read as the clip, a poster's size and one frame.
            stream = picture_stream(container)
            if stream is None:
                only = f", only {cover_words(container)}" if container.streams.video else ""
                raise InvalidRequest(
                    f"{segment.label}: clip {path} has no video stream{only}{again}", param=param
                )
            rate = stream.average_rate or stream.guessed_rate or 24
            ctx = stream.codec_context
            info = ClipInfo(ctx.width, ctx.height, Fraction(rate), bool(container.streams.audio))
            # A clip cut short keeps its header (reelgen's put it first), so only its pictures tell:
            # the graph would have dropped a scene, or frozen its last picture, and said nothing.
            held = sum(1 for packet in container.demux(stream) if packet.size)
            if held == 0 or held < stream.frames:
                said = f"{held} of its {stream.frames} frames" if stream.frames else "no frames"
                raise InvalidRequest(
                    f"{segment.label}: clip {path} is cut short ({said} are in the file){again}",
                    param=param,
                )
            return info
    except av.error.FFmpegError as exc:
        raise InvalidRequest(
            f"{segment.label}: clip {path} is not a readable video ({exc}){again}", param=param
        ) from None


#: xfade's names for the transitions (``dissolve`` is a cross-dissolve, xfade's ``fade``).
XFADE = {
    TransitionKind.FADE: "fadeblack",
    TransitionKind.DISSOLVE: "fade",
    TransitionKind.WIPE_LEFT: "wipeleft",
    TransitionKind.WIPE_RIGHT: "wiperight",
    TransitionKind.WIPE_UP: "wipeup",
    TransitionKind.WIPE_DOWN: "wipedown",
}


@dataclass(frozen=True)
class Layout:
    """Frame counts at the export rate: each segment's length, each overlap, and the closing fade."""

    fps: Fraction
    frames: tuple[int, ...]
    overlaps: tuple[int, ...]
    fade_out: int

    @property
    def total(self) -> int:
        return sum(self.frames) - sum(self.overlaps)

    @property
    def seconds(self) -> float:
        return float(self.total / self.fps)

    def start(self, index: int) -> int:
        """The output frame segment ``index`` begins at."""
        return sum(self.frames[:index]) - sum(self.overlaps[:index])


def _secs(seconds: float) -> str:
    """Seconds in two decimals, or three digits under a tenth: a scene of 0.004 s read "0.00s"."""
    return f"{seconds:.2f}s" if seconds >= 0.1 else f"{seconds:.3g}s"


def _lasting(segment: Segment, frames: int, fps: Fraction) -> str:
    """How long ``segment`` lasts at the export rate; where whole frames make that other than the length
    asked (0.01 s is one frame, 0.04 s, at 24 fps), why."""
    said = _secs(float(frames / fps))
    if abs(float(frames / fps) - segment.seconds) >= 0.005:
        frame_s = "frame" if frames == 1 else "frames"
        said += (
            f" ({frames} {frame_s} at the film's {float(fps):g} fps, the nearest to its {segment.seconds:g}s)"
        )
    return said


def _exact(seconds: float) -> Fraction:
    """Seconds as written (0.7 is 7/10), not as the nearest float (0.6999...): a length that falls on a
    half frame rounds the same way wherever it sits on the film."""
    return Fraction(str(seconds))


def layout(segments: list[Segment], fps: Fraction) -> Layout:
    """Lay ``segments`` out at ``fps``; a transition longer than a scene it joins is refused by name."""
    if not segments:
        raise InvalidRequest("the project has no scenes to export", param="scenes")
    # Each scene's start and end in seconds on the film, made frames there: each length rounded alone added
    # up its rounding (four 1 s scenes joined by 0.25 s dissolves were 96 frames at 30 fps, not 97.5).
    starts, ends, at = [], [], Fraction(0)
    for seg in segments:
        starts.append(round(at * fps))
        ends.append(round((at + _exact(seg.seconds)) * fps))
        at += _exact(seg.seconds) - _exact(seg.transition.overlap)
    frames = tuple(max(1, end - start) for start, end in zip(starts, ends, strict=True))
    overlaps: list[int] = []
    for i, seg in enumerate(segments[:-1]):
        d = max(0, starts[i] + frames[i] - starts[i + 1])
        shorter = min(frames[i], frames[i + 1])
        if d > shorter:
            # "is longer than it (0.01s)" left "it" to be worked out: the scene itself, or the next one.
            j = i if frames[i] <= frames[i + 1] else i + 1
            which = "the scene itself" if j == i else f"the next scene, {segments[j].label}"
            raise InvalidRequest(
                f"{seg.label}: transition.duration {seg.transition.duration:g}s is longer than {which}, "
                f"which lasts {_lasting(segments[j], frames[j], fps)}; shorten the transition or lengthen the scene",
                param=f"{seg.param}.transition.duration",
            )
        overlaps.append(d)
    last = segments[-1]
    if last.transition.type not in (TransitionKind.CUT, TransitionKind.FADE):
        raise InvalidRequest(
            f"{last.label}: transition {last.transition.type.value} needs a next scene; "
            "the last scene can only cut or fade (to black)",
            param=f"{last.param}.transition.type",
        )
    # The closing fade is held to the same rule as a transition: cut short silently, it did not last as asked.
    fade_out = (starts[-1] + frames[-1]) - round(at * fps)  # `at`: where a scene after the last would start
    if fade_out > frames[-1]:
        raise InvalidRequest(
            f"{last.label}: transition.duration {last.transition.duration:g}s (its fade to black) is longer than "
            f"the scene itself, which lasts {_lasting(last, frames[-1], fps)}; shorten the fade or lengthen the scene",
            param=f"{last.param}.transition.duration",
        )
    for i, seg in enumerate(segments):
        into = overlaps[i - 1] if i else 0
        out = overlaps[i] if i < len(overlaps) else fade_out
        if into + out > frames[i]:
            raise InvalidRequest(
                f"{seg.label}: its transitions in and out ({_secs(float((into + out) / fps))} together) overlap "
                f"inside the scene, which lasts {_lasting(seg, frames[i], fps)}; shorten them or lengthen the scene",
                param=f"{seg.param}.transition.duration",
            )
    return Layout(fps, frames, tuple(overlaps), fade_out)


def check_texts(texts: list[TextOverlay], lay: Layout) -> None:
    """Refuse a text no frame of the film shows, and nothing would say so: one that starts after the
    last frame, or is shorter than a frame and falls between two (0.01 s to 0.05 s at 12 fps)."""
    for i, overlay in enumerate(texts):
        if overlay.start >= lay.seconds:
            raise InvalidRequest(
                f"export.texts[{i}].start: {overlay.start}s is not inside the film, which is "
                f"{lay.seconds:.2f}s long; start the text before {lay.seconds:.2f}s",
                param=f"export.texts[{i}].start",
            )
        # As the filter graph reads it: shown on frames whose time is within [start, end] to 1/10000 s.
        start, end = Fraction(round(overlay.start, 4)), Fraction(round(overlay.end, 4))
        first = math.ceil(start * lay.fps)
        if first / lay.fps > end:
            raise InvalidRequest(
                f"export.texts[{i}]: shown from {overlay.start:g}s to {overlay.end:g}s, it falls between two "
                f"frames at the film's {float(lay.fps):g} fps and would never be seen; make it at least "
                f"{float(1 / lay.fps):.3g}s long, or start it at {float(first / lay.fps):.4g}s",
                param=f"export.texts[{i}].end",
            )
