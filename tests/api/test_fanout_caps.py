"""A batch holds at most 10,000 items and a shoot-out at most 1,000 prompts; more is refused in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout.spec import load_prompts


def test_a_batch_of_more_items_than_a_batch_holds_is_refused_before_anything_queues(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    items = [{"output": f"shot-{i}", "model": "wan-tiny"} for i in range(10_001)]
    resp = client.post("/v1/batches", json={"manifest": {"items": items}, "input_folder": str(tmp_path)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "manifest.items"
    assert "there are 10,001; a batch holds at most 10,000 items: split the manifest" in error["message"]
    assert client.get("/v1/batches").json()["data"] == []


def test_a_shootout_of_more_prompts_than_it_compares_is_refused(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    body = {
        "models": ["wan-tiny"],
        "prompts": {"prompts": [f"a fox, take {i}" for i in range(1_001)]},
        "output_folder": str(tmp_path / "report"),
    }
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "prompts.prompts"
    assert "there are 1,001; a shoot-out compares at most 1,000 prompts" in error["message"]


def test_a_prompts_file_of_a_line_too_many_says_how_many_it_takes(tmp_path: Path) -> None:
    path = tmp_path / "prompts.txt"
    path.write_text("".join(f"a fox, take {i}\n" for i in range(1_000)))
    assert len(load_prompts(path).prompts) == 1_000
    path.write_text("".join(f"a fox, take {i}\n" for i in range(1_001)))
    with pytest.raises(InvalidRequest, match="prompts: there are 1,001; a shoot-out compares at most 1,000"):
        load_prompts(path)
