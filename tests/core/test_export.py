"""Export on its own: transitions, sound, codecs and containers, size and rate, grading, overlays, atomicity."""

from __future__ import annotations

import os
import stat
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageFont

from reelgen.core.encode import read_metadata, write_video
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.export import (
    CONTAINER_CODECS,
    ENCODERS,
    ExportSettings,
    Segment,
    Soundtrack,
    TextOverlay,
    TitleCard,
    Transition,
    Watermark,
    export,
    has_encoder,
    text,
)
from reelgen.core.export.timeline import layout
from reelgen.core.media import probe, read_video
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.types import Audio, Video

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 30), (30, 30, 220)
FPS = 8


def clip(path: Path, colour: tuple[int, int, int], seconds: float = 1.0, tone: float | None = None) -> Path:
    """A flat-coloured clip (48x32 at 8 fps), with a sine tone of ``tone`` Hz if asked."""
    frames = np.zeros((round(seconds * FPS), 32, 48, 3), np.uint8)
    frames[:] = colour
    audio = None
    if tone is not None:
        t = np.arange(round(seconds * 16000)) / 16000
        audio = Audio((0.5 * np.sin(2 * np.pi * tone * t))[None].astype(np.float32), 16000)
    return write_video(Video(frames, Fraction(FPS), audio), path)


def music(path: Path, seconds: float, tone: float = 330.0) -> Path:
    """A WAV file holding a steady stereo tone."""
    rate = 44100
    t = np.arange(round(seconds * rate)) / rate
    wave = (0.3 * np.sin(2 * np.pi * tone * t) * 32767).astype(np.int16)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="stereo")
        frame = av.AudioFrame.from_ndarray(
            np.stack([wave, wave], 1).reshape(1, -1), format="s16", layout="stereo"
        )
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


def level(samples: np.ndarray, rate: int, tone: float, start: float, end: float) -> float:
    """Amplitude of ``tone`` Hz between ``start`` and ``end`` seconds (first channel)."""
    piece = samples[0, round(start * rate) : round(end * rate)]
    spectrum = np.abs(np.fft.rfft(piece * np.hanning(len(piece))))
    freqs = np.fft.rfftfreq(len(piece), 1 / rate)
    band = (freqs > tone * 0.9) & (freqs < tone * 1.1)
    return float(spectrum[band].max() / len(piece))


def stream_seconds(path: Path) -> dict[str, float]:
    with av.open(str(path)) as container:
        return {s.type: float(s.duration * s.time_base) for s in container.streams}


def mean_colour(frame: np.ndarray) -> np.ndarray:
    return frame.reshape(-1, 3).mean(0)


@pytest.fixture
def clips(tmp_path: Path) -> list[Path]:
    return [clip(tmp_path / f"{i}.mp4", c) for i, c in enumerate((RED, GREEN, BLUE))]


def _segments(
    paths: list[Path], kind: str = "cut", duration: float = 0.5, seconds: float = 1.0
) -> list[Segment]:
    """Scenes of ``seconds`` each, joined by ``kind`` transitions of ``duration``."""
    move = Transition(type=kind, duration=duration)
    segs = [
        Segment(f"scene {i}", seconds, clip=p, transition=move, param=f"scenes[{i}]")
        for i, p in enumerate(paths)
    ]
    segs[-1] = Segment("last", seconds, clip=paths[-1], param=f"scenes[{len(paths) - 1}]")
    return segs


# ---- timeline ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["cut", "fade", "dissolve", "wipe_left", "wipe_right", "wipe_up", "wipe_down"]
)
def test_every_transition_lasts_the_scenes_minus_their_overlaps(
    kind: str, clips: list[Path], tmp_path: Path
) -> None:
    result = export(_segments(clips, kind), ExportSettings(), tmp_path / "out.mp4")
    overlap = 0 if kind == "cut" else 4  # 0.5 s at 8 fps, twice
    assert result.frames == 24 - 2 * overlap
    assert probe(result.path)["frames"] == 24 - 2 * overlap


