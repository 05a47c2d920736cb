"""Images over HTTP are taken in the formats a local run takes: BMP, GIF and TIFF too."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.core.media import load_image
from reelgen.jobs import kinds
from tests.api.test_edge import FORM


def image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 40, 40)).save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "suffix"), [("BMP", ".bmp"), ("GIF", ".gif"), ("TIFF", ".tif")])
def test_a_start_image_a_local_run_takes_is_taken(client: TestClient, fmt: str, suffix: str) -> None:
    files = {"input_reference": (f"fox{suffix}", image(fmt))}
    resp = client.post("/v1/videos", data=FORM, files=files)
    # It was 400 "input_reference: a TIFF image is not taken here; valid formats: JPEG, PNG, WEBP".
    assert resp.status_code == 202, resp.text
    stored = kinds.payload_of(client.app.state.service.get(resp.json()["id"]))  # type: ignore[attr-defined]
    kept = Path(stored.start_image)
    assert kept.suffix == suffix and kept.read_bytes() == image(fmt)
    assert load_image(kept).size == (48, 32)  # what the worker reads it with


def test_a_format_no_run_takes_still_names_the_valid_ones(client: TestClient) -> None:
    files = {"input_reference": ("fox.ico", image("ICO"))}
    resp = client.post("/v1/videos", data=FORM, files=files)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "input_reference: an ICO image is not taken here; valid formats: JPEG, PNG, WEBP, BMP, GIF, TIFF"
    )
