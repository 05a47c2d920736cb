"""One wrong request said alike by each of reelgen's doors: ``reelgen generate`` here, ``reelgen
submit`` to a server, and ``POST /v1/videos``: one line, the field named as that door names it (an
option for a command-line user, a body field for an API user), the same valid values, exit 2 or 400."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import httpx
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from tests.api.serving import checking_only

runner = CliRunner()

#: Names only the API uses; a command-line user typed options, never these.
WIRE_ONLY = (
    "num_frames",
    "num_inference_steps",
    "guidance_scale",
    "source_strength",
    "source_video",
    "input_reference",
    "target_fps",
    "options.",
    "keyframes[",
    "start_image",
    "end_image",
)


@dataclass(frozen=True)
class Wrong:
    """A wrong request as each door takes it, and how each says it (the start of its one line)."""

    local: list[str]
    local_says: str
    api: dict[str, object]
    api_says: str
    api_param: str
    submit: list[str] | None = None  # None: ``reelgen submit`` has no option for it
    submit_says: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)  # (form field, IMG or VID)


LTX = ["-m", "ltx-tiny"]
WRONG = {
    "frames-not-8k+1": Wrong(
        [*LTX, "--frames", "10"],
        "--frames: 10 frames is not 8k+1 (LTX-Video); nearest valid: 9 or 17",
        {"model": "ltx-tiny", "num_frames": 10},
        "num_frames: 10 frames is not 8k+1 (LTX-Video); nearest valid: 9 or 17",
        "num_frames",
        [*LTX, "--frames", "10"],
        "--frames: 10 frames is not 8k+1",
    ),
    "frames-not-4k+1": Wrong(
        ["-m", "wan-tiny", "--frames", "10"],
        "--frames: 10 frames is not 4k+1 (Wan); nearest valid: 9 or 13",
        {"model": "wan-tiny", "num_frames": 10},
        "num_frames: 10 frames is not 4k+1 (Wan)",
        "num_frames",
        ["-m", "wan-tiny", "--frames", "10"],
        "--frames: 10 frames is not 4k+1 (Wan); nearest valid: 9 or 13",
    ),
    "frames-negative": Wrong(
        [*LTX, "--frames", "-5"],
        "--frames: -5 is too small",
        {"model": "ltx-tiny", "num_frames": -5},
        "num_frames: -5 is too small",
        "num_frames",
        [*LTX, "--frames", "-5"],
        "--frames: -5 is too small",
    ),
    "frames-too-many": Wrong(
        [*LTX, "--frames", "265"],
        "--frames: 265 frames is outside 1..257 (LTX-Video)",
        {"model": "ltx-tiny", "num_frames": 265},
        "num_frames: 265 frames is outside 1..257",
        "num_frames",
        [*LTX, "--frames", "265"],
        "--frames: 265 frames is outside 1..257 (LTX-Video)",
    ),
    "width-not-multiple": Wrong(
        [*LTX, "--width", "63", "--height", "64"],
        "--width 63 is not a multiple of 32 (LTX-Video); nearest valid: 32 or 64",
        {"model": "ltx-tiny", "size": "63x64"},
        "width 63 is not a multiple of 32 (LTX-Video); nearest valid",
        "size",
        [*LTX, "--size", "63x64"],
        "--size: width 63 is not a multiple of 32 (LTX-Video); nearest valid: 32 or 64",
    ),
    "fixed-size": Wrong(
        ["-m", "cogvideox-i2v-tiny", "--image", "IMG", "--width", "64", "--height", "64"],
        "size 64x64 is not supported",
        {"model": "cogvideox-i2v-tiny", "size": "64x64"},
        "size 64x64 is not supported",
        "size",
        ["-m", "cogvideox-i2v-tiny", "--image", "IMG", "--size", "64x64"],
        "--size 64x64 is not supported",
        [("input_reference", "IMG")],
    ),
    "fps-zero": Wrong(
        [*LTX, "--fps", "0"],
        "--fps: 0 is too small",
        {"model": "ltx-tiny", "fps": 0},
        "fps: 0 is too small",
        "fps",
        [*LTX, "--fps", "0"],
        "--fps: 0 is too small",
    ),
    "seconds-past-one-clip": Wrong(
        [*LTX, "--seconds", "60"],
        "--seconds 60 is longer than one clip can be (LTX-Video): at most 257 frames",
        {"model": "ltx-tiny", "seconds": "60"},
        "seconds 60 is longer than one clip can be (LTX-Video)",
        "seconds",
        [*LTX, "--seconds", "60"],
        "--seconds 60 is longer than one clip can be (LTX-Video): at most 257 frames",
    ),
    "seconds-and-frames": Wrong(
        [*LTX, "--seconds", "1", "--frames", "9"],
        "give a frame count (--frames) or a length (--seconds), not both",
        {"model": "ltx-tiny", "seconds": "1", "num_frames": 9},
        "seconds: give a frame count (num_frames) or a length (seconds), not both",
        "seconds",
        [*LTX, "--seconds", "1", "--frames", "9"],
        "give a frame count (--frames) or a length (--seconds), not both",
    ),
    "steps-zero": Wrong(
        [*LTX, "--steps", "0"],
        "--steps: 0 is too small",
        {"model": "ltx-tiny", "num_inference_steps": 0},
        "num_inference_steps: 0 is too small",
        "num_inference_steps",
        [*LTX, "--steps", "0"],
        "--steps: 0 is too small",
    ),
    "guidance-negative": Wrong(
        [*LTX, "--guidance", "-3"],
        "--guidance: -3 is too small",
        {"model": "ltx-tiny", "guidance_scale": -3},
        "guidance_scale: -3 is too small",
        "guidance_scale",
        [*LTX, "--guidance", "-3"],
        "--guidance: -3 is too small",
    ),
    "seed-minus-one": Wrong(
        [*LTX, "--seed", "-1"],
        "--seed: -1 does not mean random here: give a whole number from 0 to 2^63-1",
        {"model": "ltx-tiny", "seed": -1},
        "seed: -1 does not mean random here: give a whole number from 0 to 2^63-1",
        "seed",
        [*LTX, "--seed", "-1"],
        "--seed: -1 does not mean random here: give a whole number from 0 to 2^63-1",
    ),
    "model-typo": Wrong(
        ["-m", "ltx-tinyy"],
        "unknown model 'ltx-tinyy'; did you mean ltx-tiny",
        {"model": "ltx-tinyy"},
        "unknown model 'ltx-tinyy'; did you mean ltx-tiny",
        "model",
        ["-m", "ltx-tinyy"],
        "--model: unknown model 'ltx-tinyy'; did you mean ltx-tiny",
    ),
    "task-needs-image": Wrong(
        [*LTX, "--task", "i2v"],
        "task i2v needs a start image (--image)",
        {"model": "ltx-tiny", "task": "i2v"},
        "task i2v needs a start image (input_reference)",
        "input_reference",
    ),
    "i2v-model-without-image": Wrong(
        ["-m", "cogvideox-i2v-tiny"],
        "cogvideox-i2v-tiny (CogVideoX) does not make video from a prompt alone; give a start image (--image)",
        {"model": "cogvideox-i2v-tiny"},
        "cogvideox-i2v-tiny (CogVideoX) does not make video from a prompt alone; "
        "give a start image (input_reference)",
        "input_reference",
        ["-m", "cogvideox-i2v-tiny"],
        "cogvideox-i2v-tiny (CogVideoX) does not make video from a prompt alone; give a start image (--image)",
    ),
    "image-to-t2v-model": Wrong(
        ["-m", "hunyuan-tiny", "--image", "IMG"],
        "hunyuan-tiny (HunyuanVideo) cannot do i2v; it supports t2v.",
        {"model": "hunyuan-tiny"},
        "hunyuan-tiny (HunyuanVideo) cannot do i2v; it supports t2v.",
        "task",
        ["-m", "hunyuan-tiny", "--image", "IMG"],
        "hunyuan-tiny (HunyuanVideo) cannot do i2v; it supports t2v.",
        [("input_reference", "IMG")],
    ),
    "image-with-task-t2v": Wrong(
        [*LTX, "--image", "IMG", "--task", "t2v"],
        "--image: task t2v makes the video from the prompt alone",
        {"model": "ltx-tiny", "task": "t2v"},
        "input_reference: task t2v makes the video from the prompt alone",
        "input_reference",
        files=[("input_reference", "IMG")],
    ),
    "image-with-video": Wrong(
        [*LTX, "--image", "IMG", "--video", "VID"],
        "--image cannot be pinned in task v2v, which works from the source clip (--video)",
        {"model": "ltx-tiny", "task": "v2v"},
        "input_reference cannot be pinned in task v2v, which works from the source clip (source_video)",
        "input_reference",
        files=[("input_reference", "IMG"), ("source_video", "VID")],
    ),
    "end-image-without-start": Wrong(
        ["-m", "ltx2-tiny", "--end-image", "IMG"],
        "--end-image pins the last frame of a run from a start image or "
        "keyframes; give a start image (--image) or keyframes (--keyframe FRAME:IMAGE[:STRENGTH]) too",
        {"model": "ltx2-tiny"},
        "end_image pins the last frame of a run from a start image or keyframes; "
        "give a start image (input_reference)",
        "end_image",
        files=[("end_image", "IMG")],
    ),
    "end-image-frames": Wrong(
        ["-m", "framepack-tiny", "--image", "IMG", "--end-image", "IMG", "--frames", "13"],
        "--frames: 13 frames would cut off the end image",
        {"model": "framepack-tiny", "num_frames": 13},
        "num_frames: 13 frames would cut off the end image",
        "num_frames",
        files=[("input_reference", "IMG"), ("end_image", "IMG")],
    ),
    "keyframe-past-the-end": Wrong(
        [*LTX, "--frames", "9", "--keyframe", "100:IMG"],
        "--keyframe 100 is past the last frame (8)",
        {"model": "ltx-tiny", "num_frames": 9, "keyframes": [{"frame": 100}]},
        "keyframes[0].frame 100 is past the last frame (8)",
        "keyframes[0].frame",
        files=[("keyframe_images", "IMG")],
    ),
    "keyframe-on-the-start-image": Wrong(
        [*LTX, "--image", "IMG", "--keyframe", "0:IMG"],
        "--keyframe 0 is pinned already by the start image (--image)",
        {"model": "ltx-tiny", "keyframes": [{"frame": 0}]},
        "keyframes[0].frame 0 is pinned already by the start image (input_reference)",
        "keyframes[0].frame",
        files=[("input_reference", "IMG"), ("keyframe_images", "IMG")],
    ),
    "strength-past-one": Wrong(
        [*LTX, "--video", "VID", "--strength", "1.5"],
        "--strength: 1.5 is too large",
        {"model": "ltx-tiny", "source_strength": 1.5},
        "source_strength: 1.5 is too large",
        "source_strength",
        files=[("source_video", "VID")],
    ),
    "strength-without-video": Wrong(
        [*LTX, "--strength", "0.5"],
        "--strength: sets how much of the source clip (--video) is repainted; "
        "give that clip too, or leave it out",
        {"model": "ltx-tiny", "source_strength": 0.5},
        "source_strength: sets how much of the source clip "
        "(source_video) is repainted; give that clip too, or leave it out",
        "source_strength",
    ),
    "video-with-task-i2v": Wrong(
        [*LTX, "--video", "VID", "--image", "IMG", "--task", "i2v"],
        "--video is read only by tasks v2v and extend",
        {"model": "ltx-tiny", "task": "i2v"},
        "source_video is read only by tasks v2v and extend",
        "source_video",
        files=[("input_reference", "IMG"), ("source_video", "VID")],
    ),
    "sound-off-for-task-audio": Wrong(
        ["-m", "ltx2-tiny", "--task", "audio", "--no-audio"],
        "task audio makes a video with generated sound, so sound cannot be turned off (--no-audio)",
        {"model": "ltx2-tiny", "task": "audio", "audio": False},
        "task audio makes a video with generated sound, so sound cannot be turned off (audio)",
        "audio",
    ),
    "interpolate-one": Wrong(
        [*LTX, "--interpolate", "1"],
        "--interpolate: 1 is too small",
        {"model": "ltx-tiny", "interpolate": 1},
        "interpolate: 1 is too small",
        "interpolate",
        [*LTX, "--interpolate", "1"],
        "--interpolate: 1 is too small",
    ),
    "target-fps-below-the-clip": Wrong(
        [*LTX, "--target-fps", "10"],
        "--target-fps 10 must be above the clip's 24 fps",
        {"model": "ltx-tiny", "target_fps": 10},
        "target_fps 10 must be above the clip's 24 fps",
        "target_fps",
        [*LTX, "--target-fps", "10"],
        "--target-fps 10 must be above the clip's 24 fps",
    ),
    "factor-and-rate": Wrong(
        [*LTX, "--interpolate", "2", "--target-fps", "60"],
        "give a factor (--interpolate) or a rate (--target-fps), not both",
        {"model": "ltx-tiny", "interpolate": 2, "target_fps": 60},
        "target_fps: give a factor (interpolate) or a rate (target_fps), not both",
        "target_fps",
        [*LTX, "--interpolate", "2", "--target-fps", "60"],
        "give a factor (--interpolate) or a rate (--target-fps), not both",
    ),
    "interpolator-unknown": Wrong(
        [*LTX, "--interpolate", "2", "--interpolator", "foo"],
        "--interpolator 'foo' is not known; valid: auto,",
        {"model": "ltx-tiny", "interpolate": 2, "interpolator": "foo"},
        "interpolator 'foo' is not known; valid: auto,",
        "interpolator",
        [*LTX, "--interpolate", "2", "--interpolator", "foo"],
        "--interpolator 'foo' is not known; valid: auto,",
    ),
    "interpolator-alone": Wrong(
        [*LTX, "--interpolator", "rife"],
        "--interpolator: picks how new frames are made; give a factor (--interpolate) or a rate (--target-fps) too",
        {"model": "ltx-tiny", "interpolator": "rife"},
        "interpolator: picks how new frames are made; give a factor (interpolate) or a rate (target_fps) too",
        "interpolator",
        [*LTX, "--interpolator", "rife"],
        "--interpolator: picks how new frames are made; give a factor (--interpolate) or a rate (--target-fps) too",
    ),
    "upscaler-alone": Wrong(
        [*LTX, "--upscaler", "lanczos"],
        "--upscaler: picks how frames are enlarged; give a factor (--upscale) too",
        {"model": "ltx-tiny", "upscaler": "lanczos"},
        "upscaler: picks how frames are enlarged; give a factor (upscale) too",
        "upscaler",
        [*LTX, "--upscaler", "lanczos"],
        "--upscaler: picks how frames are enlarged; give a factor (--upscale) too",
    ),
    "upscale-too-small": Wrong(
        [*LTX, "--upscale", "0.5"],
        "--upscale: 0.5 is too small",
        {"model": "ltx-tiny", "upscale": 0.5},
        "upscale: 0.5 is too small",
        "upscale",
        [*LTX, "--upscale", "0.5"],
        "--upscale: 0.5 is too small",
    ),
    "option-unknown": Wrong(
        [*LTX, "--option", "foo=1"],
        "--option foo is not a known field (LTX-Video options: decode_timestep",
        {"model": "ltx-tiny", "options": {"foo": 1}},
        "options.foo is not a known field (LTX-Video options: decode_timestep",
        "options.foo",
        [*LTX, "--option", "foo=1"],
        "--option foo is not a known field (LTX-Video options: decode_timestep",
    ),
    "lora-strength": Wrong(
        [*LTX, "--lora", "style.safetensors:9"],
        "LoRA 'style.safetensors:9': strength '9' is not from -5 to 5",
        {"model": "ltx-tiny", "loras": [{"name": "style.safetensors", "strength": 9}]},
        "loras[0].strength: 9 is too large",
        "loras[0].strength",
    ),
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("inputs")
    image, video = folder / "red.png", folder / "clip.mp4"
    Image.new("RGB", (64, 64), (200, 40, 40)).save(image)
    with av.open(str(video), "w") as out:
        stream = out.add_stream("libx264", rate=8)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for i in range(9):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), i * 20, np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return {"IMG": str(image), "VID": str(video)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API on loopback with no workers: a create is checked (and refused) as `reelgen serve` does."""
    with checking_only(tmp_path_factory.mktemp("doors") / "server") as url:
        yield url


