"""A batch's or shoot-out's server path holding a name over 255 bytes is a 400 naming its field; every
look at such a path (exists, is_dir, mkdir) raised "File name too long", a 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

LONG = "a" * 300


def _cases(root: Path) -> list[tuple[str, dict[str, Any], str]]:
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"output": "fox", "prompt": "a fox"}]}
    with_image = {**manifest, "items": [{"output": "fox", "prompt": "a fox", "images": [LONG + ".png"]}]}
    shots, prompts = str(root / "shots"), {"prompts": ["a fox"]}
    return [
        (
            "/v1/batches",
            {"manifest": manifest, "input_folder": shots, "output_folder": str(root / LONG)},
            "output_folder",
        ),
        ("/v1/batches", {"manifest": manifest, "input_folder": str(root / LONG)}, "input_folder"),
        ("/v1/batches", {"manifest": with_image, "input_folder": shots}, "manifest.items[0].images[0]"),
        (
            "/v1/shootouts",
            {"models": ["wan-tiny"], "prompts": prompts, "output_folder": str(root / LONG)},
            "output_folder",
        ),
        (
            "/v1/shootouts",
            {
                "models": ["wan-tiny"],
                "prompts": prompts,
                "output_folder": str(root / "r"),
                "images": [str(root / LONG)],
            },
            "images[0]",
        ),
    ]


@pytest.mark.parametrize("case", range(5))
def test_a_name_over_255_bytes_is_refused_naming_its_field(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: int
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    route, body, field = _cases(tmp_path)[case]
    resp = client.post(route, json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == field
    assert error["message"] == (
        f"{field}: {LONG[:40]!r}... is {len(LONG) + (4 if field.startswith('manifest') else 0)} bytes long, "
        "and a folder or file name may have at most 255; give a shorter one"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["server", "shots"]  # no folder made for it


def test_a_batch_name_over_255_bytes_is_refused_up_front(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 200 accented letters (the limit is 200 characters) were taken, and the batch failed at once with an
    # internal error: its name is looked for as the manifest's file, and no disk takes 400 bytes.
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"output": "fox", "prompt": "a fox"}]}
    body = {"manifest": manifest, "input_folder": str(tmp_path / "shots"), "name": "\u00e9" * 200}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        "message": "name: is 400 bytes long (UTF-8), and a name may hold at most 255, as a file name may; "
        "give a shorter one",
        "type": "invalid_request_error",
        "param": "name",
        "code": "invalid_value",
    }
    assert client.get("/v1/batches").json()["data"] == []
    taken = client.post("/v1/batches", json={**body, "name": "\u00e9" * 127})  # 254 bytes
    assert taken.status_code == 202 and taken.json()["status"] != "failed", taken.text


@pytest.mark.parametrize("route", ["/v1/batches", "/v1/shootouts"])
def test_a_folder_path_over_4095_bytes_is_refused_naming_its_field(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    # Twenty names of 250 bytes: each within a name's limit, under 4096 characters, 5,000 bytes in all.
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    deep = tmp_path.joinpath(*["\u00e9" * 125] * 20)
    bodies = {case[0]: case[1] for case in _cases(tmp_path)[::3]}  # a batch's and a shoot-out's body
    resp = client.post(route, json={**bodies[route], "output_folder": str(deep)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    size = len(str(deep).encode())
    assert error["param"] == "output_folder"
    assert error["message"] == (
        f"output_folder: the path is {size:,} bytes long (UTF-8), and a path on the server may hold at "
        "most 4,095; give a shorter one"
    )
