"""The export's FFmpeg filter graphs, built node by node through PyAV: one for the picture, one for the sound.

Sources are ``movie``/``amovie`` filters reading the clips themselves, so the
graphs pull frames as the encoder asks for them and nothing is held whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.codecs import SAMPLE_RATE
from reelgen.core.export.settings import Fit, Soundtrack
from reelgen.core.export.timeline import XFADE, Layout, Segment


@dataclass(frozen=True)
class _Pad:
    """One numbered output of a filter with several (a split), linkable like a filter."""

    node: Any
    index: int

    def link_to(self, other: Any, output_idx: int = 0, input_idx: int = 0) -> None:
        self.node.link_to(other, self.index, input_idx)


class Builder:
    """A PyAV filter graph with small helpers to add, chain and join filters by name."""

    def __init__(self) -> None:
        import av

        self.graph: Any = av.filter.Graph()
        self.out: Any = None

    def add(self, name: str, **options: object) -> Any:
        return self.graph.add(name, **{k: _text(v) for k, v in options.items()})

    def chain(self, head: Any, *filters: tuple[str, dict[str, object]]) -> Any:
        for name, options in filters:
            node = self.add(name, **options)
            head.link_to(node)
            head = node
        return head

    def join(self, name: str, heads: list[Any], **options: object) -> Any:
        node = self.add(name, **options)
        for i, head in enumerate(heads):
            head.link_to(node, 0, i)
        return node

    def split(self, head: Any, audio: bool = False) -> tuple[Any, Any]:
        """Two outputs of one stream (a filter output feeds only one input)."""
        node = self.add("asplit" if audio else "split", outputs=2)
        head.link_to(node)
        return _Pad(node, 0), _Pad(node, 1)

    def sink(self, head: Any, audio: bool = False) -> Builder:
        """End the graph in a sink and configure it; the builder (which keeps the graph alive) pulls."""
        self.out = self.add("abuffersink" if audio else "buffersink")
        head.link_to(self.out)
        self.graph.configure()
        return self

    def pull(self) -> Any:
        return self.out.pull()


def frames_of(sink: Any) -> Iterator[Any]:
    """Frames from a graph's sink (a ``Builder``) until it ends."""
    import av

    while True:
        try:
            yield sink.pull()
        except av.error.EOFError:
            return


def _text(value: object) -> str:
    if isinstance(value, float | Fraction):
        return f"{float(value):.6f}"
    return str(value)


@dataclass(frozen=True)
class Layer:
    """A PNG laid over the film with its top-left corner at ``x``, ``y``."""

    path: Path
    x: int
    y: int


@dataclass(frozen=True)
class Pictures:
    """PNG files drawn for the export: one per title card (by segment), text layers, the watermark."""

    cards: dict[int, Path]
    texts: list[tuple[Layer, float, float]]  # (layer, start s, end s)
    watermark: Layer | None


# ---- picture -------------------------------------------------------------------------------------


#: The YUV every picture is made into, as the encoders' streams are tagged (``encode.tag_bt601``). Left
#: to FFmpeg, a title card's RGB became full-range YUV, and when the film began with one every clip
#: after it was made full range too: played as tagged, each scene came out darker and more saturated.
_BT601 = {"color_ranges": "tv", "color_spaces": "bt470bg"}


def _fitted(
    b: Builder, source: Path, size: tuple[int, int], fit: Fit, fps: Fraction, frames: int, still: bool
) -> Any:
    """A segment scaled to the output size and rate, exactly ``frames`` long.

    A clip is converted by its timestamps (the last frame held if rate
    conversion leaves it a frame short); a ``still`` (a title card's one
    picture, which carries no duration) is repeated ``frames`` times.
    """
    width, height = size
    head = b.add("movie", filename=str(source))
    # The rate as an exact ratio: written as a decimal, 30000/1001 was 29.970030 (a drifting rate), and
    # "1/30000/1001" made a card's frames a microsecond apart, which the fps filter dropped.
    rate, period = f"{fps.numerator}/{fps.denominator}", f"{fps.denominator}/{fps.numerator}"
    timing: list[tuple[str, dict[str, object]]] = []
    if still:
        timing = [
            ("loop", {"loop": frames - 1, "size": 1, "start": 0}),
            ("settb", {"expr": period}),
            ("setpts", {"expr": "N"}),
        ]
    timing += [
        ("fps", {"fps": rate}),
        ("tpad", {"stop": -1, "stop_mode": "clone"}),
        ("trim", {"end_frame": frames}),
        ("setpts", {"expr": "PTS-STARTPTS"}),
    ]
    shape: list[tuple[str, dict[str, object]]]
    if fit is Fit.COVER:
        shape = [
            ("scale", {"w": width, "h": height, "force_original_aspect_ratio": "increase"}),
            ("crop", {"w": width, "h": height}),
        ]
    else:
        shape = [
            ("scale", {"w": width, "h": height, "force_original_aspect_ratio": "decrease"}),
            ("pad", {"w": width, "h": height, "x": "(ow-iw)/2", "y": "(oh-ih)/2"}),
        ]
    return b.chain(head, *timing, *shape, ("setsar", {"r": 1}), ("format", {"pix_fmts": "yuv444p", **_BT601}))


