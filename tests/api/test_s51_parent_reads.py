"""A batch's items, its planned ends and its list's ``after`` are each worked out once, not on every read:
a live stream (``reelgen batch --server``) reads the items every second."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.api import fanout
from reelgen.api.parent_counts import ItemErrors
from reelgen.jobs import kinds
from reelgen.jobs.kinds import batch as batch_kind
from reelgen.jobs.kinds.batch import BatchKind
from reelgen.jobs.kinds.kenburns import KenBurnsKind
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.service import JobService
from tests.api.test_s50_batch3_live_item_words import WORKER_SAID
from tests.jobs.batch_cases import DEFAULTS, ITEMS, make_shots


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Calls of ``owner.name`` from now on, counted (it still does what it did)."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_a_failed_items_words_are_worked_out_once(
    client: TestClient, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read of the items parsed the whole manifest and each failed Ken Burns item's payload again."""
    shots = root / "shots"
    shots.mkdir()
    Image.new("RGB", (320, 180), (3, 3, 3)).save(shots / "dark.png")
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "viability_threshold": 0},
        "items": [
            {"output": name, "images": ["dark.png"], "width": 64, "height": 36, "num_frames": 2}
            for name in ("night", "dusk")
        ],
    }
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(shots)})
    assert resp.status_code == 202, resp.text
    batch_id = resp.json()["id"]
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    night = next(c for c in service.children(batch_id) if c.child_key == "night")
    started = service.store.claim_next("worker-test", job_id=night.id)
    assert started is not None
    service.store.fail(night.id, started.token, "invalid_request", WORKER_SAID)

    manifests = _counted(monkeypatch, BatchKind, "parse")
    payloads = _counted(monkeypatch, KenBurnsKind, "parse")
    said = f"items[0].images[0]: {shots / 'dark.png'} is black"
    for _ in range(3):
        items = {i["key"]: i for i in client.get(f"/v1/batches/{batch_id}/items").json()["data"]}
        assert items["night"]["error"]["message"].startswith(said), items["night"]
        assert items["dusk"]["error"] is None
    assert (len(manifests), len(payloads)) == (1, 1)


def test_planned_ends_are_made_once_not_on_every_get(client: TestClient, root: Path) -> None:
    """Each GET of a running batch made its planned failures and skips again from the whole plan."""
    shots = make_shots(root / "shots")
    items = [i for i in ITEMS if i["output"] in ("pan", "outside", "blurred")]
    resp = client.post(
        "/v1/batches", json={"manifest": {"defaults": DEFAULTS, "items": items}, "input_folder": str(shots)}
    )
    assert resp.status_code == 202, resp.text
    made: list[int] = []
    real = batch_kind._outcome
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_kind, "_outcome", lambda *a: made.append(1) or real(*a))
        for _ in range(3):
            batch = client.get(f"/v1/batches/{resp.json()['id']}").json()
            assert {p["output"] for p in batch["planned_ends"]} == {"outside", "blurred"}
    assert made == []


def test_a_page_from_an_unknown_id_asks_what_it_is_once(
    client: TestClient, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /v1/batches?after=<no such job> looked up what the id was twice."""
    asked = _counted(monkeypatch, fanout, "refuse_other_kinds")
    for path, noun in (("batches", "batch"), ("shootouts", "shoot-out")):
        resp = client.get(f"/v1/{path}", params={"after": "video_gone"})
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["message"].startswith(f"after: no {noun} 'video_gone' to continue from")
    assert len(asked) == 2


def test_what_is_kept_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Payloads (a batch's whole manifest) and errors kept for every parent ever read grew without end."""
    parsed: list[int] = []

    class Counting:
        def parse(self, data: dict[str, Any]) -> dict[str, Any]:
            parsed.append(data["n"])
            return data

        def item_error(self, payload: dict[str, Any], child: Job) -> dict[str, Any]:
            assert child.error is not None
            return {**child.error, "message": f"item {payload['n']}: {child.error['message']}"}

    monkeypatch.setattr(kinds, "parent", lambda name: Counting())

    def parent(n: int) -> Job:
        return cast(Job, SimpleNamespace(id=f"p{n}", kind="batch", payload={"n": n}))

    def failed(name: str) -> Job:
        error = {"code": "generation_failed", "message": "boom"}
        return cast(Job, SimpleNamespace(id=name, status=JobStatus.FAILED, terminal=True, error=error))

    kept = ItemErrors(parents=2)
    for n in range(3):
        assert kept.of(parent(n), [failed(f"c{n}")]) == [
            {"code": "generation_failed", "message": f"item {n}: boom"}
        ]
    assert kept.of(parent(2), [failed("c2")])[0] is not None and parsed == [0, 1, 2]  # kept: not parsed again
    kept.of(parent(0), [failed("c9")])  # p0 was let go for p1 and p2: parsed again
    assert parsed == [0, 1, 2, 0]
    assert list(kept._parents) == ["p2", "p0"]  # their errors let go with them
