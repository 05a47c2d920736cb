"""``GET /v1/videos/{id}/content?variant=spritesheet``: a JPEG grid of frames sampled first to last, made
once from the video (as OpenAI's video API offers), through the routes, on disk and through the SDK."""

from __future__ import annotations

import io
import math
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import openai
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.types import Video
from reelgen.jobs import spritesheet
from reelgen.jobs.service import JobService
from tests.api.openapi_once import openapi_of
from tests.api.serving import serving
from tests.api.test_head import TINY, completed
from tests.jobs import conftest as jobs_fixtures
from tests.jobs.fakes import MODEL

jobtest_family = jobs_fixtures.jobtest_family
make_service = jobs_fixtures.make_service


def _service(client: TestClient) -> JobService:
    return client.app.state.service  # type: ignore[attr-defined]


def clip(count: int, width: int = 64, height: int = 48) -> bytes:
    """An MP4 whose frame ``i`` is grey level 8 + 11 i, so a cell showing a neighbouring frame is off by 11."""
    levels = np.array([8 + 11 * i for i in range(count)], dtype=np.uint8)
    frames = np.broadcast_to(levels[:, None, None, None], (count, height, width, 3))
    with tempfile.TemporaryDirectory() as folder:
        path = write_video(Video(np.ascontiguousarray(frames), Fraction(8)), Path(folder) / "clip.mp4")
        return path.read_bytes()


def finished_with(client: TestClient, data: bytes) -> str:
    """A completed video whose MP4 is ``data``, saved under its attempt as a worker saves one."""
    video = client.post("/v1/videos", json=TINY).json()
    service = _service(client)
    claimed = service.store.claim_next("worker-test", job_id=video["id"])
    assert claimed is not None and claimed.token is not None
    files = service.artifacts.save(video["id"], claimed.token, {"video": data})
    service.store.complete(video["id"], claimed.token, {"files": files})
    return str(video["id"])


