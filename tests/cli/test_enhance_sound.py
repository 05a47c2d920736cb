"""`reelgen enhance` on clips as cameras and phones make them: several sound tracks, PCM sound, a clock
that does not start at 0, a portrait clip stored sideways. The output plays as the source did."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.auto import upscale_step
from reelgen.core.enhance.files import enhance_file

runner = CliRunner()
RATE = 48000


def _tone(hz: float, seconds: float, channels: int) -> np.ndarray:
    """(channels, samples) float32: a tone at ``hz``, each further channel at half the level of the one before."""
    t = np.arange(round(RATE * seconds)) / RATE
    tone = 0.4 * np.sin(2 * np.pi * hz * t)
    return np.stack([tone / 2**c for c in range(channels)]).astype(np.float32)


def _clip(
    path: Path,
    tracks: list[tuple[str, str, str]],
    *,
    frames: int = 6,
    clock: float = 0.0,
    rotation: int = 0,
) -> Path:
    """A 24 fps clip with an audio stream per (codec, language, layout) of ``tracks``, a tone each
    (440 Hz, 660 Hz ...), every timestamp ``clock`` seconds on, its frames to be shown turned by ``rotation``."""
    seconds = frames / 24
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 32, 24, "yuv420p"
        video.time_base = Fraction(1, 24)
        if rotation:
            video.set_display_rotation(rotation)
        sounds = []
        for codec, language, layout in tracks:
            stream = container.add_stream(codec, rate=RATE, layout=layout)
            stream.metadata["language"] = language
            sounds.append(stream)
        for k in range(frames):
            image = np.full((24, 32, 3), 15 * k, np.uint8)
            image[:, : 16 if rotation else 32, 0] = 255  # the left half red: which way up it is shown
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = k + round(clock * 24)
            container.mux(video.encode(frame))
        container.mux(video.encode())
        for n, stream in enumerate(sounds):
            samples = _tone(440 + 220 * n, seconds, stream.layout.nb_channels)
            # PyAV converts the float samples to the codec's own format (s16 for PCM, u8 ...).
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout=stream.layout.name)
            frame.sample_rate, frame.pts = RATE, round(clock * RATE)
            frame.time_base = Fraction(1, RATE)
            container.mux(stream.encode(frame))
            container.mux(stream.encode())
    return path


def _enhance(source: Path, out: Path) -> dict[str, object]:
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "-q"]
    )
    assert result.exit_code == 0, result.output
    record: dict[str, object] = json.loads(out.with_suffix(".json").read_text())
    return record


def _heard(path: Path) -> list[tuple[str | None, int, float, float, list[float]]]:
    """Per audio stream: its language, channels, where it starts and how long it lasts in seconds (as
    decoded), and each channel's loudness (RMS, full scale 1)."""
    heard = []
    with av.open(str(path)) as container:
        count = len(container.streams.audio)
    for n in range(count):
        with av.open(str(path)) as container:
            stream = container.streams.audio[n]
            resampler = av.AudioResampler(format="fltp")
            chunks, start = [], None
            for frame in container.decode(stream):
                if start is None and frame.pts is not None:
                    start = float(frame.pts * frame.time_base)
                chunks += [f.to_ndarray() for f in resampler.resample(frame)]
            samples = np.concatenate(chunks, axis=1)
            loudness = [round(float(np.sqrt(np.mean(c.astype(np.float64) ** 2))), 2) for c in samples]
            seconds = samples.shape[1] / stream.codec_context.sample_rate
            heard.append((stream.metadata.get("language"), samples.shape[0], start or 0.0, seconds, loudness))
    return heard


def _picture_start(path: Path) -> float:
    with av.open(str(path)) as container:
        frame = next(container.decode(container.streams.video[0]))
        return float(frame.pts * frame.time_base)


