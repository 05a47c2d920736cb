"""A job's failure names its inputs as the person sent them, never as the worker's scratch copies."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgen.core.encode import write_video
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.spec.resolve import resolve
from reelgen.core.speech.audio import write_wav
from reelgen.core.speech.tts import speak
from reelgen.core.types import Video, to_fraction
from reelgen.jobs import kinds
from reelgen.jobs.events import RunError
from reelgen.jobs.worker import VideoWorker, pack_inputs
from tests.jobs.fakes import resolved

JOB = "video_" + "2" * 32


def test_a_broken_start_image_is_named_as_the_start_image_not_input_0(
    worker: VideoWorker, tmp_path: Path
) -> None:
    image = tmp_path / "holiday.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not a picture" * 10)
    render = kinds.worker(kinds.RENDER)
    request = resolved(start_image=str(image))
    *_, end = worker.run(JOB, kinds.RENDER, render.dump(request), pack_inputs(render, request))
    assert isinstance(end, RunError), end
    assert "the start image file is not a readable image" in end.message
    assert "input-" not in end.message and str(tmp_path / "scratch") not in end.message


def test_a_dub_of_a_video_with_no_face_says_so_of_the_video(worker: VideoWorker, tmp_path: Path) -> None:
    # The face is looked for in a video's frames only on the worker: "no face found in input-0.mp4",
    # the worker's own copy of the upload, gone once the job ended.
    wall = np.full((25, 128, 128, 3), 140, np.uint8)  # a second of a grey wall
    video = write_video(Video(wall, to_fraction(25.0)), tmp_path / "wall.mp4")
    voice = write_wav(tmp_path / "voice.wav", speak("Hello.").audio)
    request = resolve(
        GenerationRequest(
            model="musetalk-tiny", task="avatar", source_video=str(video), speech_audio=str(voice)
        )
    )
    avatar = kinds.worker("avatar")
    *_, end = worker.run(JOB, "avatar", avatar.dump(request), pack_inputs(avatar, request))
    assert isinstance(end, RunError), end
    assert end.message.startswith("no face found in the video;"), end.message
