"""Camera paths: each kind of bad path gets its own error, presets move as named, Ken Burns films the crops."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError
from skimage import data

from reelgen.core.errors import InvalidRequest, OutOfMemory
from reelgen.core.media import read_video
from reelgen.core.motion import (
    AspectMismatch,
    CameraPath,
    CropOutOfBounds,
    CropTooSmall,
    Easing,
    Motion,
    MotionError,
    MotionPreset,
    MotionTooFast,
    Rect,
    check_path,
)
from reelgen.core.motion.conditioning import camera_motion, frames_for, resolve_conditioned, write_crops
from reelgen.core.motion.kenburns import KenBurnsRequest, render_ken_burns
from reelgen.core.spec import registry
from reelgen.core.spec.request import Task

IMAGE = (512, 512)  # scikit-image's astronaut
OUT = (128, 96)


def rect(x: float, y: float, w: float, h: float) -> Rect:
    return Rect(x=x, y=y, width=w, height=h)


def refused(path: CameraPath, frames: int = 25, out: tuple[int, int] = OUT) -> MotionError:
    with pytest.raises(MotionError) as caught:
        check_path(path, IMAGE, out, frames)
    return caught.value


def test_a_crop_outside_the_image_is_refused_naming_the_edge() -> None:
    error = refused(CameraPath(start=rect(0, 0, 400, 300), end=rect(200, 100, 400, 300)))
    assert isinstance(error, CropOutOfBounds) and error.code == "motion_out_of_bounds"
    assert error.param == "motion.end"
    assert "88 px past the right edge" in error.message and "within x 0..512" in error.message


def test_a_crop_of_the_wrong_shape_is_refused_with_the_right_sizes() -> None:
    error = refused(CameraPath(start=rect(0, 0, 300, 300), end=rect(10, 10, 400, 300)))
    assert isinstance(error, AspectMismatch) and error.code == "motion_aspect_mismatch"
    assert error.param == "motion.start"
    assert "aspect ratio 1.000" in error.message and "the output 128x96 has 1.333" in error.message
    assert "make the crop 300x225 or 400x300" in error.message


def test_a_path_too_fast_for_its_frames_is_refused_and_the_same_move_over_more_frames_passes() -> None:
    whip = CameraPath(start=rect(0, 0, 200, 150), end=rect(312, 300, 200, 150), easing=Easing.LINEAR)
    error = refused(whip, frames=9)
    assert isinstance(error, MotionTooFast) and error.code == "motion_too_fast"
    assert error.param == "motion.end"
    assert "moves 31.7% of the frame between frames 0 and 1" in error.message  # 39 px right, 37.5 down
    assert "more than 9 frames" in error.message
    check_path(whip, IMAGE, OUT, 120)  # the same move, slowly: no error


def test_the_three_errors_say_different_things() -> None:
    errors = [
        refused(CameraPath(start=rect(0, 0, 400, 300), end=rect(200, 100, 400, 300))),
        refused(CameraPath(start=rect(0, 0, 300, 300), end=rect(10, 10, 400, 300))),
        refused(CameraPath(start=rect(0, 0, 200, 150), end=rect(312, 300, 200, 150)), frames=9),
    ]
    assert (
        len({type(e) for e in errors})
        == len({e.code for e in errors})
        == len({e.message for e in errors})
        == 3
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"preset": "zoom-in", "speed": float("nan")},
        {"preset": "pan-left", "arc": float("inf")},
        {
            "start": {"x": 0, "y": 0, "width": float("inf"), "height": 9},
            "end": {"x": 0, "y": 0, "width": 9, "height": 9},
        },
    ],
)
def test_a_move_of_numbers_that_are_no_numbers_is_refused_as_such(fields: dict[str, object]) -> None:
    # NaN was told "less than or equal to 10" and an infinite crop reached planning ("make the crop infxinf").
    with pytest.raises(ValidationError, match="finite number"):
        Motion.model_validate(fields)


def test_a_crop_too_small_for_the_output_is_refused() -> None:
    error = refused(CameraPath(start=rect(0, 0, 400, 300), end=rect(100, 100, 24, 18)))
    assert isinstance(error, CropTooSmall) and error.param == "motion.end"
    assert "magnify it 5.3x (at most 4x" in error.message and "at least 32x24" in error.message


def test_an_arc_that_leaves_the_image_between_its_ends_is_refused() -> None:
    path = CameraPath(start=rect(0, 10, 400, 300), end=rect(100, 10, 400, 300), arc=-60)
    error = refused(path, frames=49)
    assert isinstance(error, CropOutOfBounds) and error.param == "motion.arc"
    assert "at frame 7, the arc's crop 400x300 at (5.8, -3) reaches outside" in error.message
    assert "3 px past the top edge" in error.message


@pytest.mark.parametrize("preset", list(MotionPreset))
def test_every_preset_moves_as_named_inside_the_image(preset: MotionPreset) -> None:
    path = Motion(preset=preset).path(IMAGE, OUT, 49, 24.0)
    (x0, y0), (x1, y1) = path.start.centre, path.end.centre
    grows = path.end.width / path.start.width
    moves = {
        "pan-left": x1 < x0 and y1 == y0 and grows == 1,
        "pan-right": x1 > x0 and y1 == y0 and grows == 1,
        "tilt-up": y1 < y0 and x1 == x0 and grows == 1,
        "tilt-down": y1 > y0 and x1 == x0 and grows == 1,
        "zoom-in": grows < 1 and (x1, y1) == (x0, y0),
        "zoom-out": grows > 1 and (x1, y1) == (x0, y0),
        "dolly-in": grows < 1 and y1 < y0,  # pushes in toward the upper third
        "dolly-out": grows > 1 and y1 > y0,
        "arc-left": x1 < x0 and path.at(0.5).centre[1] < y0,  # rises through the middle
        "arc-right": x1 > x0 and path.at(0.5).centre[1] < y0,
    }
    assert moves[preset.value], (path.start, path.end)
    for r in path.rects(49):
        assert r.x >= -1e-6 and r.y >= -1e-6 and r.right <= 512 + 1e-6 and r.bottom <= 512 + 1e-6
        assert abs(r.aspect - 128 / 96) < 1e-6
        # Crops between the ends are built unvalidated (for speed): each is what validation makes of it.
        assert Rect.model_validate(r.model_dump()) == r and r.model_fields_set == set(Rect.model_fields)


def test_speed_scales_a_preset_and_too_much_speed_is_blamed_on_speed() -> None:
    slow = Motion(preset="pan-right", speed=0.5).path(IMAGE, OUT, 49, 24.0)
    fast = Motion(preset="pan-right", speed=2).path(IMAGE, OUT, 49, 24.0)
    assert fast.end.x - fast.start.x == pytest.approx(4 * (slow.end.x - slow.start.x))
    with pytest.raises(MotionTooFast) as caught:
        Motion(preset="pan-right", speed=10).path(IMAGE, OUT, 49, 24.0, param="items[2].motion")
    assert caught.value.param == "items[2].motion.speed"
    assert "use a speed of at most 3.84" in caught.value.message
    # The speed named renders (4.69, the travel limit rounded up, was refused again, and so was 4.68,
    # each step too far a frame), and a long clip is named a speed above 0 (it was told 0.00).
    assert Motion(preset="pan-right", speed=3.84).path(IMAGE, OUT, 49, 24.0).end.x > 0
    with pytest.raises(MotionTooFast) as slow:
        Motion(preset="pan-right", speed=10).path(IMAGE, OUT, 24 * 600 + 1, 24.0)
    named = float(slow.value.message.split("at most ")[1].split()[0])
    assert named > 0
    Motion(preset="pan-right", speed=named).path(IMAGE, OUT, 24 * 600 + 1, 24.0)


@pytest.mark.parametrize("preset", ["zoom-in", "zoom-out", "dolly-in"])
def test_a_zoom_too_deep_for_its_clip_is_blamed_on_speed_with_one_that_fits(preset: str) -> None:
    # An hour at speed 1 zooms 1.15x a second: past any image (a dolly's power overflowed a float).
    for frames in (24 * 3600 + 1, 24 * 14 + 1):
        with pytest.raises(CropTooSmall) as caught:
            Motion(preset=preset).path((1920, 1080), (1280, 720), frames, 24.0, param="items[0].motion")
        assert caught.value.param == "items[0].motion.speed"  # a preset's crops are not the person's to move
        said = caught.value.message
        assert "under 320 px wide, magnified more than 4x by the 1280x720 output" in said
    # The speed it names fits (rounded down, never up), and zooms to the limit.
    fits = float(said.split("use a speed of at most ")[1].split()[0])
    path = Motion(preset=preset, speed=fits).path((1920, 1080), (1280, 720), 24 * 14 + 1, 24.0)
    assert 320 - 1e-6 <= min(path.start.width, path.end.width) < 321


def test_a_zoom_on_an_image_too_small_for_the_output_blames_the_image() -> None:
    with pytest.raises(CropTooSmall, match="give a larger image or a smaller output"):
        Motion(preset="zoom-in").path((300, 200), (1280, 720), 48, 24.0)


def test_a_motion_is_a_preset_or_two_crops() -> None:
    with pytest.raises(ValueError, match="give a preset"):
        Motion(start=rect(0, 0, 10, 10))
    with pytest.raises(ValueError, match="not both"):
        Motion(preset="zoom-in", start=rect(0, 0, 10, 10), end=rect(0, 0, 10, 10))


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "astronaut.png"
    Image.fromarray(data.astronaut()).save(path)
    return path


def expected_crop(r: Rect, size: tuple[int, int]) -> np.ndarray:
    """The crop cut out with array slicing and resized on its own: not the code under test."""
    x, y, w, h = (int(v) for v in (r.x, r.y, r.width, r.height))
    return np.asarray(
        Image.fromarray(data.astronaut()[y : y + h, x : x + w]).resize(size, Image.Resampling.LANCZOS)
    )


def test_ken_burns_clip_starts_on_the_start_crop_and_ends_on_the_end_crop(
    photo: Path, tmp_path: Path
) -> None:
    start, end = rect(0, 0, 480, 360), rect(180, 110, 280, 210)  # zoom in toward the lower right
    path = CameraPath(start=start, end=end)
    request = KenBurnsRequest(image=str(photo), path=path, width=128, height=96, num_frames=25, fps=12.0)
    result = render_ken_burns(request, tmp_path / "kb.mp4")

    frames = read_video(result.path).frames
    assert frames.shape == (25, 96, 128, 3)
    first, last = expected_crop(start, (128, 96)), expected_crop(end, (128, 96))

    def diff(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(a.astype(int) - b.astype(int)).mean())

    assert diff(frames[0], first) < 4 and diff(frames[-1], last) < 4  # H.264 at crf 18 loses a little
    assert diff(frames[0], last) > 20 and diff(frames[-1], first) > 20  # ... and the two crops differ a lot
    record = result.metadata
    assert record["kind"] == "ken_burns" and record["ken_burns"]["path"]["end"]["x"] == 180
    assert record["quality"]["fatal"] is False and record["quality"]["problems"] == []
    assert result.sidecar.is_file() and record["inputs"]["image"]["path"] == str(photo)


def test_ken_burns_checks_the_path_against_the_image_before_writing(photo: Path, tmp_path: Path) -> None:
    path = CameraPath(start=rect(0, 0, 480, 360), end=rect(300, 200, 480, 360))
    request = KenBurnsRequest(image=str(photo), path=path, width=128, height=96, num_frames=25, fps=12.0)
    with pytest.raises(CropOutOfBounds):
        render_ken_burns(request, tmp_path / "kb.mp4")
    assert list(tmp_path.glob("kb*")) == []


def test_crops_reach_keyframe_models_as_keyframes_and_i2v_models_as_first_and_last_frame(
    photo: Path, tmp_path: Path
) -> None:
    path = Motion(preset="zoom-in").path(IMAGE, (64, 64), 9, 8.0)
    start, end = write_crops(photo, path, (64, 64), tmp_path, "shot")
    assert Image.open(start).size == (64, 64) and start.name == "shot.start.png"

    ltx = frames_for(registry.resolve("ltx-tiny")[1], start, end, 9)
    assert ltx.how == "keyframes" and [k.frame for k in ltx.fields["keyframes"]] == [0, 8]
    wan = frames_for(registry.resolve("wan-i2v-tiny")[1], start, end, 9)
    request, used = resolve_conditioned({"model": "wan-i2v-tiny", "seed": 1}, wan)
    assert used.how == "start_end_frames" and (request.start_image, request.end_image) == (
        str(start),
        str(end),
    )
    with pytest.raises(InvalidRequest, match="wan-tiny cannot follow a camera path"):
        frames_for(registry.resolve("wan-tiny")[1], start, end, 9)


def test_a_model_that_cannot_pin_a_last_frame_gets_the_start_crop_and_says_so(
    photo: Path, tmp_path: Path
) -> None:
    path = Motion(preset="pan-left").path(IMAGE, (64, 64), 9, 8.0)
    start, end = write_crops(photo, path, (64, 64), tmp_path, "shot")
    preset = registry.resolve("kandinsky5-i2v-tiny")[1]
    request, used = resolve_conditioned({"model": preset.name, "seed": 1}, frames_for(preset, start, end, 9))
    assert request.task is Task.I2V and request.start_image == str(start) and request.end_image is None
    assert used.how == "start_frame" and used.note.startswith("start crop only: ")
    assert "cannot pin a last frame" in used.note


def test_animatediff_gets_the_camera_lora_of_the_move_or_the_nearest() -> None:
    assert camera_motion(Motion(preset="tilt-up", speed=1.5)).fields == {
        "options": {"camera_motion": "tilt-up", "camera_motion_strength": 1.5}
    }
    dolly = camera_motion(Motion(preset="dolly-in"))
    assert dolly.fields["options"]["camera_motion"] == "zoom-in" and "nearest" in dolly.note
    custom = camera_motion(Motion(start=rect(0, 0, 200, 150), end=rect(150, 10, 200, 150)))
    assert custom.fields["options"]["camera_motion"] == "pan-right"
    request, _ = resolve_conditioned({"model": "animatediff-tiny", "prompt": "a fox", "seed": 1}, dolly)
    assert request.options.model_dump()["camera_motion"] == "zoom-in"


def test_ken_burns_refuses_odd_sides_rather_than_make_another_size(photo: Path) -> None:
    path = CameraPath(start=rect(0, 0, 480, 270), end=rect(0, 0, 480, 270))
    with pytest.raises(InvalidRequest, match="width 129 is odd; .* use 128 or 130") as caught:
        KenBurnsRequest(image=str(photo), path=path, width=129, height=96, num_frames=4, fps=12.0)
    assert caught.value.param == "width"  # a batch item names it items[N].width


def test_ken_burns_frames_past_the_memory_available_are_refused_before_any_work(
    photo: Path, tmp_path: Path
) -> None:
    path = CameraPath(start=rect(0, 0, 512, 512), end=rect(0, 0, 512, 512))
    huge = KenBurnsRequest(image=str(photo), path=path, width=4096, height=4096, num_frames=100_000, fps=24.0)
    with pytest.raises(OutOfMemory, match=r"holds 4687\.5 GiB of frames in memory .* make it shorter"):
        render_ken_burns(huge, tmp_path / "kb.mp4")  # was numpy's MemoryError, an "internal error"
    assert list(tmp_path.glob("kb*")) == []


def test_a_black_picture_is_refused_naming_the_picture_not_a_model(tmp_path: Path) -> None:
    dark = tmp_path / "night.png"
    Image.fromarray(np.full((240, 320, 3), 3, np.uint8)).save(dark)
    path = CameraPath(start=rect(0, 0, 320, 240), end=rect(10, 7.5, 300, 225))
    request = KenBurnsRequest(image=str(dark), path=path, width=64, height=48, num_frames=6, fps=12.0)
    with pytest.raises(InvalidRequest) as caught:
        render_ken_burns(request, tmp_path / "kb.mp4")
    said = caught.value.message
    assert f"image: {dark} is black (no pixel above 4 of 255) where the camera looks in 6 of 6 frames" in said
    assert "bfloat16" not in said and caught.value.param == "image"  # no model, so no NaN to blame
    assert list(tmp_path.glob("kb*")) == []


def test_a_full_disk_writing_the_record_keeps_the_earlier_clip_and_its_record(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from reelgen.core import encode
    from reelgen.core.errors import WriteFailed

    path = CameraPath(start=rect(0, 0, 480, 360), end=rect(180, 110, 280, 210))
    request = KenBurnsRequest(image=str(photo), path=path, width=128, height=96, num_frames=25, fps=12.0)
    first = render_ken_burns(request, tmp_path / "kb.mp4")
    video, record = first.path.read_bytes(), first.sidecar.read_bytes()

    def full(tmp: Path, data: dict) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))

    monkeypatch.setattr(encode, "dump_json", full)
    with pytest.raises(WriteFailed, match="no space left"):
        render_ken_burns(request.model_copy(update={"fps": 24.0}), tmp_path / "kb.mp4")
    # The new clip did not replace the old one beside the old one's record, and nothing hidden is left.
    assert first.path.read_bytes() == video and first.sidecar.read_bytes() == record
    assert sorted(p.name for p in tmp_path.glob("*kb*")) == ["kb.json", "kb.mp4"]
