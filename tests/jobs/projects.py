"""Helpers of the project-job tests (jobs, API, CLI): a small storyboard on tiny models, and comparing renders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import yaml
from PIL import Image

from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.jobs.helpers import wait_for

#: A title card, a one-window wan-tiny scene and a three-window wan-i2v-tiny scene, music under them.
FILM: dict[str, Any] = {
    "title": "Harbour Lights",
    "defaults": {"model": "wan-tiny", "width": 48, "height": 32, "fps": 8, "seed": 3},
    "scenes": [
        {
            "id": "opening",
            "title_card": {"text": "Harbour Lights"},
            "duration": 1.0,
            "transition": {"type": "fade", "duration": 0.5},
        },
        {
            "id": "boats",
            "prompt": "small boats rocking at night",
            "duration": 1.0,
            "transition": {"type": "dissolve", "duration": 0.5},
        },
        {
            "id": "pan",
            "prompt": "a slow pan along the quay",
            "model": "wan-i2v-tiny",
            "start_image": "assets/quay.png",
            "duration": 3.0,  # 24 frames at 8 fps: three 9-frame windows, each from the last frame
        },
    ],
    "soundtrack": {"file": "assets/sea.wav", "volume": 0.5},
}


def music(path: Path, seconds: float) -> Path:
    rate = 22050
    wave = (0.3 * np.sin(2 * np.pi * 220 * np.arange(round(seconds * rate)) / rate) * 32767).astype(np.int16)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(wave[None], format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


def picture(path: Path) -> Path:
    ramp = np.linspace(0, 255, 48, dtype=np.uint8)
    image = np.stack(
        [np.tile(ramp, (32, 1)), np.tile(ramp[:32, None], (1, 48)), np.full((32, 48), 90, np.uint8)], -1
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)
    return path


def make_film(folder: Path, data: dict[str, Any] | None = None) -> Path:
    """The film project (or ``data``) in ``folder``, with its start image and music in ``assets/``."""
    folder.mkdir(parents=True, exist_ok=True)
    picture(folder / "assets" / "quay.png")
    music(folder / "assets" / "sea.wav", 6.0)
    (folder / "project.yaml").write_text(yaml.safe_dump(data or FILM, sort_keys=False))
    return folder


def edit(folder: Path, change: Any) -> None:
    data = yaml.safe_load((folder / "project.yaml").read_text())
    change(data)
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def copy_film(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def assert_same_pictures(a: Path, b: Path) -> None:
    """Two clips show the same frames: same count and size, every frame within invisible rounding.

    Invisible: at least 35 dB PSNR per frame, closer than either clip is to the frames
    the model made (x264 at crf 18 keeps 33-37 dB of these tiny clips). Exact equality
    is too much to ask: two in-process renders of the long scene already differ a
    little (x264 now and then codes identical frames differently, and a window's
    last frame, read back from its MP4, starts the next).
    """
    x, y = frames(a).astype(np.float64), frames(b).astype(np.float64)
    assert x.shape == y.shape, f"{a.name}: {x.shape} frames against {y.shape}"
    mse = ((x - y) ** 2).reshape(len(x), -1).mean(axis=1)
    psnr = [99.0 if m == 0 else 10 * np.log10(255**2 / m) for m in mse]
    assert min(psnr) >= 35.0, f"{a.name}: frame PSNR {[round(p, 1) for p in psnr]}"


def streams(path: Path) -> dict[str, Any]:
    """What a player reports of a film: its streams, their codecs, frame count and durations."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        out: dict[str, Any] = {
            "video": (video.codec_context.name, video.codec_context.width, video.codec_context.height),
            "frames": sum(1 for _ in container.decode(video)),
            "fps": video.average_rate,
            "seconds": round(float(video.duration * video.time_base), 3) if video.duration else None,
            "audio": [(a.codec_context.name, a.codec_context.sample_rate) for a in container.streams.audio],
        }
    return out


@contextmanager
def reelgen_env(home: Path) -> Iterator[None]:
    """This session's reelgen home (tiny models built once) for module fixtures and the workers they start."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REELGEN_HOME", str(home))
        mp.setenv("REELGEN_MODELS_DIR", str(home / "models"))
        mp.setenv("OMP_NUM_THREADS", "1")
        yield


@contextmanager
def project_service(data_dir: Path, home: Path, **settings: Any) -> Iterator[JobService]:
    """A job service with one CPU worker whose environment is this session's reelgen home."""
    with reelgen_env(home):
        fields: dict[str, Any] = dict(
            engine="local",
            data_dir=data_dir,
            cpu_workers=1,
            preview_every=0,
            heartbeat_timeout_s=300.0,
            cancel_grace_s=30.0,
            max_attempts=2,
        )
        fields.update(settings)
        service = JobService(JobSettings(**fields))
        service.start()
        try:
            yield service
        finally:
            service.stop()


@contextmanager
def live_api(data_dir: Path, home: Path) -> Iterator[str]:
    """A real HTTP server (uvicorn, on loopback, in a thread) over a started job service; yields its URL."""
    import socket
    import threading

    import uvicorn

    from reelgen.api.app import create_app
    from reelgen.api.settings import ApiSettings

    with project_service(data_dir, home) as service:
        app = create_app(ApiSettings(jobs=service.settings, serve_web=False), service=service)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            wait_for(lambda: server.started or not thread.is_alive(), what="the test server to start")
            assert server.started, "the test server did not start"
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)
