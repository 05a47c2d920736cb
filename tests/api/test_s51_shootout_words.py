"""What ``POST /v1/shootouts`` and a shoot-out's routes say of a wrong ``models`` or id: the field, and what to give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

TAKES = 'give 1 to 32 model names to compare, e.g. ["ltx-tiny", "wan-tiny"] (GET /v1/models lists them)'


@pytest.fixture
def body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return {"prompts": {"prompts": ["a fox"]}, "output_folder": str(tmp_path / "report")}


@pytest.mark.parametrize(
    ("models", "said"),
    [
        # The CLI's -m value sent as it is: "Input should be a valid list".
        ("ltx-tiny,wan-tiny", '"ltx-tiny,wan-tiny" names several models in one text; give each its own, '),
        # ... or as one name: "unknown model 'ltx-tiny,wan-tiny'; did you mean ...".
        (
            ["ltx-tiny, wan-tiny"],
            '"ltx-tiny, wan-tiny" names several models in one text; give each its own, ',
        ),
        ("ltx-tiny", f'"ltx-tiny" is not a list; {TAKES}'),
        # "models[0]: Input should be a valid string".
        (["ltx-tiny", 7], f"7 is not a model name; {TAKES}"),
    ],
)
def test_models_not_given_as_a_list_of_names_is_told_how_to_give_them(
    client: TestClient, body: dict[str, Any], models: Any, said: str
) -> None:
    resp = client.post("/v1/shootouts", json={**body, "models": models})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "models" and error["message"].startswith(f"models: {said}")
    if "several" in said:
        assert error["message"].endswith('e.g. ["ltx-tiny", "wan-tiny"]')
    assert client.get("/v1/shootouts").json()["data"] == []


def test_no_such_shoot_out_is_said_as_its_other_messages_say_it(client: TestClient) -> None:
    """It read "no shootout 'video_...'", where every other message says shoot-out."""
    gone = "video_" + "0" * 32
    for path in (f"/v1/shootouts/{gone}", f"/v1/shootouts/{gone}/report", f"/v1/shootouts/{gone}/items"):
        resp = client.get(path)
        assert resp.status_code == 404, resp.text
        assert resp.json()["error"] == {
            "message": f"no shoot-out {gone!r}",
            "type": "invalid_request_error",
            "param": "shootout_id",
            "code": "not_found",
        }