def _cut(b: Builder, run: list[Any], fps: Fraction, audio: bool = False) -> Any:
    """``run`` joined by cuts in one ``concat``. A concat of two per cut nested the film in as many
    concats as it had cuts, each frame went down all of them: 500 cuts took 30 s of CPU, 600 minutes."""
    if len(run) == 1:
        return run[0]
    joined = b.join("concat", run, n=len(run), v=0 if audio else 1, a=1 if audio else 0)
    if audio:
        return joined
    # concat gives out microseconds; xfade takes two inputs of one time base, and a cut followed
    # by a transition failed "Invalid argument" (any film of a cut then a dissolve).
    return b.chain(joined, ("settb", {"expr": f"{fps.denominator}/{fps.numerator}"}))


def video_graph(
    segments: list[Segment],
    lay: Layout,
    size: tuple[int, int],
    fit: Fit,
    pictures: Pictures,
    lut: Path | None,
    pix_fmt: str,
) -> Builder:
    """The picture: segments graded, joined by their transitions, faded, overlaid; returns the sink."""
    b = Builder()
    width, height = size
    heads = []
    for i, seg in enumerate(segments):
        source = pictures.cards[i] if seg.card is not None else seg.clip
        assert source is not None  # a segment is a clip or a card; the project layer guarantees it
        head = _fitted(b, source, size, fit, lay.fps, lay.frames[i], still=seg.card is not None)
        # Graded before the transitions: a LUT that lifts black made "fade" end on grey, not black.
        heads.append(_graded(b, head, lut) if lut is not None else head)
    run, length = [heads[0]], lay.frames[0]  # the film so far: pieces joined by cuts, not yet concatenated
    for i, head in enumerate(heads[1:], start=1):
        overlap = lay.overlaps[i - 1]
        if overlap == 0:
            run.append(head)
        else:
            kind = XFADE[segments[i - 1].transition.type]
            offset = Fraction(length - overlap) / lay.fps
            joined = b.join(
                "xfade",
                [_cut(b, run, lay.fps), head],
                transition=kind,
                duration=overlap / lay.fps,
                offset=offset,
            )
            run = [joined]
        length += lay.frames[i] - overlap
    joined = _cut(b, run, lay.fps)
    if lay.fade_out:
        # The ramp ends one frame early so the film's last frame is black.
        ramp = {"type": "out", "start_frame": length - lay.fade_out, "nb_frames": max(1, lay.fade_out - 1)}
        joined = b.chain(joined, ("fade", ramp))
    layers = [(layer, f"between(t,{s:.4f},{e:.4f})") for layer, s, e in pictures.texts]
    if pictures.watermark is not None:
        layers.append((pictures.watermark, "1"))
    for layer, when in layers:
        head = b.chain(b.add("movie", filename=str(layer.path)), ("format", {"pix_fmts": "rgba"}))
        joined = b.join("overlay", [joined, head], x=layer.x, y=layer.y, eof_action="repeat", enable=when)
    final: dict[str, object] = {"pix_fmts": pix_fmt, **(_BT601 if pix_fmt.startswith("yuv") else {})}
    return b.sink(b.chain(joined, ("format", final)))


# ---- sound ---------------------------------------------------------------------------------------

_STEREO = ("aformat", {"sample_fmts": "fltp", "channel_layouts": "stereo", "sample_rates": SAMPLE_RATE})