def test_transitions_look_like_their_names(clips: list[Path], tmp_path: Path) -> None:
    """Halfway through: a fade is dark, a dissolve mixes both shots, a wipe splits the frame by side."""

    def middle(kind: str) -> np.ndarray:
        frames = read_video(
            export(_segments(clips[:2], kind, 1.0), ExportSettings(), tmp_path / f"{kind}.mp4").path
        ).frames
        return frames[4].astype(int)  # 1 s shots overlapping by 1 s: frame 4 is half-way

    assert mean_colour(middle("fade")).max() < 120
    blend = mean_colour(middle("dissolve"))
    assert 70 < blend[0] < 170 and 70 < blend[1] < 170
    wipe = middle("wipe_left")  # the new shot comes in from the right
    assert mean_colour(wipe[:, :12])[0] > 150 and mean_colour(wipe[:, -12:])[1] > 150
    down = middle("wipe_down")  # the new shot comes in from the top
    assert mean_colour(down[:8])[1] > 150 and mean_colour(down[-8:])[0] > 150


def test_the_last_scene_fades_to_black_without_shortening_the_film(clips: list[Path], tmp_path: Path) -> None:
    segs = _segments(clips[:1])
    segs[0] = Segment("only", 1.0, clip=clips[0], transition=Transition(type="fade", duration=0.5))
    frames = read_video(export(segs, ExportSettings(), tmp_path / "out.mp4").path).frames
    assert len(frames) == 8
    assert mean_colour(frames[0])[0] > 180 and mean_colour(frames[-1]).max() < 40


def test_a_transition_longer_than_its_scene_is_refused_by_name(clips: list[Path], tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="longer than") as err:
        export(_segments(clips, "dissolve", 1.5), ExportSettings(), tmp_path / "out.mp4")
    assert err.value.param == "scenes[0].transition.duration"
    assert not (tmp_path / "out.mp4").exists()


def test_a_closing_fade_longer_than_the_last_scene_is_refused_by_name(
    clips: list[Path], tmp_path: Path
) -> None:
    segs = [
        Segment(
            "only", 1.0, clip=clips[0], transition=Transition(type="fade", duration=2.0), param="scenes[0]"
        )
    ]
    # It read "is longer than it (1.00s)": "it" is the scene itself, now said so.
    with pytest.raises(
        InvalidRequest,
        match=r"^only: transition\.duration 2s \(its fade to black\) is longer than the scene itself, which "
        r"lasts 1\.00s; shorten the fade or lengthen the scene$",
    ) as err:
        export(segs, ExportSettings(), tmp_path / "out.mp4")
    assert err.value.param == "scenes[0].transition.duration" and not (tmp_path / "out.mp4").exists()
    # Faded in by a transition and out to black: the two together may not be longer than the scene either.
    segs = _segments(clips[:2], "dissolve", 0.75)
    segs[1] = Segment(
        "last", 1.0, clip=clips[1], transition=Transition(type="fade", duration=0.5), param="scenes[1]"
    )
    with pytest.raises(
        InvalidRequest, match=r"overlap inside the scene, which lasts 1\.00s; shorten them"
    ) as err:
        export(segs, ExportSettings(), tmp_path / "out.mp4")
    assert err.value.param == "scenes[1].transition.duration"


def test_title_card_shows_its_text(clips: list[Path], tmp_path: Path) -> None:
    card = Segment("card", 1.0, card=TitleCard(text="THE END", background="#000000", colour="#ffffff"))
    result = export([card], ExportSettings(width=320, height=180, fps=8), tmp_path / "card.mp4")
    frame = read_video(result.path).frames[3]
    assert (frame > 200).all(-1)[60:120, 40:280].sum() > 200  # white text in the middle of black
    assert (frame[:40] < 30).all()


# ---- size, rate, grading, overlays ---------------------------------------------------------------