def test_every_sound_track_is_kept_with_its_language(tmp_path: Path) -> None:
    # Only the first track was written: a film's second language or commentary was lost unsaid.
    source = _clip(tmp_path / "in.mp4", [("aac", "eng", "stereo"), ("aac", "fra", "stereo")])
    for out in (tmp_path / "out.mp4", tmp_path / "out.webm"):
        record = _enhance(source, out)
        assert record["audio"] == ("copied" if out.suffix == ".mp4" else "re-encoded")
        assert [(lang, ch) for lang, ch, *_ in _heard(out)] == [("eng", 2), ("fra", 2)]
    with av.open(str(source)) as a, av.open(str(tmp_path / "out.mp4")) as b:
        for n in range(2):
            assert [bytes(p) for p in a.demux(a.streams.audio[n]) if p.size] == [
                bytes(p) for p in b.demux(b.streams.audio[n]) if p.size
            ]
            a.seek(0), b.seek(0)


def test_pcm_sound_re_encoded_for_webm_keeps_its_length_channels_and_level(tmp_path: Path) -> None:
    # A camera's PCM (and FLAC) decodes to interleaved integers: read as one channel of floats it came
    # out twice as long, mono and clipped to a full-scale buzz.
    source = _clip(tmp_path / "camera.mov", [("pcm_s16le", "und", "stereo")], frames=12)
    out = tmp_path / "out.webm"
    assert _enhance(source, out)["audio"] == "re-encoded"
    (_, channels, _, seconds, loudness), *_ = _heard(out)
    (_, _, _, source_seconds, source_loudness), *_ = _heard(source)
    assert channels == 2 and abs(seconds - source_seconds) < 0.03
    assert np.allclose(loudness, source_loudness, atol=0.02), (loudness, source_loudness)


def test_a_clip_whose_clock_starts_late_keeps_its_sound_with_the_picture(tmp_path: Path) -> None:
    # A camcorder's .MTS, or a piece cut from a recording, starts at some time: the picture was
    # written from 0 but the sound kept its time, and came ten seconds late in a 10.25-second file.
    source = _clip(tmp_path / "camera.mkv", [("aac", "und", "stereo")], clock=10.0)
    assert _picture_start(source) == 10.0 and _heard(source)[0][2] >= 10.0
    for out in (tmp_path / "out.mp4", tmp_path / "out.webm"):
        _enhance(source, out)
        (_, _, start, seconds, _), *_ = _heard(out)
        assert abs(start - _picture_start(out)) < 0.03, (out.suffix, start, _picture_start(out))
        with av.open(str(out)) as container:
            assert container.duration is not None and container.duration / 1e6 < 0.5


def test_a_portrait_phone_clip_stored_sideways_stays_upright(tmp_path: Path) -> None:
    # The display matrix was dropped: a clip a phone shot upright played lying on its side.
    source = _clip(tmp_path / "phone.mp4", [("aac", "und", "mono")], rotation=90)
    for out in (tmp_path / "out.mp4", tmp_path / "out.webm"):
        record = _enhance(source, out)
        with av.open(str(out)) as container:
            frame = next(container.decode(container.streams.video[0]))
        assert (frame.width, frame.height, frame.rotation) == (64, 48, 90)
        assert record["output"] == {"frames": 6, "width": 64, "height": 48, "fps": "24", "rotation": 90}
    # The job's thumbnail (the web page's still of it) is shown as the clip plays: the red half at the bottom.
    thumbnail = enhance_file(source, tmp_path / "job.mp4", [upscale_step(2, "lanczos")]).thumbnail
    assert thumbnail.shape == (64, 48, 3)
    assert thumbnail[40:, :, 0].min() > 200 and thumbnail[:24, :, 0].max() < 120


