"""Enhancement over HTTP: a finished video or an upload made smoother and bigger as a job, and the CLI that asks."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.cli.client import sse_events
from reelgen.core.record import load_record
from reelgen.jobs.service import JobService
from tests.api.conftest import files_under
from tests.core.enhance_media import flat_png_clip
from tests.jobs.conftest import family_known, start_service
from tests.jobs.helpers import wait_for
from tests.jobs.test_enhance_kind import clip, decoded

FOX = {"model": "jobtest-tiny", "prompt": "a red fox"}  # 32x32, 5 frames at 8 fps


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The API over a started job service whose CPU worker renders the jobtest model: one for the
    module (one worker process); each test makes its own videos and waits for them to finish."""
    with family_known():
        service = start_service(tmp_path_factory.mktemp("enhance-live") / "jobs")
        try:
            settings = ApiSettings(jobs=service.settings, serve_web=False)
            with TestClient(create_app(settings, service=service), raise_server_exceptions=False) as client:
                yield client
        finally:
            service.stop()


def finished(client: TestClient, video_id: str) -> dict[str, Any]:
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    service.wait(video_id, timeout_s=300)
    video = dict(client.get(f"/v1/videos/{video_id}").json())
    assert video["status"] == "completed", video["error"]
    return video


def content(client: TestClient, video_id: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{video_id}.mp4"
    resp = client.get(f"/v1/videos/{video_id}/content")
    assert resp.status_code == 200 and resp.headers["content-type"] == "video/mp4"
    path.write_bytes(resp.content)
    return path


def error(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    return dict(resp.json()["error"])


# ---- the live paths ---------------------------------------------------------------------------


def test_a_render_enhanced_x2_through_the_api(live: TestClient, tmp_path: Path) -> None:
    render = live.post("/v1/videos", json=FOX).json()
    finished(live, render["id"])
    resp = live.post(f"/v1/videos/{render['id']}/enhance", json={"interpolate": 2, "interpolator": "flow"})
    assert resp.status_code == 202, resp.text
    video = resp.json()
    assert (video["num_frames"], video["fps"], video["size"]) == (9, 16.0, "32x32")
    assert video["enhanced_from_video_id"] == render["id"] and video["prompt"] == "a red fox"
    assert video["remixed_from_video_id"] is None  # an enhancement is no remix

    done = finished(live, video["id"])
    assert done["urls"]["content"].endswith(f"/v1/videos/{video['id']}/content")
    made = content(live, video["id"], tmp_path)
    assert decoded(made)[:3] == (9, Fraction(16), (32, 32))
    # As `reelgen download` names the first video by default, so a replay finds it beside this one.
    assert load_record(made)["source"]["path"] == f"{render['id']}.mp4"
    part = live.get(f"/v1/videos/{video['id']}/content", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.headers["content-range"].startswith("bytes 0-99/")

    events = list(sse_events(iter(live.get(f"/v1/videos/{video['id']}/events").text.split("\n"))))
    made_frames = [d for _, name, d in events if name == "progress" and d["stage"] == "interpolate"]
    # One step per place between two source frames (5 - 1), a made frame or, at a cut the tiny model's
    # noise-like frames may read as, a repeated one: the stream cannot know the cuts ahead. Progress
    # events are spaced in time, so on a loaded machine the last ones may fold into the completed event.
    steps = [m["step"] for m in made_frames]
    assert {m["total"] for m in made_frames} == {4} and steps == sorted(steps)
    assert events[-1][1] == "completed" and events[-1][2]["video"]["num_frames"] == 9
    listed = [v["id"] for v in live.get("/v1/videos").json()["data"]]
    assert video["id"] in listed and render["id"] in listed


def test_one_create_generates_then_interpolates_and_upscales(live: TestClient, tmp_path: Path) -> None:
    resp = live.post("/v1/videos", json={**FOX, "interpolate": 2, "upscale": 2, "upscaler": "lanczos"})
    assert resp.status_code == 202, resp.text
    video = resp.json()
    assert (video["num_frames"], video["fps"], video["size"]) == (9, 16.0, "64x64")
    finished(live, video["id"])
    assert decoded(content(live, video["id"], tmp_path))[:3] == (9, Fraction(16), (64, 64))


def test_an_uploaded_file_keeps_its_exact_rate_and_its_sound(live: TestClient, tmp_path: Path) -> None:
    source = clip(tmp_path / "holiday.mp4", frames=5)
    form = {"interpolate": "2", "interpolator": "flow", "upscale": "2", "upscaler": "lanczos"}
    resp = live.post("/v1/videos/enhance", data=form, files={"file": ("holiday.mp4", source.read_bytes())})
    assert resp.status_code == 202, resp.text
    video = resp.json()
    assert (video["num_frames"], video["size"], video["remixed_from_video_id"]) == (9, "96x64", None)
    assert video["model"] == "flow+lanczos"
    finished(live, video["id"])
    made = content(live, video["id"], tmp_path)
    assert decoded(made) == (9, Fraction(48000, 1001), (96, 64), True)
    # Its record names the upload as it was sent, not by the server's copy of it.
    assert load_record(made)["source"]["path"] == "holiday.mp4"


def test_an_odd_sized_upload_is_promised_and_delivered_at_even_sides(
    live: TestClient, tmp_path: Path
) -> None:
    # The encoder writes 65x47 as 66x48 (yuv420p); the job promised 65x47 and failed after all the work.
    source = flat_png_clip(tmp_path / "odd.mov", (60, 100, 140), 65, 47)
    form = {"interpolate": "2", "interpolator": "flow"}
    resp = live.post("/v1/videos/enhance", data=form, files={"file": ("odd.mov", source.read_bytes())})
    assert resp.status_code == 202, resp.text
    assert resp.json()["size"] == "66x48"
    finished(live, resp.json()["id"])
    assert decoded(content(live, resp.json()["id"], tmp_path))[:3] == (5, Fraction(48), (66, 48))


# ---- bad input, answered before anything queues ------------------------------------------------


def test_an_upscaler_is_a_name_never_a_server_path(client: TestClient) -> None:
    for path in ("/srv/models/4x.pth", "../weights/realesrgan.pth", "net.safetensors"):
        body = {"prompt": "a fox", "upscale": 2, "upscaler": path}
        err = error(client.post("/v1/videos", json=body), 400)
        assert (err["param"], err["code"]) == ("upscaler", "server_side_parameter")
        assert "lanczos" in err["message"] and "realesrgan-x4plus" in err["message"]
    err = error(client.post("/v1/videos", json={"prompt": "a fox", "upscale": 2, "upscaler": "magic"}), 400)
    assert err["param"] == "upscaler" and "valid: auto, esrgan, lanczos" in err["message"]
    upload = {"file": ("a.mp4", b"x")}
    err = error(
        client.post("/v1/videos/enhance", data={"upscale": "2", "upscaler": "/etc/x.pth"}, files=upload), 400
    )
    assert err["param"] == "upscaler"


def test_a_target_rate_too_small_to_be_a_rate_is_a_400_on_every_route(client: TestClient) -> None:
    # 5e-324 is above zero, so it passed the field's bound and then failed as a server error.
    err = error(client.post("/v1/videos", json={"prompt": "a fox", "target_fps": 5e-324}), 400)
    assert err["param"] == "target_fps" and "is not a frame rate" in err["message"]
    err = error(client.post("/v1/videos/video_none/enhance", json={"target_fps": 5e-324}), 400)
    assert err["param"] == "target_fps"


def test_bad_uploads_are_refused_naming_the_file_and_nothing_is_kept(
    client: TestClient, data_dir: Path, tmp_path: Path
) -> None:
    x2 = {"interpolate": "2"}
    err = error(
        client.post("/v1/videos/enhance", data=x2, files={"file": ("a.mp4", b"not a video" * 50)}), 400
    )
    assert err["param"] == "file" and "not a readable video" in err["message"]
    # An MP4 whose video track holds no frames: FFmpeg sees no video stream in it at all.
    empty = io.BytesIO()
    with av.open(clip(tmp_path / "in.mp4")) as src, av.open(empty, "w", format="mp4") as out:
        out.add_stream_from_template(src.streams.video[0])
        out.start_encoding()
    err = error(client.post("/v1/videos/enhance", data=x2, files={"file": ("e.mp4", empty.getvalue())}), 400)
    assert err["param"] == "file" and "video stream" in err["message"]
    err = error(client.post("/v1/videos/enhance", data=x2), 400)
    assert err["param"] == "file"
    good = {"file": ("in.mp4", clip(tmp_path / "ok.mp4").read_bytes())}
    err = error(client.post("/v1/videos/enhance", data={}, files=good), 400)
    assert err["param"] == "interpolate" and "nothing to do" in err["message"]
    err = error(client.post("/v1/videos/enhance", data={"target_fps": "12"}, files=good), 400)
    assert err["param"] == "target_fps" and "above" in err["message"]
    err = error(client.post("/v1/videos/enhance", data={"upscale": "nan"}, files=good), 400)
    assert err["message"] == "upscale: 'nan' is not a finite number; it takes a number above 1 and at most 8"
    assert files_under(data_dir / "inputs") == []  # the upload refused after saving went again


def test_only_a_completed_video_can_be_enhanced(client: TestClient, tmp_path: Path) -> None:
    queued = client.post("/v1/videos", json={"model": "wan-tiny", "prompt": "a fox", "num_frames": 9}).json()
    err = error(client.post(f"/v1/videos/{queued['id']}/enhance", json={"interpolate": 2}), 409)
    assert err["code"] == "video_not_ready" and "queued" in err["message"]
    err = error(client.post(f"/v1/videos/video_{'0' * 32}/enhance", json={"interpolate": 2}), 404)
    upload = {"file": ("in.mp4", clip(tmp_path / "in.mp4").read_bytes())}
    enhanced = client.post("/v1/videos/enhance", data={"interpolate": "2"}, files=upload).json()
    err = error(client.post(f"/v1/videos/{enhanced['id']}/remix", json={"prompt": "a cat"}), 400)
    assert err["code"] == "not_remixable" and "uploaded file" in err["message"]


def test_an_idempotent_retry_of_an_upload_returns_the_same_video(client: TestClient, tmp_path: Path) -> None:
    upload = {"file": ("in.mp4", clip(tmp_path / "in.mp4").read_bytes())}
    headers = {"Idempotency-Key": "holiday-x2"}
    first = client.post("/v1/videos/enhance", data={"interpolate": "2"}, files=upload, headers=headers)
    again = client.post("/v1/videos/enhance", data={"interpolate": "2"}, files=upload, headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"] and again.headers["Idempotent-Replayed"] == "true"
    other = client.post("/v1/videos/enhance", data={"interpolate": "4"}, files=upload, headers=headers)
    assert error(other, 409)["code"] == "idempotency_conflict"
    assert len(client.get("/v1/videos").json()["data"]) == 1


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


def test_submit_and_enhance_talk_to_a_server(server_url: str, live: TestClient, tmp_path: Path) -> None:
    runner = CliRunner()
    asked = ["submit", "a red fox", "--model", "jobtest-tiny", "--interpolate", "2", "--server", server_url]
    out = runner.invoke(cli_app, asked)
    assert out.exit_code == 0, out.output
    assert "32x32 9 frames @ 16.0 fps" in " ".join(out.output.split())  # the terminal may wrap the line
    video_id = out.output.split()[0]
    finished(live, video_id)

    bigger = tmp_path / "bigger.mp4"
    by_id = ["enhance", video_id, "-o", str(bigger), "--upscale", "2", "--upscaler", "lanczos"]
    out = runner.invoke(cli_app, [*by_id, "--server", server_url, "-q"])
    assert out.exit_code == 0, out.output
    assert decoded(bigger)[:3] == (9, Fraction(16), (64, 64))

    source, smooth = clip(tmp_path / "in.mp4", frames=4), tmp_path / "smooth.mp4"
    upload = [
        "enhance",
        str(source),
        "-o",
        str(smooth),
        "--target-fps",
        "48000/1001",
        "--interpolator",
        "flow",
    ]
    out = runner.invoke(cli_app, [*upload, "--server", server_url, "-q"])
    assert out.exit_code == 0, out.output
    assert decoded(smooth) == (7, Fraction(48000, 1001), (48, 32), True)


def test_an_upload_that_fades_in_from_black_is_enhanced_not_failed(live: TestClient, tmp_path: Path) -> None:
    # Its black frames were taken for a model's NaN and the job failed after all the work.
    source = flat_png_clip(tmp_path / "fade.mov", (0, 0, 0, 90, 180), 64, 48)
    form = {"interpolate": "2", "interpolator": "flow"}
    resp = live.post("/v1/videos/enhance", data=form, files={"file": ("fade.mov", source.read_bytes())})
    assert resp.status_code == 202, resp.text
    finished(live, resp.json()["id"])
    assert decoded(content(live, resp.json()["id"], tmp_path))[:3] == (9, Fraction(48), (64, 48))


def test_an_empty_idempotency_key_is_refused_on_every_route_that_takes_one(
    client: TestClient, tmp_path: Path
) -> None:
    # /v1/videos refused it; the enhance, avatar and batch routes stored "" as a key every such client shared.
    upload = {"file": ("in.mp4", clip(tmp_path / "in.mp4").read_bytes())}
    empty = {"Idempotency-Key": " "}
    answers = [
        client.post("/v1/videos/enhance", data={"interpolate": "2"}, files=upload, headers=empty),
        client.post("/v1/videos", json={"model": "wan-tiny", "prompt": "a fox"}, headers=empty),
        client.post("/v1/avatars", data={"text": "hi"}, headers=empty),
        client.post("/v1/batches", json={}, headers=empty),
    ]
    for resp in answers:
        err = error(resp, 400)
        assert err["param"] == "Idempotency-Key" and "Idempotency-Key is empty" in err["message"], (
            resp.request.url
        )


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        ({"interpolator": "flow"}, "interpolator", "give a factor (interpolate) or a rate (target_fps) too"),
        ({"upscaler": "lanczos"}, "upscaler", "give a factor (upscale) too"),
    ],
)
def test_a_method_without_its_factor_is_said_alike_on_create_and_on_enhance(
    client: TestClient, tmp_path: Path, fields: dict[str, str], param: str, says: str
) -> None:
    """/v1/videos/enhance had its own wording ("interpolator needs interpolate (a factor) or target_fps")."""
    created = error(client.post("/v1/videos", json={"prompt": "a fox", **fields}), 400)
    good = {"file": ("in.mp4", clip(tmp_path / "ok.mp4").read_bytes())}
    enhanced = error(client.post("/v1/videos/enhance", data=fields, files=good), 400)
    assert created["param"] == enhanced["param"] == param
    assert says in created["message"] and created["message"] == enhanced["message"]
