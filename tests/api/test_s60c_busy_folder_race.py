"""Two batches (or shoot-outs) sent at once to one output folder: one is taken, the other is the 409
a later one gets. Both were answered 202, as each looked for a busy folder before either was stored."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings
from tests.api.serving import serving_app


def _bodies(root: Path) -> dict[str, dict[str, Any]]:
    (root / "shots").mkdir()
    return {
        "/v1/batches": {
            "manifest": {"defaults": {"model": "wan-tiny"}, "items": [{"output": "fox", "prompt": "a fox"}]},
            "input_folder": str(root / "shots"),
            "output_folder": str(root / "out"),
        },
        "/v1/shootouts": {
            "models": ["wan-tiny"],
            "prompts": {"prompts": ["a fox"]},
            "output_folder": str(root / "report"),
        },
    }


@pytest.mark.parametrize("route", ["/v1/batches", "/v1/shootouts"])
def test_two_creates_at_once_into_one_folder_take_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    body = _bodies(tmp_path)[route]
    app = create_app(
        ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False), start_service=False
    )
    service = app.state.service
    store = service.submit_or_replay

    def slow_store(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)  # a busy database: the other create looks for the folder's job meanwhile
        return store(*args, **kwargs)

    monkeypatch.setattr(service, "submit_or_replay", slow_store)
    answers: list[httpx.Response] = []
    with serving_app(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        sends = [
            threading.Thread(target=lambda: answers.append(client.post(route, json=body))) for _ in range(2)
        ]
        for send in sends:
            send.start()
        for send in sends:
            send.join()
        assert sorted(a.status_code for a in answers) == [202, 409], [a.text for a in answers]
        taken = next(a for a in answers if a.status_code == 202).json()["id"]
        error = next(a for a in answers if a.status_code == 409).json()["error"]
        assert error["code"] == "folder_in_use" and taken in error["message"]
        assert [job["id"] for job in client.get(route).json()["data"]] == [taken]
