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