def test_size_and_rate_are_converted_with_black_bars(clips: list[Path], tmp_path: Path) -> None:
    result = export(_segments(clips), ExportSettings(width=64, height=64, fps=24), tmp_path / "big.mp4")
    info = probe(result.path)
    assert (info["width"], info["height"], info["fps"], info["frames"]) == (64, 64, 24.0, 72)
    frame = read_video(result.path).frames[5]
    assert frame[:8].max() < 30 and mean_colour(frame[28:36])[0] > 180  # 48x32 fitted inside 64x64


@pytest.mark.parametrize(("given", "size"), [({"width": 96}, (96, 64)), ({"height": 64}, (96, 64))])
def test_one_side_given_alone_keeps_the_first_clips_shape(
    given: dict[str, int], size: tuple[int, int], clips: list[Path], tmp_path: Path
) -> None:
    result = export(_segments(clips[:1]), ExportSettings(**given), tmp_path / "wide.mp4")
    assert (result.width, result.height) == size  # 48x32 doubled, not 96x32 (or 48x64) with black bars
    assert read_video(result.path).frames[0].min() > 15  # the picture fills the frame


def test_a_cube_lut_grades_the_picture(clips: list[Path], tmp_path: Path) -> None:
    lut = tmp_path / "swap.cube"
    rows = [
        f"{b:.1f} {g:.1f} {r:.1f}" for b in (0, 1) for g in (0, 1) for r in (0, 1)
    ]  # red and blue swapped
    lut.write_text("TITLE swap\nLUT_3D_SIZE 2\n" + "\n".join(rows) + "\n")
    frame = read_video(
        export(_segments(clips[:1]), ExportSettings(lut=str(lut)), tmp_path / "g.mp4").path
    ).frames[2]
    red, _, blue = mean_colour(frame)
    assert blue > 180 and red < 60


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (["0 0 0", "1 1 1"], "says LUT_3D_SIZE 2, which takes 8 rows of three numbers (2x2x2); it has 2"),
        (["0 0 0"] * 7 + ["1 1 x"], "line 10: '1 1 x' is not three numbers (red green blue)"),
    ],
)
def test_a_malformed_cube_lut_is_refused_naming_what_is_wrong(
    rows: list[str], said: str, clips: list[Path], tmp_path: Path
) -> None:
    """FFmpeg's lut3d refused it only as the graph was built: a traceback of "Invalid data found"."""
    lut = tmp_path / "grade.cube"
    lut.write_text("TITLE grade\nLUT_3D_SIZE 2\n" + "\n".join(rows) + "\n")
    with pytest.raises(InvalidRequest) as refused:
        export(_segments(clips[:1]), ExportSettings(lut=str(lut)), tmp_path / "g.mp4")
    assert refused.value.param == "export.lut" and refused.value.message == f"export.lut: {lut} {said}"
    assert not (tmp_path / "g.mp4").exists()


def test_a_cube_lut_with_a_line_ffmpeg_does_not_know_is_refused_naming_the_file(
    clips: list[Path], tmp_path: Path
) -> None:
    # Right size and rows, yet a keyword of another program: FFmpeg's error came out as a traceback.
    lut = tmp_path / "grade.cube"
    lut.write_text("LUT_3D_SIZE 2\nLUT_3D_INPUT_GAMMA 2.2\n" + "0 0 0\n" * 8)
    with pytest.raises(InvalidRequest) as refused:
        export(_segments(clips[:1]), ExportSettings(lut=str(lut)), tmp_path / "g.mp4")
    assert refused.value.param == "export.lut"
    assert refused.value.message.startswith(f"export.lut: {lut} could not be read by FFmpeg's lut3d (")
    assert not (tmp_path / "g.mp4").exists()