@pytest.mark.parametrize(
    ("name", "codec", "layout", "output", "channels"),
    [
        # An AVI's PCM names no channel order ("2 channels"): AAC would not open for it.
        ("old.avi", "pcm_u8", "stereo", "out.mp4", 2),
        # Opus takes 5.1 in Vorbis's order only: a film's AC-3 5.1(side) is remixed to it.
        ("film.mkv", "ac3", "5.1(side)", "out.webm", 6),
    ],
)
def test_sound_the_container_cannot_hold_is_encoded_again_with_every_channel(
    tmp_path: Path, name: str, codec: str, layout: str, output: str, channels: int
) -> None:
    source = _clip(tmp_path / name, [(codec, "und", layout)], frames=12)
    out = tmp_path / output
    assert _enhance(source, out)["audio"] == "re-encoded"
    (_, got, _, seconds, loudness), *_ = _heard(out)
    (_, _, _, source_seconds, source_loudness), *_ = _heard(source)
    # The AVI's picture starts a frame in (x264's reordering delay): the sound before it is not kept.
    assert got == channels and abs(seconds - (source_seconds - _picture_start(source))) < 0.03
    assert np.allclose(loudness, source_loudness, atol=0.02), (loudness, source_loudness)


def test_sound_that_cannot_be_written_at_all_is_said_in_one_line_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core.enhance import mux

    source = _clip(tmp_path / "in.mp4", [("aac", "und", "stereo")])
    monkeypatch.setattr(mux, "_layout", lambda layout, codec: "2.1")  # a layout Opus does not open
    out = tmp_path / "out.webm"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "the sound of in.mp4 (aac) could not be copied into out.webm nor encoded again as libopus" in said
    assert "Traceback" not in said and sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4"]


def _early(path: Path, codec: str, early: float = 0.5, frames: int = 12) -> Path:
    """A 24 fps clip whose sound starts ``early`` seconds before its picture (a recorder that starts the
    microphone first): a quiet tone with a loud click 0.25 s after the first frame."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libvpx-vp9" if path.suffix == ".webm" else "libx264", rate=24)
        video.width, video.height, video.pix_fmt = 32, 24, "yuv420p"
        video.time_base = Fraction(1, 24)
        sound = container.add_stream(codec, rate=RATE, layout="mono")
        for k in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((24, 32, 3), 20 * k, np.uint8), format="rgb24")
            frame.pts = k + round(early * 24)
            container.mux(video.encode(frame))
        container.mux(video.encode())
        samples = _tone(440, early + frames / 24, 1) / 8
        click = round((early + 0.25) * RATE)
        samples[:, click : click + 480] = 0.9
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, 0, Fraction(1, RATE)
        container.mux(sound.encode(frame))
        container.mux(sound.encode())
    return path


def _click(path: Path) -> tuple[float, float]:
    """Where the sound starts and where its click is heard, in seconds, as decoded."""
    with av.open(str(path)) as container:
        frames = list(container.decode(audio=0))
    start = float(frames[0].pts * frames[0].time_base)
    samples = np.concatenate([f.to_ndarray().reshape(-1) for f in frames])
    if samples.dtype != np.float32:
        samples = samples / 32768
    return start, start + int(np.argmax(np.abs(samples) > 0.5)) / frames[0].sample_rate


@pytest.mark.parametrize("source", ["recorder.mkv", "recorder.webm"])
def test_sound_that_starts_before_the_picture_plays_in_step_with_it_in_every_container(
    tmp_path: Path, source: str
) -> None:
    # A WebM kept the half second of sound before the first frame and started its picture half a
    # second in (Matroska has no edit list), while an MP4 started with the picture and hid it.
    clip = _early(tmp_path / source, "aac" if source.endswith(".mkv") else "libopus")
    assert _picture_start(clip) == 0.5 and abs(_click(clip)[1] - 0.75) < 0.005
    for suffix in (".mp4", ".mov", ".mkv", ".webm"):
        out = tmp_path / f"out{suffix}"
        _enhance(clip, out)
        start, click = _click(out)
        assert _picture_start(out) == 0.0, suffix
        assert abs(click - 0.25) < 0.005, (suffix, click)  # heard with the frame it went with
        assert 0 <= start < 0.025, (suffix, start)  # the sound begins with the picture
        with av.open(str(out)) as container:
            assert container.duration is not None and container.duration / 1e6 < 0.55, suffix
