"""The ``enhance`` job kind: a video file in, the promised clip out of a worker, with progress per frame."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.enhance.auto import interpolation_step, upscale_step
from reelgen.core.errors import InvalidRequest
from reelgen.core.types import Audio, Video
from reelgen.jobs import kinds
from reelgen.jobs.kinds.enhance import enhance_payload
from reelgen.jobs.records import JobStatus
from reelgen.jobs.service import JobService
from tests.jobs import fakes, shared_service

# One service for the tests that need no settings or database of their own (tests/jobs/shared_service.py).
module_family = shared_service.module_family
jobtest_family = shared_service.jobtest_family
shared = shared_service.shared

NTSC = Fraction(24000, 1001)
X2_THEN_BIGGER = [interpolation_step(2, None, "flow"), upscale_step(2, "lanczos")]


def clip(path: Path, frames: int = 5, sound: bool = True) -> Path:
    """A small moving gradient at 24000/1001 fps, with a tone when ``sound``."""
    y, x = np.mgrid[0:32, 0:48]
    images = np.stack(
        [np.stack([(x * 5 + 9 * i) % 256, y * 7, np.full_like(x, 90)], -1) for i in range(frames)]
    )
    seconds = frames / NTSC
    t = np.arange(int(48000 * seconds)) / 48000
    audio = Audio((0.3 * np.sin(2 * np.pi * 440 * t))[None].astype(np.float32), 48000) if sound else None
    return write_video(Video(images.astype(np.uint8), NTSC, audio), path)


def decoded(path: Path) -> tuple[int, Fraction, tuple[int, int], bool]:
    """Frame count, exact rate, size and whether there is sound, as a player reads the file."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return (
            frames,
            Fraction(stream.average_rate),
            (stream.width, stream.height),
            bool(container.streams.audio),
        )


def test_the_payload_promises_the_enhanced_clip_before_anything_runs(tmp_path: Path) -> None:
    payload = enhance_payload(clip(tmp_path / "in.mp4"), X2_THEN_BIGGER)
    assert (payload.width, payload.height, payload.frames, payload.fps) == (48, 32, 5, "24000/1001")
    assert [s.name for s in payload.steps] == ["flow", "lanczos"]
    facts = kinds.get(kinds.ENHANCE).facts(payload)
    assert (facts.width, facts.height, facts.num_frames) == (96, 64, 9)
    assert Fraction(facts.fps or 0).limit_denominator(1001) == Fraction(48000, 1001)
    assert kinds.get(kinds.ENHANCE).input_files(payload) == [("source", payload.source)]


def test_a_render_that_interpolates_shows_the_clip_it_delivers(jobtest_family: None) -> None:
    render = kinds.get(kinds.RENDER)
    plain, smooth = render.facts(fakes.resolved()), render.facts(fakes.resolved(interpolate=2, upscale=2))
    assert (plain.width, plain.num_frames, plain.fps) == (32, 5, 8.0)
    assert (smooth.width, smooth.height, smooth.num_frames, smooth.fps) == (64, 64, 9, 16.0)


def test_bad_sources_and_empty_chains_are_refused_naming_the_field(tmp_path: Path) -> None:
    garbage = tmp_path / "notes.mp4"
    garbage.write_bytes(b"this is not a video at all" * 40)
    with pytest.raises(InvalidRequest, match="not a readable video") as bad:
        enhance_payload(garbage, X2_THEN_BIGGER, param="file")
    assert bad.value.param == "file"
    with pytest.raises(InvalidRequest, match="nothing to do") as empty:
        enhance_payload(clip(tmp_path / "in.mp4"), [])
    assert empty.value.param == "interpolate"
    with pytest.raises(InvalidRequest, match="above the clip's") as slow:
        enhance_payload(clip(tmp_path / "in2.mp4"), [interpolation_step(None, 12.0, "flow")])
    assert slow.value.param == "target_fps"


def test_an_enhance_job_runs_on_a_worker_and_delivers_the_promised_clip(
    shared: JobService, tmp_path: Path
) -> None:
    service = shared
    source = clip(tmp_path / "in.mp4", frames=5)
    job = service.submit(enhance_payload(source, X2_THEN_BIGGER), kind=kinds.ENHANCE)
    assert (job.num_frames, job.size) == (9, "96x64")

    done = service.wait(job.id, timeout_s=300)
    assert done.status is JobStatus.COMPLETED, done.error
    video = service.content(done.id)
    assert video is not None
    assert decoded(video) == (9, Fraction(48000, 1001), (96, 64), True)
    record = json.loads(Path(str(service.content(done.id, "metadata"))).read_text())
    assert record["stages"] == ["flow", "lanczos"] and record["audio"] == "copied"
    assert service.content(done.id, "thumbnail") is not None

    progress = [e.data for e in service.events(done.id) if e.type == "progress"]
    upscaled = [d["step"] for d in progress if d["stage"] == "upscale" and d["step"]]
    assert upscaled == list(range(1, 10))  # one report per output frame
    made = [d for d in progress if d["stage"] == "interpolate"]
    assert (made[-1]["step"], made[-1]["total"]) == (4, 4)  # the 4 new frames between 5


def test_black_frames_are_excused_only_where_the_source_was_black(tmp_path: Path) -> None:
    from reelgen.jobs.kinds.enhance import EnhancePayload, _unexplained

    source = tmp_path / "fade.mp4"
    frames = np.stack([np.full((32, 32, 3), level, np.uint8) for level in (0, 120, 200)])
    write_video(Video(frames, Fraction(8)), source)
    steps = (interpolation_step(2, None, "flow"),)
    payload = EnhancePayload(source=str(source), width=32, height=32, frames=3, fps="8", steps=steps)
    # x2: output j shows source position j/2; 0 and 1 sit on the black frame 0, 3 between two lit ones.
    assert _unexplained([0, 1, 3], payload, payload.output_shape()) == [3]


def test_a_phone_clip_stored_sideways_is_promised_and_delivered_upright(
    shared: JobService, tmp_path: Path
) -> None:
    # The job said 96x64 (the stored size) while the MP4 it made, like `reelgen enhance`'s, plays 64x96.
    source = tmp_path / "portrait.mp4"
    with av.open(str(source), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 48, 32, "yuv420p"
        stream.set_display_rotation(90)
        for k in range(3):
            frame = av.VideoFrame.from_ndarray(np.full((32, 48, 3), 60 + 40 * k, np.uint8), format="rgb24")
            frame.pts = k
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    service = shared
    job = service.submit(enhance_payload(source, [upscale_step(2, "lanczos")]), kind=kinds.ENHANCE)
    assert job.size == "64x96"

    done = service.wait(job.id, timeout_s=300)
    assert done.status is JobStatus.COMPLETED, done.error
    video = service.content(done.id)
    assert video is not None
    with av.open(str(video)) as container:
        frame = next(container.decode(container.streams.video[0]))
    assert (frame.width, frame.height, frame.rotation) == (96, 64, 90)  # stored sideways, shown 64x96
    assert done.size == "64x96"