def test_watermark_and_timed_text_appear_where_and_when_asked(clips: list[Path], tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (10, 10), (255, 255, 0, 255)).save(logo)
    settings = ExportSettings(
        width=96,
        height=64,
        watermark=Watermark(image=str(logo), position="top_left", opacity=1.0, width=0.25, margin=0.0),
        texts=[TextOverlay(text="HELLO", start=1.0, end=2.0, position="bottom", size=0.2, box=1.0)],
    )
    frames = read_video(export(_segments(clips), settings, tmp_path / "o.mp4").path).frames.astype(int)
    corner = mean_colour(frames[4][:20, :20])
    assert corner[0] > 200 and corner[1] > 200 and corner[2] < 80  # yellow logo over red
    bottom = [frames[i][-20:].reshape(-1, 3).std(0).max() for i in (4, 12, 20)]
    assert bottom[1] > bottom[0] + 20 and bottom[1] > bottom[2] + 20  # text only in the 1-2 s window


# ---- sound ---------------------------------------------------------------------------------------


def test_music_loops_to_the_end_and_fades_in_and_out(clips: list[Path], tmp_path: Path) -> None:
    song = Soundtrack(file=str(music(tmp_path / "m.wav", 1.0)), volume=1.0, fade_in=0.5, fade_out=0.5)
    result = export(_segments(clips), ExportSettings(), tmp_path / "film.mp4", soundtrack=song)
    seconds = stream_seconds(result.path)
    assert seconds["video"] == 3.0 and seconds["audio"] == pytest.approx(3.0, abs=0.05)
    sound = read_video(result.path).audio
    assert sound is not None
    rate, samples = sound.sample_rate, sound.samples
    steady = level(samples, rate, 330, 1.2, 1.8)  # the second time round: the 1 s song looped
    assert steady > 0.05
    assert level(samples, rate, 330, 0.0, 0.1) < steady * 0.5  # faded in
    assert np.abs(samples[:, -rate // 50 :]).max() < 0.05  # faded out


def test_music_ducks_under_a_scene_with_its_own_sound(tmp_path: Path) -> None:
    paths = [clip(tmp_path / "quiet.mp4", RED, 2.0), clip(tmp_path / "loud.mp4", GREEN, 2.0, tone=1000.0)]
    song = Soundtrack(file=str(music(tmp_path / "m.wav", 4.0)), volume=1.0)
    result = export(_segments(paths, seconds=2.0), ExportSettings(), tmp_path / "film.mp4", soundtrack=song)
    seconds = stream_seconds(result.path)
    assert seconds["video"] == 4.0 and seconds["audio"] == pytest.approx(4.0, abs=0.05)
    sound = read_video(result.path).audio
    assert sound is not None
    rate, samples = sound.sample_rate, sound.samples
    assert level(samples, rate, 1000, 2.6, 3.4) > 0.05  # the scene's own sound is heard
    assert level(samples, rate, 330, 2.6, 3.4) < level(samples, rate, 330, 0.6, 1.4) * 0.6


def test_a_film_without_any_sound_has_no_audio_stream(clips: list[Path], tmp_path: Path) -> None:
    result = export(_segments(clips), ExportSettings(), tmp_path / "mute.mp4")
    assert not result.audio and not probe(result.path)["has_audio"]


def test_the_film_and_its_record_are_readable_as_the_umask_allows(clips: list[Path], tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        result = export(_segments(clips), ExportSettings(), tmp_path / "film.mp4")
    finally:
        os.umask(old)
    assert (stat.S_IMODE(result.path.stat().st_mode), stat.S_IMODE(result.sidecar.stat().st_mode)) == (
        0o644,
        0o644,
    )


# ---- codecs and containers -----------------------------------------------------------------------

PAIRS = [(container.value, codec.value) for container, codecs in CONTAINER_CODECS.items() for codec in codecs]


@pytest.mark.parametrize(("container", "codec"), PAIRS, ids=[f"{c}-{k}" for c, k in PAIRS])
def test_every_codec_and_container_pair_exports_and_reads_back(
    container: str, codec: str, tmp_path: Path
) -> None:
    names = [e.name for e in ENCODERS[ExportSettings(codec=codec).codec]]
    paths = [clip(tmp_path / "a.mp4", RED), clip(tmp_path / "b.mp4", BLUE, tone=440.0)]
    settings = ExportSettings(container=container, codec=codec, width=64, height=48)
    film = tmp_path / f"film.{container}"
    if not any(has_encoder(n) for n in names):
        # A PyAV built on an FFmpeg without this encoder: the person is told so, and nothing is written.
        with pytest.raises(InvalidRequest, match=f"this FFmpeg build has no {codec} encoder") as refused:
            export(_segments(paths, "dissolve", 0.25), settings, film)
        assert ", ".join(names) in refused.value.message and not film.exists()
        return
    result = export(_segments(paths, "dissolve", 0.25), settings, film)
    info = probe(result.path)
    expected = {"h264": "h264", "h265": "hevc", "vp9": "vp9", "av1": "av1", "prores": "prores"}[codec]
    assert info["codec"].replace("libdav1d", "av1").replace("libaom-av1", "av1") == expected
    assert (info["frames"], info["width"], info["height"]) == (14, 64, 48)
    assert info["has_audio"]
    frames = read_video(result.path).frames
    assert mean_colour(frames[0])[0] > 150 and mean_colour(frames[-1])[2] > 150


def test_with_no_codec_chosen_a_container_gets_its_usual_one(tmp_path: Path) -> None:
    """As FFmpeg does from a file's extension: VP9 and Opus in a .webm, H.264 and AAC in a .mp4 or .mkv."""
    # Scenes in MKV (as ComfyUI's VideoHelperSuite writes them) are read as any other.
    paths = [clip(tmp_path / "a.mkv", RED), clip(tmp_path / "b.mp4", BLUE, tone=440.0)]
    for container, video, audio in [
        ("webm", "vp9", "opus"),
        ("mp4", "h264", "aac"),
        ("mov", "h264", "aac"),
        ("mkv", "h264", "aac"),
    ]:
        settings = ExportSettings(container=container)
        result = export(_segments(paths), settings, tmp_path / f"film.{container}")
        info = probe(result.path)
        assert (info["codec"], info["audio_codec"]) == (video, audio), container
        assert result.record["export"]["codec"] == video  # the record says what was used, not "null"
        assert read_metadata(result.path)["export"]["codec"] == video  # the film carries its record


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"container": "webm", "codec": "h264"}, "export.codec"),
        ({"container": "mp4", "codec": "prores"}, "export.codec"),
        ({"codec": "prores", "container": "mov", "crf": 20}, "export.crf"),
        ({"width": 63}, "export.width"),
        ({"lut": "missing.cube"}, "export.lut"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    fields: dict[str, object], param: str, clips: list[Path], tmp_path: Path
) -> None:
    suffix = str(fields.get("container", "mp4"))
    with pytest.raises(InvalidRequest) as err:
        export(_segments(clips), ExportSettings.model_validate(fields), tmp_path / f"x.{suffix}")
    assert err.value.param == param


def test_a_text_that_starts_after_the_film_ends_is_refused(clips: list[Path], tmp_path: Path) -> None:
    late = ExportSettings(texts=[TextOverlay(text="THE END", start=3.0, end=5.0)])  # the film is 3 s long
    with pytest.raises(InvalidRequest, match="3.0s is not inside the film, which is 3.00s long") as err:
        export(_segments(clips), late, tmp_path / "x.mp4")
    assert err.value.param == "export.texts[0].start" and not (tmp_path / "x.mp4").exists()


def test_a_missing_soundtrack_is_refused(clips: list[Path], tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="does not exist") as err:
        export(_segments(clips), ExportSettings(), tmp_path / "x.mp4", soundtrack=Soundtrack(file="nope.mp3"))
    assert err.value.param == "soundtrack.file"


def test_a_folder_given_as_soundtrack_or_lut_is_called_a_folder(clips: list[Path], tmp_path: Path) -> None:
    (tmp_path / "music.mp3").mkdir()
    with pytest.raises(InvalidRequest, match="music.mp3 is a folder, not a file"):
        export(
            _segments(clips),
            ExportSettings(),
            tmp_path / "x.mp4",
            soundtrack=Soundtrack(file=str(tmp_path / "music.mp3")),
        )
    (tmp_path / "grade.cube").mkdir()
    with pytest.raises(InvalidRequest, match="grade.cube is a folder, not a file"):
        export(_segments(clips), ExportSettings(lut=str(tmp_path / "grade.cube")), tmp_path / "x.mp4")


# ---- all or nothing ------------------------------------------------------------------------------


def cancel_half_way(segments: list[Segment], settings: ExportSettings, out: Path) -> None:
    """Export ``segments`` to ``out``, cancelled at the tenth frame; checks that it raised ``Cancelled``."""
    progress = Progress()

    def stop_half_way(event: ProgressEvent) -> None:
        if event.stage == "export" and event.step == 10:
            progress.cancel.cancel("by the test")

    progress.on_event = stop_half_way
    with pytest.raises(Cancelled):
        export(segments, settings, out, progress=progress)


def test_a_failed_export_leaves_the_previous_one_intact(clips: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "film.mp4"
    export(_segments(clips), ExportSettings(), out)
    before = out.read_bytes()
    cancel_half_way(_segments(clips, "dissolve"), ExportSettings(codec="h265"), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_reports_progress_to_the_last_frame(clips: list[Path], tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    export(_segments(clips), ExportSettings(), tmp_path / "f.mp4", progress=Progress(on_event=events.append))
    steps = [e for e in events if e.stage == "export"]
    assert steps[0].step == 0 and steps[-1].step == steps[-1].total == 24


def test_a_clip_cut_short_is_refused_naming_its_scene(clips: list[Path], tmp_path: Path) -> None:
    # Its header (written first) survives a copy stopped half-way: the film lost the scene, said nothing.
    whole = clip(tmp_path / "long.mp4", GREEN, seconds=2.0).read_bytes()
    clips[1].write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InvalidRequest, match=r"clip .*1.mp4 is cut short \(\d+ of its 16 frames") as err:
        export(_segments(clips), ExportSettings(), tmp_path / "x.mp4")
    assert err.value.param == "scenes[1].clip" and not (tmp_path / "x.mp4").exists()


@pytest.mark.parametrize("name", ["1.mp4", "1.mov"])
def test_an_export_never_replaces_a_clip_it_reads(name: str, clips: list[Path], tmp_path: Path) -> None:
    # Over a scene's clip, the film took its place and the project still called the scene rendered.
    (tmp_path / "1.json").write_text('{"reelgen": "0", "output": {"frames": 8, "fps": "8"}}')
    before = {p: p.read_bytes() for p in (clips[1], tmp_path / "1.json")}
    with pytest.raises(InvalidRequest, match="of scene 1(.s clip)?, which this export reads") as err:
        export(_segments(clips), ExportSettings(container=name[-3:]), tmp_path / name)
    assert err.value.param == "export.output" and {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize(
    ("fps", "said"), [(0.5, "its clip lasts 1s"), (1, "its dissolve transition lasts 0.25s")]
)
def test_a_shot_under_a_frame_is_refused(fps: float, said: str, clips: list[Path], tmp_path: Path) -> None:
    # Made one frame (or none), the film lasted 6 s for 3 s of scenes, or its dissolves became cuts.
    said = f"scene 0: {said}, shorter than one frame at the film's {fps:g} fps"
    with pytest.raises(InvalidRequest, match=said) as err:
        export(_segments(clips, "dissolve", 0.25), ExportSettings(fps=fps), tmp_path / "x.mp4")
    assert err.value.param == "export.fps" and not (tmp_path / "x.mp4").exists()


# ---- letters beyond ASCII --------------------------------------------------------------------------


def test_accented_letters_on_a_card_are_drawn_not_left_as_empty_boxes() -> None:
    """Pillow's built-in font is ASCII only: É and Ê were the same empty box, so the two cards matched."""
    acute, circumflex = (np.asarray(text.title_card(TitleCard(text=t), 96, 54, "t")) for t in ("É", "Ê"))
    assert (acute != circumflex).any()


def test_a_fallback_font_is_there_whatever_fonts_the_system_has() -> None:
    # matplotlib, a dependency, ships DejaVu Sans: a machine without system fonts still draws "Été".
    shipped = text.FALLBACK_FONTS[-1]
    assert Path(shipped).is_file() and "matplotlib" in shipped
    assert not text.missing_glyphs(ImageFont.truetype(shipped, 24), "Été — ß")


def test_a_letter_no_font_here_has_is_refused_naming_it_and_the_font_field(
    monkeypatch: pytest.MonkeyPatch, clips: list[Path], tmp_path: Path
) -> None:
    monkeypatch.setattr(text, "FALLBACK_FONTS", ())
    text._fallback.cache_clear()  # it remembers which font had which letters
    overlay = TextOverlay(text="Été", end=1.0)
    try:
        with pytest.raises(InvalidRequest) as refused:
            export(_segments(clips[:1]), ExportSettings(texts=[overlay]), tmp_path / "film.mp4")
    finally:
        text._fallback.cache_clear()
    assert refused.value.param == "export.texts[0].text"
    assert refused.value.message.startswith(
        "export.texts[0].text: neither the built-in font nor a fallback font on this machine has a glyph "
        "for É é; give export.texts[0].font: a .ttf/.otf file"
    )
    assert not (tmp_path / "film.mp4").exists()


def test_a_word_wider_than_the_card_is_broken_not_cut_off_at_both_edges() -> None:
    card = np.asarray(text.title_card(TitleCard(text="Supercalifragilisticexpialidocious"), 128, 72, "t"))
    assert card[:, :3].max() == 0 and card[:, -3:].max() == 0  # nothing drawn to the edges
    assert card.max() > 200  # yet the word is there


def test_a_soundtrack_that_is_no_sound_is_said_without_ffmpegs_errno(tmp_path: Path) -> None:
    """It said '(... [Errno 1094995529] Invalid data found when processing input: '/path')'."""
    from reelgen.core.export.write import check_soundtrack
    from reelgen.core.project.model import Soundtrack

    noise = tmp_path / "song.wav"
    noise.write_bytes(np.random.default_rng(0).bytes(3000))
    with pytest.raises(InvalidRequest) as refused:
        check_soundtrack(Soundtrack(file=str(noise)))
    assert refused.value.message == (
        f"soundtrack.file: {noise} is not a readable audio file (Invalid data found when processing input); "
        "give a WAV, FLAC, MP3, AAC/M4A, OGG or a video with sound"
    )


@pytest.mark.parametrize(
    ("seconds", "which"),
    [
        ((0.01, 2.0), "the scene itself"),
        ((2.0, 0.01), "the next scene, scene 'b' (scenes[1])"),
    ],
)
def test_a_transition_longer_than_a_scene_names_that_scene_and_why_it_lasts_a_frame(
    seconds: tuple[float, float], which: str
) -> None:
    # "transition.duration 0.5s is longer than it (0.04s)": which scene "it" was, and why 0.04 for 0.01, unsaid.
    segments = [
        Segment(
            "scene 'a' (scenes[0])",
            seconds[0],
            transition=Transition(type="dissolve", duration=0.5),
            param="scenes[0]",
        ),
        Segment("scene 'b' (scenes[1])", seconds[1], param="scenes[1]"),
    ]
    with pytest.raises(InvalidRequest) as err:
        layout(segments, Fraction(24))
    assert err.value.message == (
        f"scene 'a' (scenes[0]): transition.duration 0.5s is longer than {which}, which lasts 0.0417s "
        "(1 frame at the film's 24 fps, the nearest to its 0.01s); shorten the transition or lengthen the scene"
    )
    assert err.value.param == "scenes[0].transition.duration"
