"""``GET /v1/batches?after=`` (and ``/v1/shootouts``) with the id of a batch or shoot-out deleted since pages
on from its place, as ``/v1/videos`` does for a deleted video; it was a 400 "no batch ... to continue
from", breaking the "list, delete each, ask for the next page" cleanup loop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _batch(client: TestClient, root: Path, n: int) -> str:
    folder = root / f"shots{n}"
    folder.mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"prompt": "a fox", "output": "fox"}]}
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(folder)})
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


def _shootout(client: TestClient, root: Path, n: int) -> str:
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / f"r{n}")}
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


@pytest.mark.parametrize(("path", "make"), [("batches", _batch), ("shootouts", _shootout)])
def test_a_deleted_parent_still_marks_its_place(
    any_db_client: TestClient, root: Path, path: str, make: Callable[[TestClient, Path, int], str]
) -> None:
    client = any_db_client
    made = [make(client, root, n) for n in range(3)]
    # The cleanup loop: list a page of one, delete what it showed, ask for the page after it.
    first = client.get(f"/v1/{path}", params={"limit": 1}).json()
    assert [p["id"] for p in first["data"]] == [made[2]]
    assert client.delete(f"/v1/{path}/{made[2]}").status_code == 200
    page = client.get(f"/v1/{path}", params={"after": first["last_id"], "limit": 1})
    assert page.status_code == 200, page.text
    assert [p["id"] for p in page.json()["data"]] == [made[1]]
    asc = client.get(f"/v1/{path}", params={"after": made[2], "order": "asc"})
    assert asc.status_code == 200 and asc.json()["data"] == []


def test_a_deleted_batch_is_not_a_shootout_of_the_list(client: TestClient, root: Path) -> None:
    batch = _batch(client, root, 0)
    assert client.delete(f"/v1/batches/{batch}").status_code == 200
    resp = client.get("/v1/shootouts", params={"after": batch})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        f"after: {batch!r} was a batch (GET /v1/batches), deleted since, not a shoot-out of this list; "
        "after takes the id of a shoot-out GET /v1/shootouts listed (its last_id, for the next page), or "
        "leave after out for the first page"
    )
