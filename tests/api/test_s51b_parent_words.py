"""Batch and shoot-out refusals name the field as param does, say what is valid, and name the job kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

LONG = "x" * 3000


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _error(resp: Any) -> dict[str, Any]:
    assert resp.status_code == 400, resp.text
    return dict(resp.json()["error"])


def test_the_report_routes_refuse_a_long_id_as_the_shootouts_other_routes_do(client: TestClient) -> None:
    # They took any length and answered a 404, where GET /v1/shootouts/{id} answers a 400.
    said = _error(client.get(f"/v1/shootouts/{LONG}"))
    for tail in ("report", "results", "results.json"):
        assert _error(client.get(f"/v1/shootouts/{LONG}/{tail}")) == said
    assert said["param"] == "shootout_id" and "at most 64" in said["message"]


def test_a_missing_start_image_is_named_by_its_place(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    Image.new("RGB", (8, 8)).save(root / "a.png")
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox", "an owl"]},
        "images": [str(root / "a.png"), str(root / "gone.png")],
        "output_folder": str(root / "report"),
    }
    client = make_client()
    error = _error(client.post("/v1/shootouts", json=body))
    # It said "images: .../gone.png does not exist", not which of the images.
    assert error["param"] == "images[1]"
    assert error["message"] == f"images[1]: {root / 'gone.png'} does not exist"


@pytest.mark.parametrize("number", ["Infinity", "NaN"])
def test_a_priority_that_is_no_number_says_what_priority_takes(client: TestClient, number: str) -> None:
    body = '{"manifest": {"items": [{"output": "a"}]}, "input_folder": "/x", "priority": ' + number + "}"
    error = _error(client.post("/v1/batches", content=body, headers={"content-type": "application/json"}))
    assert error["param"] == "priority"
    assert error["message"] == (
        f"priority: {'inf' if number == 'Infinity' else 'nan'} is not a finite number; give a whole number of at least 0 "
        "(higher runs first; 0 is the default)"
    )


@pytest.mark.parametrize(
    ("items", "said"), [({"output": "a"}, "is one item, not a list"), ("a.png", "is not a list")]
)
def test_manifest_items_that_are_no_list_are_shown_a_list(
    make_client: Callable[..., TestClient], root: Path, items: Any, said: str
) -> None:
    body = {"manifest": {"items": items}, "input_folder": str(root)}
    error = _error(make_client().post("/v1/batches", json=body))
    # It said only "manifest.items: Input should be a valid list".
    assert error["param"] == "manifest.items"
    assert error["message"] == (
        f'manifest.items: {said}; give a list of items, e.g. [{{"output": "shot-001", "images": ["a.png"]}}, ...]'
    )


def test_repeated_prompt_ids_name_the_prompts_list(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    prompts = {"prompts": [{"id": "a", "prompt": "a fox"}, {"id": "a", "prompt": "an owl"}]}
    body = {"models": ["ltx-tiny"], "prompts": prompts, "output_folder": str(root / "report")}
    error = _error(make_client().post("/v1/shootouts", json=body))
    # The param was "prompts", the whole prompts object, not its list.
    assert error["param"] == "prompts.prompts"
    assert error["message"] == "prompts.prompts: prompt ids must differ; repeated: a"


def test_a_key_reused_across_kinds_says_what_the_first_job_is(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    client = make_client()
    key = {"Idempotency-Key": "k1"}
    body = {"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "r")}
    made = client.post("/v1/shootouts", json=body, headers=key)
    assert made.status_code == 202, made.text
    job = made.json()["id"]
    resp = client.post("/v1/videos", json={"model": "ltx-tiny", "prompt": "a fox"}, headers=key)
    assert resp.status_code == 409, resp.text
    # It said "already used for job video_...", which reads as a video GET /v1/videos does not have.
    assert resp.json()["error"]["message"] == (
        f"Idempotency-Key 'k1' was already used for the shoot-out {job} (GET /v1/shootouts/{job}) "
        "with a different request body; send that same request to get its job back, or use a new key"
    )