def decoded(data: bytes) -> list[np.ndarray]:
    with av.open(io.BytesIO(data)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def cells_of(sheet: Image.Image, count: int, cell_h: int) -> list[np.ndarray]:
    pixels = np.asarray(sheet.convert("RGB"), dtype=np.float32)
    return [
        pixels[(i // 4) * cell_h : (i // 4 + 1) * cell_h, (i % 4) * 256 : (i % 4 + 1) * 256]
        for i in range(count)
    ]


def scaled(frame: np.ndarray, cell_h: int) -> np.ndarray:
    return np.asarray(
        Image.fromarray(frame).resize((256, cell_h), Image.Resampling.BILINEAR), dtype=np.float32
    )


@pytest.mark.parametrize(("frames", "shown"), [(21, 16), (6, 6)])
def test_the_sheet_is_a_jpeg_grid_of_frames_from_first_to_last(
    client: TestClient, frames: int, shown: int
) -> None:
    data = clip(frames)
    video_id = finished_with(client, data)
    resp = client.get(f"/v1/videos/{video_id}/content", params={"variant": "spritesheet"})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "image/jpeg"
    assert resp.headers["content-disposition"] == f'inline; filename="{video_id}.jpg"'
    sheet = Image.open(io.BytesIO(resp.content))
    assert sheet.format == "JPEG"
    cell_h = 192  # 64x48 frames, 256 px wide
    assert sheet.size == (4 * 256, math.ceil(shown / 4) * cell_h)

    source = decoded(data)
    # Evenly from the first frame to the last: 0, 1, 3, 4, 5, 7, ... 20 of 21; every frame of 6.
    wanted = [round(i * (frames - 1) / (shown - 1) + 1e-9) for i in range(shown)]
    assert wanted[0] == 0 and wanted[-1] == frames - 1 and len(set(wanted)) == shown
    for i, cell in enumerate(cells_of(sheet, shown, cell_h)):
        diff = float(np.abs(cell - scaled(source[wanted[i]], cell_h)).mean())
        assert diff < 4, (i, wanted[i], diff)
        for other in (wanted[i] - 1, wanted[i] + 1):
            if 0 <= other < frames:  # a cell showing the neighbouring frame would be about 11 off
                assert float(np.abs(cell - scaled(source[other], cell_h)).mean()) > diff + 5
    if shown % 4:  # the last row's empty cells are black
        corner = np.asarray(sheet.convert("L"))[-cell_h:, (shown % 4) * 256 :]
        assert corner.mean() < 2


def test_the_sheet_is_made_once_and_kept_beside_the_video(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    video_id = finished_with(client, clip(9))
    url = f"/v1/videos/{video_id}/content"
    first = client.get(url, params={"variant": "spritesheet"})
    assert first.status_code == 200, first.text
    video = _service(client).content(video_id)
    assert video is not None
    on_disk = video.with_name("spritesheet.jpg")
    assert on_disk.read_bytes() == first.content
    assert sorted(p.name for p in video.parent.iterdir()) == ["spritesheet.jpg", "video.mp4"]

    def no_rebuild(path: Path) -> bytes:
        raise AssertionError("the sheet was made again")

    monkeypatch.setattr(spritesheet, "render", no_rebuild)
    again = client.get(url, params={"variant": "spritesheet"})
    assert again.status_code == 200 and again.content == first.content
    part = client.get(url, params={"variant": "spritesheet"}, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == first.content[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(first.content)}"
    assert client.head(url, params={"variant": "spritesheet"}).headers["content-length"] == str(
        len(first.content)
    )

    # The video's own files are untouched: the MP4 still downloads as it was.
    assert client.get(url).content == video.read_bytes()
    client.delete(f"/v1/videos/{video_id}")
    assert not on_disk.exists()


def test_concurrent_first_requests_leave_one_whole_sheet(client: TestClient) -> None:
    video_id = finished_with(client, clip(17))
    answers: list[bytes] = []

    def ask() -> None:
        answers.append(
            client.get(f"/v1/videos/{video_id}/content", params={"variant": "spritesheet"}).content
        )

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4
    for answer in answers:
        assert Image.open(io.BytesIO(answer)).size == (1024, 4 * 192)
    folder = _service(client).content(video_id).parent  # type: ignore[union-attr]
    assert sorted(p.name for p in folder.iterdir()) == ["spritesheet.jpg", "video.mp4"]  # no hidden leftovers
    assert Image.open(folder / "spritesheet.jpg").size == (1024, 768)


def test_a_bad_variant_names_the_three_valid_ones(client: TestClient) -> None:
    video_id = finished_with(client, clip(5))
    resp = client.get(f"/v1/videos/{video_id}/content", params={"variant": "storyboard"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["param"] == "variant"
    assert "give one of video, thumbnail or spritesheet" in error["message"]


def test_an_unfinished_video_has_no_sheet_yet(client: TestClient) -> None:
    video = client.post("/v1/videos", json=TINY).json()
    resp = client.get(f"/v1/videos/{video['id']}/content", params={"variant": "spritesheet"})
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "video_not_ready"
    assert "its content exists once it is completed" in resp.json()["error"]["message"]


def test_a_removed_video_says_why_it_has_no_sheet(client: TestClient) -> None:
    service = _service(client)
    retained = finished_with(client, clip(5))
    service.artifacts.delete(retained)
    service.store.mark_data_removed(retained)
    resp = client.get(f"/v1/videos/{retained}/content", params={"variant": "spritesheet"})
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"the spritesheet of {retained} was removed (retention)"

    by_hand = finished_with(client, clip(5))
    path = service.content(by_hand)
    assert path is not None
    path.unlink()
    resp = client.get(f"/v1/videos/{by_hand}/content", params={"variant": "spritesheet"})
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "content_removed"
    assert resp.json()["error"]["message"].startswith(f"the video of {by_hand} is missing")
    assert not path.with_name("spritesheet.jpg").exists()


def test_a_video_that_cannot_be_decoded_says_so_and_leaves_no_sheet(client: TestClient) -> None:
    video = completed(client)  # its "MP4" is a header and noise
    resp = client.get(f"/v1/videos/{video['id']}/content", params={"variant": "spritesheet"})
    assert resp.status_code == 500
    error = resp.json()["error"]
    assert error["code"] == "spritesheet_failed"
    assert error["message"].startswith(f"video {video['id']}: the video could not be decoded")
    folder = _service(client).content(video["id"]).parent  # type: ignore[union-attr]
    assert str(folder) not in error["message"] and "video.mp4" not in error["message"]  # the server's path
    assert [p.name for p in folder.iterdir()] == ["video.mp4"]


def test_openapi_lists_the_three_variants(client: TestClient) -> None:
    route = openapi_of(client)["paths"]["/v1/videos/{video_id}/content"]["get"]
    (variant,) = [p for p in route["parameters"] if p["name"] == "variant"]
    assert variant["schema"]["enum"] == ["video", "thumbnail", "spritesheet"]
    assert "image/jpeg" in route["responses"]["200"]["content"]
    assert "spritesheet" in route["summary"]


@pytest.fixture
def server(make_service: Callable[..., JobService]) -> Iterator[str]:
    with serving(make_service()) as url:
        yield url


def test_the_sdk_downloads_the_sheet_of_a_video_a_worker_made(server: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "The Sora API is scheduled to shut down"
        sdk = openai.OpenAI(base_url=f"{server}/v1", api_key="unused")
        video = sdk.videos.create(prompt="a red fox", model=MODEL, extra_body={"num_frames": 9})
        done = _wait(sdk, video.id)
        assert done.status == "completed", done
        sheet = sdk.videos.download_content(video.id, variant="spritesheet")
        mp4 = sdk.videos.download_content(video.id).read()
    image = Image.open(io.BytesIO(sheet.read()))
    assert image.format == "JPEG" and image.size == (1024, 3 * 256)  # 9 frames of 32x32: 3 rows
    first, last = decoded(mp4)[0], decoded(mp4)[-1]
    cells = cells_of(image, 9, 256)
    assert float(np.abs(cells[0] - scaled(first, 256)).mean()) < 4
    assert float(np.abs(cells[8] - scaled(last, 256)).mean()) < 4


def _wait(sdk: openai.OpenAI, video_id: str) -> Any:
    deadline = time.monotonic() + 120
    while True:
        video = sdk.videos.retrieve(video_id)
        if video.status in ("completed", "failed", "cancelled") or time.monotonic() > deadline:
            return video
        time.sleep(0.2)
