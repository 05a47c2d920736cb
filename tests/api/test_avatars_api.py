"""Talking avatars over HTTP: a photo and a voice (or text) queued as an ``avatar`` job, waited for, or refused."""

from __future__ import annotations

import base64
import io
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import uvicorn
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.cli.client import sse_events
from reelgen.core.record import load_record
from reelgen.core.speech.audio import write_wav
from reelgen.core.speech.tts import speak
from reelgen.core.types import Audio
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.api.conftest import files_under
from tests.jobs.helpers import wait_for

FPS = 25


@pytest.fixture(scope="module")
def face() -> bytes:
    """scikit-image's astronaut: a real photo with one frontal face."""
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="PNG")
    return buf.getvalue()


def wav_bytes(audio: Audio) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return write_wav(Path(folder) / "voice.wav", audio).read_bytes()


@pytest.fixture(scope="module")
def voice() -> bytes:
    """Half a second of real speech from the bundled Piper voice (a dozen frames), as a WAV file."""
    return wav_bytes(speak("Hi.").audio)


@pytest.fixture(scope="module")
def live(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The API over a started job service with one CPU worker, shared by this module's live tests: one
    worker process starts and loads musetalk-tiny once, not once a test (about 10 s of the suite)."""
    folder = tmp_path_factory.mktemp("avatars")
    with pytest.MonkeyPatch.context() as env:
        # The worker inherits the environment it starts in, before any test's own: the session's reelgen
        # home, and no downloaded weights (as each test's private folders have none).
        env.setenv("REELGEN_HOME", str(reelgen_home))
        env.setenv("REELGEN_MODELS_DIR", str(folder / "models"))
        env.setenv("HF_HUB_CACHE", str(folder / "hf-cache"))
        settings = JobSettings(
            engine="local",
            data_dir=folder / "jobs",
            cpu_workers=1,
            preview_every=1,
            heartbeat_timeout_s=60.0,
            cancel_grace_s=20.0,
            max_attempts=2,
        )
        service = JobService(settings)
        service.start()
        try:
            api = ApiSettings(jobs=service.settings, serve_web=False)
            with TestClient(create_app(api, service=service), raise_server_exceptions=False) as client:
                yield client
        finally:
            service.stop()


def error(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    return dict(resp.json()["error"])


def mp4_facts(data: bytes) -> tuple[int, float, float]:
    """Frames, video frame rate and audio seconds of an MP4 (an AssertionError if it has no sound)."""
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.audio, "the avatar has no soundtrack"
        rate = float(container.streams.video[0].average_rate)
        frames = sum(1 for _ in container.decode(video=0))
    with av.open(io.BytesIO(data)) as container:
        samples = sum(f.samples for f in container.decode(audio=0))
        seconds = samples / container.streams.audio[0].rate
    return frames, rate, seconds


def within_a_frame(frames: int, audio_seconds: float) -> bool:
    return abs(frames / FPS - audio_seconds) <= 1 / FPS + 0.03  # AAC adds a few ms of priming


# ---- the live paths ---------------------------------------------------------------------------


def test_a_spoken_text_on_a_photo_becomes_a_talking_video(
    live: TestClient, face: bytes, tmp_path: Path
) -> None:
    form = {"text": "Hello.", "model": "musetalk-tiny"}
    resp = live.post("/v1/avatars", data=form, files={"image": ("me.png", face, "image/png")})
    assert resp.status_code == 202, resp.text
    video = resp.json()
    assert (video["object"], video["prompt"], video["fps"], video["size"]) == (
        "video",
        "Hello.",
        25.0,
        "512x512",
    )
    assert video["parameters"]["task"] == "avatar" and video["parameters"]["input_reference"]
    service: JobService = live.app.state.service  # type: ignore[attr-defined]
    job = service.wait(video["id"], timeout_s=300)
    assert job.kind == "avatar" and job.status.value == "completed", job.error

    got = live.get(f"/v1/videos/{video['id']}/content")
    assert got.status_code == 200 and got.headers["content-type"] == "video/mp4"
    frames, rate, audio_seconds = mp4_facts(got.content)
    assert (frames, rate) == (video["num_frames"], 25.0)
    assert within_a_frame(frames, audio_seconds)  # the clip lasts as long as the spoken text
    kept = tmp_path / "avatar.mp4"
    kept.write_bytes(got.content)
    assert load_record(kept)["inputs"]["start_image"]["path"] == "me.png"  # as sent, not the server's copy

    events = list(sse_events(iter(live.get(f"/v1/videos/{video['id']}/events").text.split("\n"))))
    lipsync = [data for _, name, data in events if name == "progress" and data["stage"] == "lipsync"]
    assert lipsync[-1]["step"] == lipsync[-1]["total"] == frames  # progress counted in frames
    assert events[-1][1] == "completed"
    assert video["id"] in [v["id"] for v in live.get("/v1/videos").json()["data"]]
    err = error(live.post(f"/v1/videos/{video['id']}/remix", json={"prompt": "a cat"}), 400)
    assert err["code"] == "not_remixable" and "/v1/avatars" in err["message"]


def test_generate_avatar_answers_the_mp4_and_its_sync(live: TestClient, face: bytes, voice: bytes) -> None:
    body = {
        "audio": base64.b64encode(voice).decode(),
        "image": base64.b64encode(face).decode(),
        "model": "musetalk-tiny",  # random weights: the mouth moves, so there is a correlation to measure
    }
    resp = live.post("/generate-avatar", json=body)
    assert resp.status_code == 200, resp.text
    answer = resp.json()
    frames, _, audio_seconds = mp4_facts(base64.b64decode(answer["video"]))
    assert within_a_frame(frames, audio_seconds)
    assert answer["model"] == "musetalk-tiny" and answer["faces_found"] == 1
    stored = live.app.state.service.get(answer["job_id"]).result["avatar"]  # type: ignore[attr-defined]
    assert isinstance(answer["sync"], float) and -1 <= answer["sync"] <= 1
    assert answer["sync"] == stored["sync"]  # what the worker measured on the frames it made


# ---- refused before anything queues ------------------------------------------------------------


def test_bad_faces_and_voices_are_400s_naming_the_field(
    client: TestClient, face: bytes, voice: bytes, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wall = io.BytesIO()
    Image.fromarray(np.full((200, 300, 3), 90, np.uint8)).save(wall, format="PNG")
    as_files: Callable[..., dict[str, Any]] = lambda **given: {k: (k, v) for k, v in given.items()}  # noqa: E731

    err = error(client.post("/v1/avatars", files=as_files(audio=voice, image=wall.getvalue())), 400)
    assert err["param"] == "image" and "no face found" in err["message"]
    tiny = io.BytesIO()
    Image.open(io.BytesIO(face)).resize((40, 40)).save(tiny, format="PNG")
    err = error(client.post("/v1/avatars", files=as_files(audio=voice, image=tiny.getvalue())), 400)
    assert err["param"] == "image" and "the photo is 40x40 pixels" in err["message"]  # was "no face found"
    other = client.post("/v1/avatars", data={"model": "wan-tiny"}, files=as_files(audio=voice, image=face))
    err = error(other, 400)
    assert err["param"] == "model" and "'wan-tiny' is not a talking-avatar model" in err["message"]
    err = error(client.post("/v1/avatars", files=as_files(audio=b"RIFF not a wav" * 40, image=face)), 400)
    assert err["param"] == "audio" and "not a readable audio file" in err["message"]
    assert "Errno" not in err["message"] and "<none>" not in err["message"]  # FFmpeg's reason, in words
    silence = wav_bytes(Audio(np.zeros((1, 16000), np.float32), 16000))
    err = error(client.post("/v1/avatars", files=as_files(audio=silence, image=face)), 400)
    assert err["param"] == "audio" and "silent" in err["message"]
    err = error(
        client.post("/v1/avatars", data={"face_index": "2"}, files=as_files(audio=voice, image=face)), 400
    )
    assert (
        err["param"] == "face_index"
        and "1 face found in " in err["message"]
        and err["message"].endswith(", number 0")
    )
    err = error(
        client.post("/v1/avatars", data={"text": "Привет, как дела?"}, files=as_files(image=face)), 400
    )
    assert err["param"] == "text" and "Cyrillic" in err["message"]
    err = error(client.post("/v1/avatars", data={"text": "Hi", "voice": "/srv/x.onnx"}), 400)
    assert err["param"] == "voice" and "en_US-joe-medium" in err["message"]
    err = error(client.post("/v1/avatars", files=as_files(image=face)), 400)
    assert err["param"] == "audio" and "needs a voice" in err["message"]
    clip = io.BytesIO()
    with av.open(clip, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=25, width=64, height=64)
        for frame in [av.VideoFrame.from_ndarray(np.full((64, 64, 3), 90, np.uint8), format="rgb24")]:
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    err = error(client.post("/v1/avatars", files=as_files(audio=voice, image=clip.getvalue())), 400)
    assert err["param"] == "image" and "is an MP4/MOV video, not a photo" in err["message"]
    assert "send it as `video`" in err["message"]
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "0.25")
    err = error(client.post("/generate-avatar", json={"audio": base64.b64encode(voice).decode()}), 400)
    assert err["param"] == "audio" and "at most 0.25 s" in err["message"]
    err = error(client.post("/v1/avatars", data={"text": "Good morning to you all."}), 400)
    assert err["param"] == "text" and "the text takes" in err["message"]  # it blamed `audio`, never sent
    err = error(client.post("/generate-avatar", json={"text": "Hi", "video": "AAAA"}), 400)
    assert err["param"] == "video" and "POST /v1/avatars" in err["message"]  # not "not a known field"
    err = error(client.post("/generate-avatar", json={"audio": "%%% not base64"}), 400)
    assert err["param"] == "audio"
    err = error(
        client.post("/v1/avatars", data={"image": "face.png", "text": "Hi"}), 400
    )  # -F image=face.png
    assert err["param"] == "image" and "is a file: upload it in a multipart form" in err["message"]
    err = error(
        client.post("/v1/avatars", json={"text": "Hi", "audio": base64.b64encode(voice).decode()}), 400
    )
    assert err["param"] == "audio" and "POST /generate-avatar takes audio and image" in err["message"]

    assert client.get("/v1/videos").json()["data"] == []
    assert files_under(data_dir / "inputs") == []  # every upload kept for the check went again


def test_generate_avatar_gives_up_waiting_with_a_504_naming_the_job(
    make_client: Callable[..., TestClient], voice: bytes
) -> None:
    client = make_client(wait_timeout_s=0.01)  # no workers run here: the job stays queued
    resp = client.post("/generate-avatar", json={"audio": base64.b64encode(voice).decode()})
    err = error(resp, 504)
    video_id = resp.headers["Location"].rsplit("/", 1)[-1]
    assert err["code"] == "timeout" and video_id in err["message"]
    queued = client.get(f"/v1/videos/{video_id}").json()
    assert queued["status"] == "queued" and queued["parameters"]["task"] == "avatar"
    assert queued["parameters"]["input_reference"]  # the default presenter's photo stood in
    job = client.app.state.service.get(video_id)  # type: ignore[attr-defined]
    # The record named it "start_image.png", a file the person never had, so a replay could not find it.
    assert job.payload["start_image"].endswith("-default-presenter.png")


def test_an_idempotent_retry_returns_the_same_avatar(client: TestClient, face: bytes, voice: bytes) -> None:
    files = {"audio": ("v.wav", voice), "image": ("f.png", face)}
    headers = {"Idempotency-Key": "hello-1"}
    first = client.post("/v1/avatars", data={"model": "musetalk-tiny"}, files=files, headers=headers)
    again = client.post("/v1/avatars", data={"model": "musetalk-tiny"}, files=files, headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    other = client.post("/v1/avatars", data={"model": "reelgen-lipsync"}, files=files, headers=headers)
    assert error(other, 409)["code"] == "idempotency_conflict"


# ---- the CLI against a running server --------------------------------------------------------


@pytest.fixture
def server_url(live: TestClient) -> Iterator[str]:
    """The live app served over loopback HTTP, as `reelgen serve` does."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(
            live.app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, timeout_s=60, what="the HTTP server")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def test_the_cli_makes_an_avatar_on_a_server(
    server_url: str, live: TestClient, face: bytes, voice: bytes, tmp_path: Path
) -> None:
    (tmp_path / "face.png").write_bytes(face)
    (tmp_path / "voice.wav").write_bytes(voice)
    out = tmp_path / "talk.mp4"
    asked = ["avatar", "--image", str(tmp_path / "face.png"), "--audio", str(tmp_path / "voice.wav")]
    result = CliRunner().invoke(cli_app, [*asked, "-o", str(out), "--server", server_url, "-q"])
    assert result.exit_code == 0, result.output
    frames, _, audio_seconds = mp4_facts(out.read_bytes())
    assert within_a_frame(frames, audio_seconds)
    made = live.get("/v1/videos").json()["data"][0]
    assert made["model"] == "reelgen-lipsync"  # no model asked: the built-in one (MuseTalk is not cached)
    refused = CliRunner().invoke(cli_app, [*asked, "--fps", "30", "--server", server_url])
    assert refused.exit_code == 2 and "--fps" in refused.output
