"""`reelgen enhance` as a person uses it: a clip with sound in, a smoother and bigger clip out, errors in plain words."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Audio, Video
from tests.core.enhance_media import flat_png_clip, pan, real_weights

runner = CliRunner()
NTSC = Fraction(24000, 1001)


def _clip(path: Path, frames: int = 7, sound: bool = True) -> Path:
    images = np.rint(pan(frames, (6, 14), size=(64, 48))).astype(np.uint8)
    seconds = frames / NTSC
    t = np.arange(int(48000 * seconds)) / 48000
    audio = Audio((0.3 * np.sin(2 * np.pi * 440 * t))[None].astype(np.float32), 48000) if sound else None
    return write_video(Video(images, NTSC, audio), path)


def _said(result: object) -> str:
    """What the command printed, with the terminal's line wrapping undone."""
    return " ".join(result.output.split())  # type: ignore[attr-defined]


def _streams(path: Path) -> tuple[int, Fraction, list[bytes], float]:
    """Video frame count, exact average rate, the audio packets' bytes, and the audio duration in seconds."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        rate = Fraction(video.average_rate)
        frames = sum(1 for _ in container.decode(video))
    with av.open(str(path)) as container:
        sound = container.streams.audio[0]
        packets = [bytes(p) for p in container.demux(sound) if p.size]
        seconds = float(sound.duration * sound.time_base)
    return frames, rate, packets, seconds


def test_enhance_doubles_the_rate_exactly_and_copies_the_audio_unchanged(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "out.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out)
    frames, rate, packets, seconds = _streams(out)
    src_frames, _, src_packets, src_seconds = _streams(source)
    assert (frames, rate) == ((src_frames - 1) * 2 + 1, Fraction(48000, 1001))
    assert packets == src_packets and seconds == src_seconds
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["audio"] == "copied" and record["stages"] == ["flow"]
    assert record["output"]["fps"] == "48000/1001"


def test_a_clip_with_sound_goes_into_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    # As a silent clip does: the audio path used to make its temporary file there first, and crash.
    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "new" / "folder" / "out.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert _streams(out)[2] == _streams(source)[2]
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.json", "out.mp4"]


def test_enhance_interpolates_with_real_rife_and_upscales(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(real_weights("rife").parent))
    real_weights("realesrgan")
    source, out = _clip(tmp_path / "in.mp4", frames=4), tmp_path / "big.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--upscale", "2", "-q"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(out.with_suffix(".json").read_text())
    rife, esrgan = record["enhance"]
    assert (rife["name"], rife["layout"], esrgan["name"], esrgan["runtime"]) == (
        "rife",
        "v4.25/v4.26",
        "esrgan",
        "ncnn",
    )
    assert len(rife["weights"]["sha256"]) == 64 and len(esrgan["weights"]["sha256"]) == 64
    assert record["output"] == {"frames": 7, "width": 128, "height": 96, "fps": "48000/1001"}


def test_a_target_rate_and_lanczos_without_any_weights(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4", sound=False), tmp_path / "out.mov"
    args = ["enhance", str(source), "-o", str(out), "--target-fps", "60000/1001", "--upscale", "1.5", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record = json.loads(out.with_suffix(".json").read_text())
    # Nothing pulled in this test's model folder: auto picks the methods that need no weights.
    assert record["stages"] == ["flow", "lanczos"]
    assert record["output"] == {"frames": 16, "width": 96, "height": 72, "fps": "60000/1001"}


def test_an_unreadable_video_is_refused_naming_the_file(tmp_path: Path) -> None:
    bad, out = tmp_path / "notes.mp4", tmp_path / "out.mp4"
    bad.write_text("not a video")
    result = runner.invoke(app, ["enhance", str(bad), "-o", str(out), "--interpolate", "2"])
    assert result.exit_code == 2
    assert "notes.mp4 is not a readable video" in _said(result)
    assert "give a video file FFmpeg decodes" in _said(result)
    assert list(tmp_path.iterdir()) == [bad]


def test_a_folder_given_as_the_video_is_said_to_be_a_folder(tmp_path: Path) -> None:
    folder, out = tmp_path / "clips", tmp_path / "out.mp4"
    folder.mkdir()
    result = runner.invoke(app, ["enhance", str(folder), "-o", str(out), "--interpolate", "2"])
    assert result.exit_code == 2
    assert f"input: {folder} is a folder; give a video file" in _said(result)
    assert not out.exists()


def test_a_clip_with_no_frames_is_refused(tmp_path: Path) -> None:
    empty, out = tmp_path / "empty.mov", tmp_path / "out.mp4"
    with av.open(str(empty), "w") as container:  # a video track with not one frame in it
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        container.start_encoding()
    result = runner.invoke(app, ["enhance", str(empty), "-o", str(out), "--upscale", "2"])
    assert result.exit_code == 2
    # FFmpeg drops an empty track when it opens the file, so it reads as a file with no video at all.
    assert "empty.mov has no video stream" in _said(result) and "with at least one frame" in _said(result)
    assert not out.exists()


def test_a_scale_the_model_cannot_do_is_refused_before_any_work(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "out.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "realesrgan-x4plus"]
    )
    assert result.exit_code == 2
    assert "realesrgan-x4plus upscales by x4, not x2" in _said(result) and "lanczos" in _said(result)
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_an_unknown_method_lists_the_ones_there_are(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4")
    result = runner.invoke(app, ["enhance", str(source), "--interpolate", "2", "--interpolator", "dain"])
    assert result.exit_code == 2
    assert "interpolator 'dain' is not known; valid: auto, flow, rife" in _said(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upscale", "-2"], "--upscale: -2 is too small"),
        (["--target-fps", "60/0"], "--target-fps '60/0' is not a rate; give e.g. 60, 59.94"),
        (["--target-fps", "inf"], "--target-fps 'inf' is not a rate"),
        (["--target-fps", "0"], "--target-fps 0: a frame rate must be above 0"),
        (["--target-fps", "12"], "--target-fps 12 must be above the clip's 23.976 fps"),
        (["--interpolate", "2", "--target-fps", "60"], "--interpolate and --target-fps: give one of them"),
        (["--upscale", "1.5", "--upscaler", "esrgan"], "--upscale 1.5: learned upscalers take whole factors"),
        (
            ["--upscale", "nan"],
            "--upscale: nan is not a finite number; it takes a number above 1 and at most 8",
        ),
        (
            ["--interpolate", "2", "--interpolator", "flow", "--option", "flow.scene_threshold=NaN"],
            "--option flow.scene_threshold: nan is not a finite number; it takes a number from 0 to 2",
        ),
        (["--interpolate", "1"], "--interpolate: 1 is too small"),
        (["--interpolate", "2", "--upscaler", "lanczos"], "--upscaler lanczos needs --upscale"),
        (
            ["--upscale", "2", "--interpolator", "flow"],
            "--interpolator flow needs --interpolate or --target-fps",
        ),
        (
            ["--interpolate", "2", "--interpolator", "flow", "--option", "flow.speed=2"],
            "--option flow.speed is not a known field; flow takes: scene_threshold, batch",
        ),
        (
            ["--upscale", "2", "--upscaler", "lanczos", "--option", "lanczos.tiles=64"],
            "--option lanczos.tiles is not a known field; lanczos takes no other options",
        ),
        # RIFE has a `scale` of its own (the flow resolution): its error is not --upscale's.
        (
            ["--interpolate", "2", "--interpolator", "rife", "--option", "rife.scale=abc"],
            "--option rife.scale:",
        ),
    ],
)
def test_a_bad_value_names_the_option_that_was_typed(tmp_path: Path, args: list[str], message: str) -> None:
    source, out = _clip(tmp_path / "in.mp4", sound=False), tmp_path / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), *args])
    assert result.exit_code == 2
    assert message in _said(result) and "enhance[0]" not in _said(result)
    assert not out.exists()


@pytest.mark.parametrize("stage", [["--interpolate", "2"], ["--upscale", "2", "--upscaler", "lanczos"]])
def test_a_still_image_is_refused_not_made_a_one_frame_video(tmp_path: Path, stage: list[str]) -> None:
    # FFmpeg reads a PNG as a one-frame clip; interpolating it used to write that frame back, exit 0,
    # then to say "a clip of 1 frame (a still image?)", and upscaling it made a one-frame MP4.
    still, out = tmp_path / "face.png", tmp_path / "out.mp4"
    with av.open(str(still), "w") as container:
        stream = container.add_stream("png")
        stream.width, stream.height, stream.pix_fmt = 64, 48, "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode()]:
            container.mux(packet)
    result = runner.invoke(app, ["enhance", str(still), "-o", str(out), *stage])
    assert result.exit_code == 2
    assert (
        f"error: input: {still} is a still image (PNG), not a video; give a video file FFmpeg decodes"
        in _said(result)
    )
    assert "Traceback" not in result.output
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_a_json_of_ones_own_beside_the_output_is_never_replaced(tmp_path: Path) -> None:
    # The record goes to OUTPUT.json; it used to overwrite a storyboard or manifest of that name silently.
    source, out, mine = _clip(tmp_path / "in.mp4"), tmp_path / "film.mp4", tmp_path / "film.json"
    mine.write_text('{"scenes": ["a red fox"]}')
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "-q"]
    )
    assert result.exit_code == 2
    assert "film.json, which is not a record reelgen wrote" in _said(result)
    assert mine.read_text() == '{"scenes": ["a red fox"]}' and not out.exists()
    # Its own record from an earlier run is replaced as before.
    again = tmp_path / "again.mp4"
    for _ in range(2):
        result = runner.invoke(
            app, ["enhance", str(source), "-o", str(again), "--upscale", "2", "--upscaler", "lanczos", "-q"]
        )
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("rate", ["60/0", "abc/2", "nan"])
def test_a_bad_rate_for_a_server_is_refused_before_calling_it(tmp_path: Path, rate: str) -> None:
    # Read as a Fraction on its way to the server, these used to end in a ZeroDivisionError/ValueError traceback.
    source = _clip(tmp_path / "in.mp4", sound=False)
    args = ["enhance", str(source), "--target-fps", rate, "--server", "http://127.0.0.1:9", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"--target-fps '{rate}' is not a rate" in _said(result)
    assert "Traceback" not in result.output


def test_an_odd_sized_clip_is_recorded_at_the_size_written(tmp_path: Path) -> None:
    # yuv420p needs even sides, so 65x47 is written as 66x48; the record used to say 65x47.
    source, out = flat_png_clip(tmp_path / "odd.mov", (60, 100, 140), 65, 47), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        written = container.streams.video[0]
        size = (written.width, written.height)
    record = json.loads(out.with_suffix(".json").read_text())
    assert size == (66, 48) and (record["output"]["width"], record["output"]["height"]) == size


@pytest.mark.parametrize(
    ("name", "damaged", "args"),
    [
        ("rife", "flownet.pkl", ["--interpolate", "2", "--interpolator", "rife"]),
        (
            "realesrgan",
            "realesr-animevideov3-x4.bin",
            ["--upscale", "2", "--upscaler", "realesr-animevideov3"],
        ),
    ],
)
def test_pulled_weights_damaged_in_place_are_refused_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, damaged: str, args: list[str]
) -> None:
    # The file keeps its size, so it passed as pulled; it ran, and the record showed the wrong hash.
    import shutil

    models = tmp_path / "models"
    shutil.copytree(real_weights(name), models / name)
    target = models / name / damaged
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    out = tmp_path / "out.mp4"
    result = runner.invoke(
        app, ["enhance", str(_clip(tmp_path / "in.mp4", sound=False)), "-o", str(out), *args, "-q"]
    )
    assert result.exit_code == 2, result.output
    assert f"{target} is damaged" in _said(result) and f"run `reelgen pull {name}` again" in _said(result)
    assert not out.exists()


def _vfr_clip(path: Path) -> Path:
    """A lossless variable-rate clip of 30 fps with two pauses, as a phone drops frames: 10 frames over 0.6 s."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("png", rate=30)
        stream.width, stream.height, stream.pix_fmt = 32, 24, "rgb24"
        stream.time_base = Fraction(1, 1000)
        for level, ms in enumerate([0, 33, 67, 100, 233, 267, 300, 500, 533, 567]):
            frame = av.VideoFrame.from_ndarray(np.full((24, 32, 3), 20 * level, np.uint8), format="rgb24")
            frame.pts, frame.time_base = ms, Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_a_variable_rate_clip_keeps_each_frame_at_its_time(tmp_path: Path) -> None:
    """Each frame is held from its timestamp to the next at the clip's 30 fps: timed at the average rate
    (10 frames in 0.6 s, 16.7 fps) the frame after each pause showed early, drifting from the sound."""
    from reelgen.core.media import read_video

    source, out = _vfr_clip(tmp_path / "vfr.mov"), tmp_path / "out.mp4"
    clip = read_video(source)
    shown = [int(level) // 20 for level in clip.frames[:, 0, 0, 0]]
    assert (clip.fps, shown) == (30, [0, 1, 2, 3, 3, 3, 3, 4, 5, 6, 6, 6, 6, 6, 6, 7, 8, 9])
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "-q"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["input"]["variable_rate"] == {"source_frames": 10, "resampled_to": "30", "frames": 18}
    assert (record["output"]["frames"], record["output"]["fps"]) == (18, "30")
    assert "variable frame rate: 10 frames placed by their timestamps" in _said(
        runner.invoke(
            app,
            [
                "enhance",
                str(source),
                "-o",
                str(tmp_path / "again.mp4"),
                "--upscale",
                "2",
                "--upscaler",
                "lanczos",
            ],
        )
    )


@pytest.mark.parametrize("name", ["out.avi", "out"])
def test_an_output_container_it_cannot_write_is_refused_naming_those_it_can(
    tmp_path: Path, name: str
) -> None:
    source = _clip(tmp_path / "in.mp4", frames=3)
    result = runner.invoke(app, ["enhance", str(source), "-o", str(tmp_path / name), "--upscale", "2", "-q"])
    assert result.exit_code == 2, result.output
    assert f"{name} does not end in .mp4, .mov, .mkv, .webm or .gif; give a name such as out.mp4" in _said(
        result
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4"]


def test_a_file_cut_short_is_enhanced_as_far_as_it_decodes_and_says_so(tmp_path: Path) -> None:
    whole = tmp_path / "whole.mp4"
    noise = np.random.default_rng(0).integers(0, 256, (48, 48, 64, 3), dtype=np.uint8)  # big frames
    write_video(Video(noise, Fraction(24)), whole)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])  # a copy that stopped
    result = runner.invoke(app, ["enhance", str(cut), "-o", str(tmp_path / "out.mp4"), "--interpolate", "2"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    record = json.loads((tmp_path / "out.json").read_text())
    listed, decoded = (
        record["source_cut_short"]["frames_listed"],
        record["source_cut_short"]["frames_decoded"],
    )
    assert decoded < listed
    assert f"cut.mp4 ends after {decoded} of the {listed} frames it lists" in said
    with av.open(str(tmp_path / "out.mp4")) as made:
        assert made.streams.video[0].frames == (decoded - 1) * 2 + 1
    assert "source_cut_short" not in json.loads(_enhanced_record(tmp_path, whole))


def _enhanced_record(tmp_path: Path, source: Path) -> str:
    out = tmp_path / "whole-x2.mp4"
    assert runner.invoke(app, ["enhance", str(source), "-o", str(out), "--interpolate", "2"]).exit_code == 0
    return out.with_suffix(".json").read_text()
