"""Shoot-out and batch creates decode the input folder's images under the app's bound on concurrent decodes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.api import shootouts
from reelgen.core.batch import plan


def shootout(image: Path, out: Path) -> tuple[str, dict[str, Any]]:
    body = {"models": ["wan-i2v-tiny"], "prompts": {"prompts": ["a fox"]}, "images": [str(image)]}
    return "/v1/shootouts", {**body, "output_folder": str(out)}


def batch(image: Path, out: Path) -> tuple[str, dict[str, Any]]:
    item = {"output": "pan", "model": "ken-burns", "images": [image.name], "motion": {"preset": "pan-left"}}
    manifest = {"defaults": {"width": 32, "height": 32, "num_frames": 5, "fps": 8}, "items": [item]}
    return "/v1/batches", {"manifest": manifest, "input_folder": str(image.parent), "output_folder": str(out)}


@pytest.mark.parametrize(("create_body", "module"), [(shootout, shootouts), (batch, plan)])
def test_concurrent_creates_decode_one_image_at_a_time_under_a_bound_of_one(
    make_client: Callable[..., TestClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    create_body: Callable[[Path, Path], tuple[str, dict[str, Any]]],
    module: Any,
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client(max_concurrent_decodes=1)
    image = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (20, 90, 160)).save(image)
    decoding, most = 0, 0
    lock = threading.Lock()
    real = module.load_image

    def counted(path: Any, param: str = "image") -> Image.Image:
        nonlocal decoding, most
        with lock:
            decoding += 1
            most = max(most, decoding)
        time.sleep(0.15)  # long enough for the other creates to reach their decode
        with lock:
            decoding -= 1
        return real(path, param)

    monkeypatch.setattr(module, "load_image", counted)
    codes: list[int] = []
    start = threading.Barrier(4)

    def create(i: int) -> None:
        url, body = create_body(image, tmp_path / f"out-{i}")
        start.wait()
        resp = client.post(url, json=body)
        codes.append(resp.status_code)
        assert resp.status_code == 202, resp.text

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [202] * 4
    # Four at once, each in the thread pool: four full-size pictures held together before the bound.
    assert most == 1
