"""An avatar job failed on the worker names the fields the request sent (image, video, audio, text,
face_index), not the core request's (start_image, source_video, speech_audio, speech_text, options.face_index)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.jobs.kinds import avatar as avatar_kind
from reelgen.jobs.kinds.base import WorkerContext
from tests.core.helpers import resolved


@pytest.mark.parametrize(
    ("core", "param", "sent", "wire"),
    [
        (
            "options.face_index 3 is out of range: 1 face found in the video, number 0",
            "options.face_index",
            "face_index 3 is out of range: 1 face found in the video, number 0",
            "face_index",
        ),
        (
            "start_image: the photo is an MP4/MOV video, not a photo",
            "start_image",
            "image: the photo is an MP4/MOV video, not a photo",
            "image",
        ),
        ("source_video: the video has no frames", "source_video", "video: the video has no frames", "video"),
        ("speech_audio: the voice is silent", "speech_audio", "audio: the voice is silent", "audio"),
        (
            "speech_text: the text takes 130 s to speak",
            "speech_text",
            "text: the text takes 130 s to speak",
            "text",
        ),
    ],
)
def test_a_worker_error_names_the_field_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, core: str, param: str, sent: str, wire: str
) -> None:
    face = tmp_path / "face.png"
    Image.new("RGB", (64, 64), (120, 90, 80)).save(face)
    voice = tmp_path / "voice.wav"
    import numpy as np

    from reelgen.core.speech.audio import write_wav
    from reelgen.core.types import Audio

    tone = 0.3 * np.sin(np.linspace(0, 440 * 2 * np.pi, 16000, dtype=np.float32))
    write_wav(voice, Audio(tone[None, :], 16000))
    request = resolved(model="reelgen-lipsync", start_image=str(face), speech_audio=str(voice))

    def render(*args: object, **kwargs: object) -> None:
        raise InvalidRequest(core, param=param)

    monkeypatch.setattr("reelgen.core.render.render", render)
    monkeypatch.setattr(avatar_kind, "make_room", lambda cache, payload: None)
    context = WorkerContext(tmp_path, Progress(), ModelCache(), "w0")
    with pytest.raises(InvalidRequest) as failed:
        avatar_kind.AvatarKind().run(request, context)
    assert failed.value.message == sent
    assert failed.value.param == wire
