"""Images pinned at frames (start image, keyframes, end image): refused where the run would drop them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.types import Video
from tests.core.helpers import resolved


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("pins")
    Image.new("RGB", (64, 64), (200, 30, 30)).save(folder / "start.png")
    Image.new("RGB", (64, 64), (30, 30, 200)).save(folder / "end.png")
    write_video(Video(np.full((17, 64, 64, 3), 90, np.uint8), Fraction(24)), folder / "clip.mp4")
    return {
        "start": str(folder / "start.png"),
        "end": str(folder / "end.png"),
        "clip": str(folder / "clip.mp4"),
    }


def _refused(files: dict[str, str], **fields: Any) -> InvalidRequest:
    for key in ("start_image", "end_image", "source_video"):
        if key in fields:
            fields[key] = files[fields[key]]
    fields["keyframes"] = [{**k, "image": files[k["image"]]} for k in fields.get("keyframes", [])]
    with pytest.raises(InvalidRequest) as refused:
        resolved(prompt="a fox", **fields)
    return refused.value


@pytest.mark.parametrize("model", ["ltx-tiny", "wan-vace-tiny"])
def test_a_keyframe_on_the_start_or_end_image_frame_is_refused(files: dict[str, str], model: str) -> None:
    # Two images for one frame: Wan VACE kept one of them unsaid, LTX-Video blended both.
    said = _refused(files, model=model, start_image="start", keyframes=[{"image": "end", "frame": 0}])
    assert said.param == "keyframes[0].frame"
    assert said.message == (
        "keyframes[0].frame 0 is pinned already by the start image (start_image), which is frame 0; "
        "drop one of them"
    )
    said = _refused(
        files, model=model, num_frames=9, end_image="end", keyframes=[{"image": "start", "frame": 8}]
    )
    assert said.param == "keyframes[0].frame"
    assert "pinned already by the end image (end_image), which is the last frame" in said.message


@pytest.mark.parametrize(
    ("fields", "param", "task"),
    [
        ({"model": "wan-tiny", "source_video": "clip", "start_image": "start"}, "start_image", "v2v"),
        ({"model": "cogvideox-tiny", "source_video": "clip", "start_image": "start"}, "start_image", "v2v"),
        ({"model": "skyreels-tiny", "task": "extend", "source_video": "clip", "start_image": "start"}, "start_image", "extend"),
        (
            {"model": "wan-vace-tiny", "task": "extend", "source_video": "clip", "keyframes": [{"image": "end", "frame": 4}]},
            "keyframes",
            "extend",
        ),
        ({"model": "ltx-tiny", "task": "v2v", "source_video": "clip", "end_image": "end"}, "end_image", "v2v"),
    ],
)  # fmt: skip
def test_images_beside_a_source_clip_are_refused_not_dropped(
    files: dict[str, str], fields: dict[str, Any], param: str, task: str
) -> None:
    said = _refused(files, **fields)
    assert said.param == param
    assert said.message == (
        f"{param} cannot be pinned in task {task}, which works from the source clip (source_video); "
        "drop one of them, or pin images in a run of its output"
    )


@pytest.mark.parametrize(
    ("fields", "param", "instead"),
    [
        # A model without the task is pointed at models with it: "ask for task i2v" was refused in turn.
        (
            {"model": "wan-tiny", "start_image": "start"},
            "start_image",
            "use a model that does task i2v: wan-i2v-tiny, wan-vace-tiny",
        ),
        ({"model": "skyreels-tiny", "start_image": "start"}, "start_image", "ask for task i2v"),
        (
            {"model": "hunyuan-tiny", "start_image": "start"},
            "start_image",
            "use a model that does task i2v: hunyuan-i2v-tiny",
        ),
        (
            {"model": "wan-vace-tiny", "keyframes": [{"image": "end", "frame": 4}]},
            "keyframes",
            "ask for task keyframes",
        ),
        (
            {"model": "reelgen-micro", "keyframes": [{"image": "end", "frame": 4}]},
            "keyframes",
            "use a model that does task keyframes: ltx, ltx2, wan models",
        ),
    ],
)
def test_an_image_given_to_a_run_asked_for_as_t2v_is_refused(
    files: dict[str, str], fields: dict[str, Any], param: str, instead: str
) -> None:
    said = _refused(files, task="t2v", **fields)
    assert said.param == param
    assert said.message == (
        f"{param}: task t2v makes the video from the prompt alone and would ignore it; drop it, or {instead}"
    )


@pytest.mark.parametrize("model", ["hunyuan-tiny", "hunyuan15-tiny", "kandinsky5-tiny"])
def test_a_text_to_video_model_given_an_end_image_is_not_said_to_animate_a_start_image(
    files: dict[str, str], model: str
) -> None:
    said = _refused(files, model=model, end_image="end")
    assert said.param == "end_image"
    # It said "<model> animates a start image only", of a model that takes no image at all.
    assert said.message.startswith(
        f"{model} cannot pin a last frame, so it takes no end_image; models that can: "
    )
    assert "ltx-2b" in said.message and "wan-vace-1.3b" in said.message


@pytest.mark.parametrize("model", ["hunyuan-i2v-tiny", "kandinsky5-i2v-tiny", "reelgen-micro"])
def test_an_image_model_that_pins_no_last_frame_names_the_end_image_first(
    files: dict[str, str], model: str
) -> None:
    # Named first, the command line says it as --end-image; "leave end_image unset" named no option.
    said = _refused(files, model=model, start_image="start", end_image="end")
    assert said.param == "end_image"
    assert said.message.startswith(f"end_image: {model} animates ")
    assert "cannot pin a last frame; leave it out" in said.message


@pytest.mark.parametrize(
    ("fields", "start"),
    [
        ({"model": "wan-flf2v", "start_image": "start"}, "end_image: wan-flf2v is a first+last frame model"),
        (
            {"model": "skyreels-tiny", "start_image": "start", "end_image": "end", "num_frames": 29},
            "end_image: pinning the last frame needs the clip in one window, and 29 frames (num_frames) is "
            "over options.base_num_frames 17; ask for at most 17 frames",
        ),
        (
            {"model": "skyreels-tiny", "start_image": "start", "num_frames": 33},
            "num_frames: image-to-video over 17 frames must be 17 + k*12 frames long",
        ),
        (
            {"model": "wan-tiny", "end_image": "end"},
            "end_image: wan-tiny cannot pin a last frame; first+last",
        ),
        (
            {"model": "skyreels-i2v-tiny", "start_image": "start", "end_image": "end"},
            "end_image: skyreels-i2v-tiny starts from one image",
        ),
    ],
)
def test_refusals_about_the_end_image_or_length_start_with_their_field(
    files: dict[str, str], fields: dict[str, Any], start: str
) -> None:
    # Started with the field, the command line says it as its option (--end-image, --frames).
    assert _refused(files, **fields).message.startswith(start)
