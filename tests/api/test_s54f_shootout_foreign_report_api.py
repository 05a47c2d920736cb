"""POST /v1/shootouts refuses an output_folder whose results.json or report.html is not a shoot-out's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def test_a_results_file_of_the_persons_own_is_a_400(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "results.json").write_text('{"accuracy": 0.93}')
    body = {"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(folder)}
    resp = make_client().post("/v1/shootouts", json=body)
    # It was a 202; the job's first trial removed the file and its end wrote the report over it.
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "output_folder", error
    assert error["message"] == (
        f"output_folder: {folder} holds a results.json that is not a shoot-out's, and the report would "
        "replace it; move that file, or give another folder"
    )
    assert (folder / "results.json").read_text() == '{"accuracy": 0.93}'
