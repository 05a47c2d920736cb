"""A shoot-out sent to a folder an in-process `reelgen shootout` holds is a 409 at once, not a job that fails.

It was a 202 whose job had already failed (folder_in_use), where the same for a batch is a 409 with no job.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.core.shootout.lock import LOCK_FILE, report_folder_held


def _body(root: Path) -> dict[str, Any]:
    return {"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "compare")}


def test_a_folder_an_in_process_shootout_holds_is_refused_at_once(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    out = tmp_path / "compare"
    with report_folder_held(out, "shootout prompts.yaml"):
        refused = client.post("/v1/shootouts", json=_body(tmp_path))
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["param"] == "output_folder" and error["code"] == "folder_in_use"
        assert error["message"].startswith(
            f"output_folder {out}: another shoot-out is writing its clips and report there now "
            "(shootout prompts.yaml, process "
        ), error
        assert client.get("/v1/shootouts").json()["data"] == []  # no job made to fail at once
        assert (out / LOCK_FILE).exists()  # the probe left the holder's lock file alone
    # Free again once that run ends: the same request is queued.
    assert client.post("/v1/shootouts", json=_body(tmp_path)).status_code == 202


def test_a_lock_file_no_run_holds_does_not_refuse(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    # A run killed before it removed its lock file holds nothing (the lock went with its process).
    stale = tmp_path / "compare" / LOCK_FILE
    stale.parent.mkdir(parents=True)
    stale.write_text('{"pid": 1, "host": "h", "since": "then", "source": ""}')
    assert make_client().post("/v1/shootouts", json=_body(tmp_path)).status_code == 202
