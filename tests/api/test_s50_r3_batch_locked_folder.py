"""A batch sent to a folder an in-process `reelgen batch` holds is a 409 at once, not a job that fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.core.batch.lock import LOCK_FILE, folder_held


def _body(root: Path) -> dict[str, Any]:
    manifest = {"defaults": {"model": "ltx-tiny", "prompt": "a fox"}, "items": [{"output": "a"}]}
    return {"manifest": manifest, "input_folder": str(root), "output_folder": str(root / "outputs")}


def test_a_folder_an_in_process_batch_holds_is_refused_at_once(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    out = tmp_path / "outputs"
    with folder_held(out, "/data/night.yaml"):
        refused = client.post("/v1/batches", json=_body(tmp_path))
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["param"] == "output_folder" and error["code"] == "folder_in_use"
        assert error["message"].startswith(
            f"output_folder {out}: another batch is writing its clips and summary there now "
            "(/data/night.yaml, process "
        )
        assert error["message"].endswith("or set another output_folder")
        assert client.get("/v1/batches").json()["data"] == []  # no job queued to fail later
        assert (out / LOCK_FILE).exists()  # the probe left the holder's lock file alone
    # Free again once that run ends: the same request is queued.
    assert client.post("/v1/batches", json=_body(tmp_path)).status_code == 202


def test_a_lock_file_no_run_holds_does_not_refuse(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    # A run killed before it removed its lock file holds nothing (the lock went with its process).
    stale = tmp_path / "outputs" / LOCK_FILE
    stale.parent.mkdir(parents=True)
    stale.write_text('{"pid": 1, "host": "h", "since": "then", "source": ""}')
    client = make_client()
    assert client.post("/v1/batches", json=_body(tmp_path)).status_code == 202


def test_a_retry_whose_first_request_started_meanwhile_is_its_replay_not_a_409(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that timed out while a large batch was planned retries with its Idempotency-Key; the first
    request's job is made, and holds the folder, while the retry is planned: the retry is that job."""
    from reelgen.api import batches
    from reelgen.jobs.store import fingerprint

    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    service = client.app.state.service  # type: ignore[attr-defined]
    planned = batches.batch_payload
    made: list[str] = []

    def first_made_meanwhile(body: batches.BatchCreate) -> batches.BatchPayload:
        payload = planned(body)
        job, _ = service.submit_or_replay(
            payload,
            kind=batches.BATCH,
            priority=body.priority,
            idempotency_key="k1",
            body_fingerprint=fingerprint({"batch": body.model_dump(mode="json")}),
            metadata=body.metadata,
        )
        made.append(job.id)
        return payload

    monkeypatch.setattr(batches, "batch_payload", first_made_meanwhile)
    with folder_held(tmp_path / "outputs", "server batch job (the first request's)"):
        retry = client.post("/v1/batches", json=_body(tmp_path), headers={"Idempotency-Key": "k1"})
    assert retry.status_code == 200, retry.text
    assert retry.json()["id"] == made[0]
