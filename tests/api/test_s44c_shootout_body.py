"""Bad shoot-out and batch bodies get one line saying what was wrong and what is valid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

PROMPTS = {"prompts": ["a fox"]}


def _shootout(client: TestClient, root: Path, **fields: Any) -> Any:
    body = {"models": ["ltx-tiny"], "prompts": PROMPTS, "output_folder": str(root / "report"), **fields}
    return client.post("/v1/shootouts", json=body)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("under", ["", "sub"])
def test_an_output_folder_that_is_a_file_is_named_as_a_file(
    make_client: Callable[..., TestClient], root: Path, under: str
) -> None:
    (root / "a.png").write_bytes(b"not a folder")
    out = root / "a.png" / under if under else root / "a.png"
    client = make_client()
    resp = _shootout(client, root, output_folder=str(out))
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "output_folder"
    assert f"{root / 'a.png'}" in error["message"] and "is a file; give a folder" in error["message"]
    assert client.get("/v1/shootouts").json()["data"] == []
    assert (root / "a.png").read_bytes() == b"not a folder"


@pytest.mark.parametrize("metadata", [{"k" * 65: "v"}, {"k": "v" * 513}, {str(i): "v" for i in range(17)}])
@pytest.mark.parametrize("endpoint", ["shootouts", "batches"])
def test_metadata_past_the_videos_limits_is_refused_in_their_words(
    make_client: Callable[..., TestClient], root: Path, metadata: dict[str, str], endpoint: str
) -> None:
    client = make_client()
    if endpoint == "shootouts":
        resp = _shootout(client, root, metadata=metadata)
    else:
        manifest = {"defaults": {"model": "ken-burns"}, "items": [{"output": "a", "images": ["a.png"]}]}
        body = {"manifest": manifest, "input_folder": str(root), "metadata": metadata}
        resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "metadata"
    assert error["message"] == "metadata: metadata holds at most 16 keys of 64 chars with values of 512 chars"
    assert client.get(f"/v1/{endpoint}").json()["data"] == []


@pytest.mark.parametrize(
    ("priority", "said"),
    [
        (-1, "priority: -1 is below 0"),
        ("x", "priority: 'x' is text"),
        (1.5, "1.5 is not a whole number"),
        (None, "null"),
    ],
)
def test_a_bad_priority_says_what_priority_takes(
    make_client: Callable[..., TestClient], root: Path, priority: Any, said: str
) -> None:
    resp = _shootout(make_client(), root, priority=priority)
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert said in message and "give a whole number of at least 0" in message


def test_a_priority_over_the_cap_names_the_range(make_client: Callable[..., TestClient], root: Path) -> None:
    resp = _shootout(make_client(max_priority=10), root, priority=11)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].endswith("give a whole number from 0 to 10")


@pytest.mark.parametrize("count", [0, 33])
def test_no_models_or_too_many_say_how_many_to_give(
    make_client: Callable[..., TestClient], root: Path, count: int
) -> None:
    resp = _shootout(make_client(), root, models=["ltx-tiny"] * count)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "models"
    assert error["message"].startswith(f"models: {count} given; give 1 to 32 model names to compare")
    assert "after validation" not in error["message"]


def test_a_cancelled_shootouts_report_says_it_never_comes(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    client = make_client()
    created = _shootout(client, root)
    assert created.status_code == 202, created.text
    shootout_id = created.json()["id"]
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").json()["status"] == "cancelled"
    for what in ("report", "results"):
        resp = client.get(f"/v1/shootouts/{shootout_id}/{what}")
        assert resp.status_code == 409, resp.text
        message = resp.json()["error"]["message"]
        assert "ended without a report" in message and "run the shoot-out again" in message
        assert "once it is completed" not in message


@pytest.mark.parametrize(
    ("price", "said"),
    [
        (-1, "-1 is below 0"),
        ("x", "'x' is text, not a number"),
        ([2], "[2] is not a number"),
        (True, "true is not"),
    ],
)
@pytest.mark.parametrize("endpoint", ["shootouts", "batches"])
def test_a_bad_price_says_what_a_price_is(
    make_client: Callable[..., TestClient], root: Path, price: Any, said: str, endpoint: str
) -> None:
    client = make_client()
    if endpoint == "shootouts":
        resp = _shootout(client, root, price_per_gpu_hour=price)
    else:
        manifest = {"defaults": {"model": "ken-burns"}, "items": [{"output": "a", "images": ["a.png"]}]}
        body = {"manifest": manifest, "input_folder": str(root), "price_per_gpu_hour": price}
        resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "price_per_gpu_hour"
    assert error["message"].startswith(f"price_per_gpu_hour: {said}")
    assert "give a number of at least 0" in error["message"]
