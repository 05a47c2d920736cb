"""Enhance any video file a few frames at a time: decode, run a chain, encode atomically, audio and subtitles copied."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reelgen import __version__
from reelgen.core.atomic import check_writable, missing_folders, new_file_beside, remove_empty, write_failed
from reelgen.core.cut_short import stops_short
from reelgen.core.encode import CONTAINERS, check_record_free, encode_into, write_sidecar, wrong_container
from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.chain import stream_chain
from reelgen.core.enhance.clock import check_rate
from reelgen.core.enhance.interlace import field_order, progressive
from reelgen.core.enhance.interlace import note as interlace_note
from reelgen.core.enhance.mux import Extras, cover_note, finish, read_extras
from reelgen.core.enhance.pixels import SQUARE_ONLY, square, square_note, square_size, squared
from reelgen.core.enhance.registry import chain_shape, encoded, resolve_chain
from reelgen.core.enhance.sizes import SizeChange, one_size
from reelgen.core.enhance.tonemap import Hdr, srgb_mapping, tone_map, tone_mapped
from reelgen.core.errors import InvalidRequest, OutOfMemory
from reelgen.core.gif import is_gif, left_out, shown, size_note, timing_note
from reelgen.core.media import decode_frames, rgb
from reelgen.core.picture_stream import picture_stream
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.record_owner import replaced_note
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.video_timing import Timing, video_timing

#: What an enhancement reads, as its refusals say it (``reelgen enhance --help`` says the same).
READ = (
    "give a video file FFmpeg decodes, with at least one frame: MP4, MOV, MKV, WebM, AVI, an animated GIF ..."
)


@dataclass(frozen=True)
class EnhanceResult:
    path: Path
    sidecar: Path
    metadata: dict[str, Any]
    frames: int
    thumbnail: np.ndarray  # the middle frame of the output


def enhance_file(
    source: str | Path,
    output: str | Path,
    steps: Sequence[EnhanceStep],
    *,
    progress: Progress | None = None,
    device: str = "cpu",
    name: str | None = None,
) -> EnhanceResult:
    """Run ``steps`` on the video at ``source`` and write the result (and a JSON sidecar) to ``output``.

    The clip streams through: decoded, enhanced and encoded a few frames at a
    time, so its length is bounded by disk, not memory. The frame rate stays
    exact (a variable-rate source is first resampled to its nominal rate by its
    timestamps) and the audio is the source's own packets, copied (re-encoded
    only when the output container cannot hold its codec), as are its text
    subtitles. Nothing is written unless every stage finishes. ``name``: what the warnings call the
    source (a job's, the name it was sent under: its worker's copy is ``input-0.mp4``).
    """
    progress = progress or Progress()
    source, output = Path(source), Path(output)
    begun = time.monotonic()
    # 1. The clip's timing and first frame, read after checking where it goes; the chain checked before any work.
    timing, frames, size = _open(source, output)
    resized = SizeChange(*size)
    frames = one_size(frames, resized)
    order = field_order(source)
    if order is not None:  # after one_size: the deinterlacer takes one size
        frames = progressive(frames, order)
    extras = read_extras(source)
    shape = Shape(*size, timing.frames, timing.fps)
    chain = resolve_chain(steps, shape.width, shape.height, shape.frames, shape.fps, from_flags=True)
    if not chain:
        raise InvalidRequest(
            "nothing to do: ask for --interpolate, --target-fps or --upscale", param="enhance"
        )
    if order is not None:
        progress.emit(ProgressEvent("decode", 0, 0, 0.0, message=interlace_note(name or source.name, order)))
    if timing.variable:
        progress.emit(
            ProgressEvent("decode", 0, 0, 0.0, message=_vfr_note(timing, bool(extras.audio_codecs)))
        )
    final = chain_shape(chain, shape)
    check_rate(output, final.fps)
    replaced = [note] if (note := replaced_note(output)) else []
    # A GIF and a thumbnail hold sRGB: HDR read as SDR came out flat, washed out, and BT.2020 paler.
    shown_hdr = srgb_mapping(extras.colour)
    if shown_hdr is not None:
        who = name or source.name
        said = shown_hdr.gif_note(who) if is_gif(output) else shown_hdr.depth_note(who, output.name)
        replaced += [said] if said else []
    for note in _left_out(extras, output, final) + cover_note(extras, name or source.name, output) + replaced:
        progress.emit(ProgressEvent("decode", 0, 0, 0.0, message=note))

    # 2. Decode, run the chain and encode the picture, frame by frame, into a file beside the output.
    new_folders = missing_folders(output.parent)
    output.parent.mkdir(parents=True, exist_ok=True)
    silent = new_file_beside(output)
    finished = False
    try:
        started = time.monotonic()
        made, run = stream_chain(frames, shape, chain, progress, device)
        middle = _Middle(final.frames // 2)
        picture, turned = middle.watch(made), Shape(final.width, final.height, final.frames, final.fps)
        gif, aspect = is_gif(output), extras.aspect
        flat = aspect is not None and output.suffix.lower() in SQUARE_ONLY
        if aspect is not None and flat:  # stored pixels, before a GIF's frames are turned upright
            wide = square_size(turned.width, turned.height, aspect)
            picture, turned = squared(picture, wide), Shape(*wide, turned.frames, turned.fps)
            shown_as = (wide[1], wide[0]) if extras.rotation % 180 else wide  # as a player turns it
            note = square_note(name or source.name, output, aspect, shown_as)
            progress.emit(ProgressEvent("decode", 0, 0, 0.0, message=note))
        if gif and extras.rotation:  # a GIF has no display matrix: its frames are turned instead
            picture, turned = map(extras.upright, picture), _upright(turned, extras.rotation)
        if gif and shown_hdr is not None:
            picture = tone_mapped(picture, shown_hdr)
        # A GIF is encoded after the last frame is made (two passes): a Ctrl-C then still stops it.
        try:  # into the hidden file itself: a full disk is said of the output, not of that file
            encode_into(
                silent,
                picture,
                (turned.width, turned.height),
                final.fps,
                check=progress.cancel.check,
                aspect=None if flat else aspect,
                colour=None if gif else extras.colour,
            )
        except OSError as exc:
            raise write_failed(exc, output) from None
        got = run.check(Shape(shape.width, shape.height, run.read, shape.fps), middle.count)
        record = _record(source, Shape(*size, run.read, shape.fps), got, run.records(), timing, extras)
        if order is not None:
            record["input"]["interlaced"] = order
        if flat:  # the size written, its pixels square
            record["output"].pop("sample_aspect_ratio")
            record["output"]["width"], record["output"]["height"] = wide
        if gif and extras.rotation:
            record["output"] = _upright_record(record["output"], extras.rotation)
        if gif:  # above 100 fps a GIF holds fewer frames: one a hundredth of a second at most
            record["output"]["frames"] = shown(got.frames, got.fps)
        if gif and shown_hdr is not None:
            record["output"]["tone_mapped"] = f"{shown_hdr.words()} to sRGB"
        listed = _header_frames(source)
        stopped = listed > timing.source_frames and stops_short(source, listed)
        if run.read < shape.frames or stopped:
            # A file cut short (a copy that stopped, a damaged card) still opens and lists every frame;
            # what decodes is enhanced, and the person is told it was not the whole clip. One cut
            # where a frame ends decodes every frame left: that was enhanced without a word.
            held = run.read if run.read < shape.frames or not timing.variable else timing.source_frames
            listed = max(listed, shape.frames) if not timing.variable else max(listed, held)
            note = (
                f"warning: {name or source.name} ends after {held} of the {listed} frames it lists (cut short or "
                f"damaged?); the {held} that decode were enhanced"
            )
            progress.emit(ProgressEvent("decode", 0, 0, 0.0, message=note))
            record["source_cut_short"] = {"frames_listed": listed, "frames_decoded": held}
        if resized.at:
            progress.emit(ProgressEvent("decode", 0, 0, 0.0, message=resized.warning(name or source.name)))
            record["source_size_changed"] = resized.record()
        if extras.subtitles:
            record["subtitles"] = [track.record(output.suffix) for track in extras.subtitles]
        record["timings"] = {"decode": run.seconds[0], "enhance": time.monotonic() - started}

        assert middle.frame is not None  # the chain made at least one frame (run.check)
        # Made before the output is put in place: short of memory for it, nothing is left half done.
        still = _still(middle.frame, extras, shown_hdr)

        # 3. The picture with the record embedded and the source's audio copied, then the sidecar.
        progress.cancel.check()  # a Ctrl-C after the last frame was answered "cancelling": write nothing
        started = time.monotonic()
        try:
            record["audio"] = finish(silent, extras, output, record)
        except OSError as exc:  # the muxed file beside the output (a full disk, say)
            raise write_failed(exc, output) from None
        record["timings"]["encode"] = time.monotonic() - started
        finished = True
    except Exception as exc:  # it was "internal error (MemoryError: no message) ... report it"
        where = _short_of(exc)
        if where is None:
            raise
        upscaled = (final.width, final.height) != (shape.width, shape.height)
        words = _no_room(output, final, upscaled, where)
        raise OutOfMemory(words, param="upscale" if upscaled else None) from None
    finally:
        silent.unlink(missing_ok=True)
        if not finished:
            remove_empty(new_folders)
    record["timings"]["total"] = time.monotonic() - begun
    sidecar = write_sidecar(output, record)
    return EnhanceResult(output, sidecar, record, middle.count, still)


def _still(frame: np.ndarray, extras: Extras, shown_hdr: Hdr | None) -> np.ndarray:
    """The thumbnail of ``frame`` as a player shows it: square pixels (a DV clip's was squeezed), SDR
    (a PNG: an HDR clip's read as SDR was washed out), turned upright."""
    if extras.aspect is not None:
        frame = square(frame, square_size(frame.shape[1], frame.shape[0], extras.aspect))
    if shown_hdr is not None:
        frame = tone_map(frame, shown_hdr)
    return extras.upright(frame)


def _left_out(extras: Extras, output: Path, final: Shape) -> list[str]:
    """What the output will not carry of the source, or not time as players will, one line each; and
    whether a GIF will be big and slow to make."""
    fps = final.fps
    if is_gif(output):
        made = encoded(final)  # the size written: even sides, turned upright where the source says so
        turned = (made.height, made.width) if extras.rotation % 180 else (made.width, made.height)
        big = size_note(output, shown(final.frames, fps), turned)
        subtitles = [t.codec for t in extras.subtitles]
        notes = [left_out(output, bool(extras.audio_codecs), subtitles), timing_note(fps), big]
        return [f"warning: {note}" for note in notes if note]
    pictures = [t.codec for t in extras.subtitles if t.written_as(output.suffix) is None]
    if pictures:
        note = f"subtitles drawn as pictures ({', '.join(pictures)}) are not carried: only text ones are"
        return [f"warning: {note}"]
    return []


def _short_of(exc: Exception) -> str | None:
    """``"GPU"`` or ``"machine"`` when ``exc`` is an allocation that failed there, else None."""
    if isinstance(exc, MemoryError):
        return "machine"
    if type(exc).__name__ == "OutOfMemoryError":  # torch's, on a GPU (torch is not imported here for it)
        return "GPU"
    if isinstance(exc, RuntimeError) and "DefaultCPUAllocator" in str(exc):  # torch's, in RAM
        return "machine"
    return None


def _no_room(output: Path, final: Shape, upscaled: bool, where: str) -> str:
    each = final.width * final.height * 3 / 1e6  # an RGB frame; the stages and the encoder hold several
    ways = ["give a smaller upscale factor"] if upscaled else []
    ways += ["free some of its memory"] + (["run on the CPU (slower)"] if where == "GPU" else [])
    return (
        f"out of memory making {output.name}: its {final.width}x{final.height} frames ({each:,.1f} MB each) "
        f"did not fit in the {where}'s free memory; {', '.join(ways[:-1]) + ' or ' if ways[:-1] else ''}{ways[-1]}"
    )


def _header_frames(source: Path) -> int:
    """The frames the file's header lists (0 where it lists none): the packets counted for the timing
    stop where the file does, so a copy cut short was said to list the 5 frames it still held of 12."""
    import av

    try:
        with av.open(str(source)) as container:
            stream = picture_stream(container)
            return int(stream.frames or 0) if stream is not None else 0
    except (av.error.FFmpegError, IndexError):
        return 0


def _upright(shape: Shape, rotation: int) -> Shape:
    return Shape(shape.height, shape.width, shape.frames, shape.fps) if rotation % 180 else shape


def _upright_record(output: dict[str, Any], rotation: int) -> dict[str, Any]:
    """The record's ``output`` of frames written turned upright: the size shown, no rotation left to do."""
    kept = {k: v for k, v in output.items() if k != "rotation"}
    if rotation % 180:
        kept["width"], kept["height"] = output["height"], output["width"]
    return kept


def _vfr_note(timing: Timing, sound: bool) -> str:
    # A GIF has no sound to keep step with; its frames keep the time each was shown for.
    why = "the picture stays in step with the sound" if sound else "each frame shows as long as in the source"
    note = (
        f"variable frame rate: {timing.source_frames} frames placed by their timestamps at a constant "
        f"{float(timing.fps):g} fps ({timing.frames} frames), so {why}"
    )
    if not timing.dropped:
        return note
    # An animated PNG of 100, 500 and 50 ms frames went at 4.8 fps: a frame of 100 ms was lost unsaid.
    one = timing.dropped == 1
    return (
        f"{note}, to within 1/{float(timing.fps):g} s; {timing.dropped} of them "
        f"{'falls' if one else 'fall'} on the same tick as the frame after and {'is' if one else 'are'} left out"
    )


class _Middle:
    """Counts the frames going to the encoder and keeps the one at ``index`` (the job's thumbnail)."""

    def __init__(self, index: int) -> None:
        self.index, self.count = index, 0
        self.frame: np.ndarray | None = None

    def watch(self, frames: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        for frame in frames:
            if self.count <= self.index:  # the last one if the clip ends early
                self.frame = frame
            self.count += 1
            yield frame


def check_output(source: Path | None, output: Path) -> None:
    """Refuse, before any work, an output that could not be written, would replace ``source`` (None: not
    a file here) or whose OUTPUT.json record would go over a person's own JSON; ``--server`` checks it too."""
    check_writable(output)
    if output.suffix.lower() not in CONTAINERS:
        raise wrong_container(output)
    if source is not None and output.resolve() == source.resolve():
        raise InvalidRequest(f"output {output} is the input; give another file name", param="output")
    # The record goes to OUTPUT.json: never over a person's own JSON (check_record_free says why).
    check_record_free(output)


def _open(source: Path, output: Path) -> tuple[Timing, Iterator[np.ndarray], tuple[int, int]]:
    """The source's timing, its frames and their size, once the output's container and name are known to be good."""
    check_output(source, output)
    if source.is_dir():
        raise InvalidRequest(f"input: {source} is a folder; give a video file", param="input")
    if source.exists() and not source.is_file():  # /dev/zero, a pipe: "does not exist" was untrue
        raise InvalidRequest(
            f"input: {source} is not a regular file (a device or pipe?); give a video file", param="input"
        )
    if not source.is_file():
        raise InvalidRequest(f"input: file {source} does not exist", param="input")
    try:
        timing = video_timing(source, param="input")
        frames = decode_frames(source, timing, rgb, param="input", partial=True)
        first = next(frames, None)
        if first is None:
            raise InvalidRequest(f"input: {source} has no frames", param="input")
    except InvalidRequest as exc:
        from reelgen.core.face.source import animated_image

        moving = animated_image(source)
        if moving is not None:  # it was "a still image (WEBP), not a video": untrue of a moving sticker
            raise InvalidRequest(
                f"input: {source} is {moving}, which FFmpeg cannot decode; convert it to an MP4 or an "
                "animated GIF first (both are read)",
                param="input",
            ) from None
        # What is read, said once: the media module's own list (what a model's source clip takes) is
        # cut off and this one put in its place; both were said, one after the other. No command is
        # named: a server's job says this too.
        reason = exc.message.partition("; give a video file")[0]
        raise InvalidRequest(f"{reason}; {READ}", param="input") from None
    return timing, itertools.chain([first], frames), (first.shape[1], first.shape[0])


def _record(
    source: Path, before: Shape, after: Shape, stages: list[dict[str, Any]], timing: Timing, extras: Extras
) -> dict[str, Any]:
    from reelgen.core.enhance.weights import sha256
    from reelgen.core.record import RECORD_FORMAT, library_versions

    def shape(clip: Shape, written: bool = True) -> dict[str, Any]:
        # The output's size is the one in its file, which the encoder makes even (65x47 is written as
        # 66x48); the input's is the source's own, which nothing has padded.
        size = encoded(clip) if written else clip
        turned: dict[str, Any] = {"rotation": extras.rotation} if extras.rotation else {}  # shown turned
        if extras.aspect is not None:  # a stored pixel shown this many times as wide as high
            turned["sample_aspect_ratio"] = str(extras.aspect)
        return {
            "frames": clip.frames,
            "width": size.width,
            "height": size.height,
            "fps": str(clip.fps),
        } | turned

    return {
        "reelgen": __version__,
        "record_format": RECORD_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "source": {"path": str(source.resolve()), "sha256": sha256(source)},
        "stages": [s["name"] for s in stages],
        "enhance": stages,
        "input": shape(before, written=False)
        | ({"variable_rate": timing.record()} if timing.variable else {}),
        "output": shape(after),
        "timings": {},
        "versions": library_versions(),  # replay warns when its own differ: the frames may too
    }
