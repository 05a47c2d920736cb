"""``POST /v1/batches`` with an output folder that is a file says so and asks for a folder, as the CLI does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

MANIFEST = {
    "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}},
    "items": [{"output": "a", "images": ["a.png"]}],
}


@pytest.mark.parametrize("under", ["", "sub"])
def test_an_output_folder_that_is_a_file_is_a_400_asking_for_a_folder(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, under: str
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "b.png").write_bytes(b"not a folder")
    out = tmp_path / "b.png" / under if under else tmp_path / "b.png"
    client = make_client()
    body = {"manifest": MANIFEST, "input_folder": str(tmp_path), "output_folder": str(out)}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "output_folder"
    assert f"{tmp_path / 'b.png'}" in error["message"] and "is a file" in error["message"]
    assert "give a folder for the outputs" in error["message"]
    assert client.get("/v1/batches").json()["data"] == []
    assert (tmp_path / "b.png").read_bytes() == b"not a folder"


@pytest.mark.parametrize("given", ["", "renders"])
def test_an_output_folder_that_is_not_absolute_is_a_400_not_a_folder_under_the_input(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    body = {"manifest": MANIFEST, "input_folder": str(tmp_path), "output_folder": given}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "output_folder"
    assert f"{given!r} must be an absolute path on the server" in error["message"]
    assert "leave it out for the manifest's output_dir (outputs)" in error["message"]
    assert client.get("/v1/batches").json()["data"] == []
    assert not (tmp_path / "renders").exists()


def test_a_batch_name_holding_a_control_character_is_a_400_naming_it(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    body = {"manifest": MANIFEST, "input_folder": str(tmp_path), "name": "shots\x1b[31m"}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "name"
    assert (
        error["message"] == "name: holds the control character U+001B; give a plain name, e.g. manifest.json"
    )
    assert client.get("/v1/batches").json()["data"] == []