def _graded(b: Builder, head: Any, lut: Path) -> Any:
    """``head`` through the ``.cube`` LUT; one FFmpeg cannot read is an ``InvalidRequest`` naming it.

    ``export.lut.check_lut`` has checked the size and the rows; a line FFmpeg does not know
    (a keyword of another program, a DOMAIN_MIN without three numbers) fails only here.
    """
    import av

    try:
        return b.chain(head, ("lut3d", {"file": str(lut), "interp": "tetrahedral"}))
    except av.error.FFmpegError as exc:
        raise InvalidRequest(
            f"export.lut: {lut} could not be read by FFmpeg's lut3d ({exc.strerror or exc}); it takes TITLE, "
            "LUT_3D_SIZE, DOMAIN_MIN and DOMAIN_MAX (three numbers each), comments (#) and rows of three numbers",
            param="export.lut",
        ) from None


def _scene_sound(b: Builder, seg: Segment, has_audio: bool, seconds: Fraction) -> Any:
    """A segment's own sound (or silence), exactly ``seconds`` long."""
    if has_audio and seg.clip is not None:
        head = b.chain(
            b.add("amovie", filename=str(seg.clip)), ("aresample", {"out_sample_rate": SAMPLE_RATE})
        )
    else:
        head = b.add("anullsrc", channel_layout="stereo", sample_rate=SAMPLE_RATE)
    return b.chain(
        head, _STEREO, ("apad", {}), ("atrim", {"end": seconds}), ("asetpts", {"expr": "PTS-STARTPTS"})
    )


def _music(b: Builder, music: Soundtrack, seconds: Fraction) -> Any:
    head = b.add("amovie", filename=music.file, loop=0 if music.loop else 1)
    filters: list[tuple[str, dict[str, object]]] = [
        ("aresample", {"out_sample_rate": SAMPLE_RATE}),
        _STEREO,
        # Timestamps by sample count: a looping source starts its clock again at every pass.
        ("asetpts", {"expr": "N/SR/TB"}),
        ("apad", {}),
        ("atrim", {"end": seconds}),
        ("volume", {"volume": music.volume}),
    ]
    if music.fade_in:
        filters.append(
            ("afade", {"type": "in", "start_time": 0, "duration": min(music.fade_in, float(seconds))})
        )
    if music.fade_out:
        fade = min(music.fade_out, float(seconds))
        filters.append(("afade", {"type": "out", "start_time": float(seconds) - fade, "duration": fade}))
    return b.chain(head, *filters)


def audio_graph(
    segments: list[Segment], lay: Layout, has_audio: list[bool], music: Soundtrack | None, sample_fmt: str
) -> Builder | None:
    """The sound: scenes' own audio joined like the picture, under the (ducked) music; None if silent."""
    if music is None and not any(has_audio):
        return None
    b = Builder()
    total = Fraction(lay.total) / lay.fps
    scenes = None
    if any(has_audio):
        run = [_scene_sound(b, segments[0], has_audio[0], Fraction(lay.frames[0]) / lay.fps)]
        for i, seg in enumerate(segments[1:], start=1):
            head = _scene_sound(b, seg, has_audio[i], Fraction(lay.frames[i]) / lay.fps)
            overlap = lay.overlaps[i - 1]
            if overlap == 0:
                run.append(head)
            else:
                faded = b.join(
                    "acrossfade",
                    [_cut(b, run, lay.fps, audio=True), head],
                    duration=overlap / lay.fps,
                    curve1="tri",
                    curve2="tri",
                )
                run = [faded]
        scenes = _cut(b, run, lay.fps, audio=True)
    if music is None:
        mixed = scenes
    elif scenes is None:
        mixed = _music(b, music, total)
    else:
        bed, heard = _music(b, music, total), scenes
        if music.duck:
            # The music is compressed whenever the scenes' own sound (the side chain) is loud.
            heard, key = b.split(scenes, audio=True)
            bed = b.join(
                "sidechaincompress",
                [bed, key],
                threshold=0.02,
                ratio=music.duck_ratio,
                attack=20,
                release=400,
            )
        mixed = b.join("amix", [bed, heard], inputs=2, duration="first", normalize=0)
    fitted = b.chain(
        mixed,
        ("apad", {}),
        ("atrim", {"end": total}),
        ("aformat", {"sample_fmts": sample_fmt, "channel_layouts": "stereo", "sample_rates": SAMPLE_RATE}),
    )
    return b.sink(fitted, audio=True)