def _with(args: list[str], inputs: dict[str, str]) -> list[str]:
    return [re.sub(r"\b(IMG|VID)\b", lambda m: inputs[m[1]], a) for a in args]


def _one_error_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    return lines[0].removeprefix("error: ")


def _cli_names_no_wire_field(line: str) -> None:
    named = [w for w in WIRE_ONLY if w in line]
    assert not named, f"a command-line user is told of {named}: {line}"


@pytest.mark.parametrize("name", WRONG)
def test_reelgen_generate_says_it_with_the_options_typed(
    name: str, inputs: dict[str, str], tmp_path: Path
) -> None:
    wrong = WRONG[name]
    out = tmp_path / "never.mp4"
    result = runner.invoke(cli_app, ["generate", "a fox", *_with(wrong.local, inputs), "-q", "-o", str(out)])
    assert result.exit_code == 2, result.output
    line = _one_error_line(result.output)
    assert line.startswith(wrong.local_says), line
    _cli_names_no_wire_field(line)
    assert not out.exists()


@pytest.mark.parametrize("name", [n for n, w in WRONG.items() if w.submit is not None])
def test_reelgen_submit_says_it_with_the_options_typed(
    name: str, inputs: dict[str, str], server: str
) -> None:
    wrong = WRONG[name]
    assert wrong.submit is not None and wrong.submit_says is not None
    result = runner.invoke(cli_app, ["submit", "a fox", *_with(wrong.submit, inputs), "--server", server])
    assert result.exit_code == 2, result.output
    line = _one_error_line(result.output)
    assert line.startswith(f"HTTP 400: {wrong.submit_says}"), line
    _cli_names_no_wire_field(line)
    assert not re.search(r" \((task|model|size)\)$", line), line  # no field appended that was never typed


@pytest.mark.parametrize("name", WRONG)
def test_the_api_says_it_with_its_body_fields(name: str, inputs: dict[str, str], server: str) -> None:
    wrong = WRONG[name]
    body = {"prompt": "a fox", **wrong.api}
    if wrong.files:
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        files = [
            (key, (Path(inputs[which]).name, Path(inputs[which]).read_bytes())) for key, which in wrong.files
        ]
        resp = httpx.post(f"{server}/v1/videos", data=form, files=files, timeout=30)
    else:
        resp = httpx.post(f"{server}/v1/videos", json=body, timeout=30)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["message"].startswith(wrong.api_says), error
    assert "\n" not in error["message"]
    assert error["param"] == wrong.api_param, error
    assert not re.search(r"(^|[\s(])--[a-z]", error["message"]), f"an API user is told of an option: {error}"
