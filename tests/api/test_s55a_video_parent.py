"""A batch's or shoot-out's item job, as ``/v1/videos`` shows it: ``parent_id``, ``parent_object`` and
``urls.parent`` say whose item it is (it read as a video made on its own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs import kinds
from reelgen.jobs.store import JobStore
from tests.api.openapi_once import openapi_of


@pytest.fixture
def client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_client: Callable[..., TestClient]
) -> TestClient:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_client()


def shootout_with_item(client: TestClient, folder: Path) -> tuple[str, str]:
    """A shoot-out and its item job, made as it is queued (no workers here: nothing runs)."""
    body = {"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(folder)}
    made = client.post("/v1/shootouts", json=body)
    assert made.status_code == 202, made.text
    store: JobStore = client.app.state.service.store  # type: ignore[attr-defined]
    (item,) = store.children(made.json()["id"])
    assert item.kind == kinds.RENDER
    return made.json()["id"], item.id


def test_an_item_job_names_its_shootout(client: TestClient, tmp_path: Path) -> None:
    shootout, item = shootout_with_item(client, tmp_path / "report")
    alone = client.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro"}).json()["id"]
    listed = {v["id"]: v for v in client.get("/v1/videos").json()["data"]}
    assert listed[item]["parent_id"] == shootout
    assert listed[item]["parent_object"] == "shootout"
    assert listed[item]["urls"]["parent"] == f"http://testserver/v1/shootouts/{shootout}"
    assert client.get(listed[item]["urls"]["parent"]).json()["id"] == shootout
    one = client.get(f"/v1/videos/{item}").json()
    assert (one["parent_id"], one["parent_object"], one["urls"]["parent"]) == (
        shootout,
        "shootout",
        listed[item]["urls"]["parent"],
    )
    assert (listed[alone]["parent_id"], listed[alone]["parent_object"], listed[alone]["urls"]["parent"]) == (
        None,
        None,
        None,
    )


def test_the_fields_are_in_the_openapi_schema(client: TestClient) -> None:
    schemas = openapi_of(client)["components"]["schemas"]
    video = schemas["VideoObject"]["properties"]
    assert "batch or shoot-out" in video["parent_id"]["description"]
    assert "batch or shootout" in video["parent_object"]["description"]
    assert "parent" in schemas["VideoUrls"]["properties"]
