"""POST /v1/batches and /v1/shootouts refuse a lone UTF-16 surrogate anywhere in the body with a 400 naming it.

A keyframe path or start image holding one was a 500 (UnicodeEncodeError) once made a path; metadata
holding one was stored, and every later ``GET /v1/batches`` (or ``/v1/shootouts``) answered 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

HALF = "\udce9"  # JSON writes it "\udce9": what a script leaves of a file name that is not UTF-8
SAID = "holds half of a character"


def _post(client: TestClient, url: str, body: dict[str, Any]) -> httpx.Response:
    """``body`` sent as JSON with its lone surrogates escaped (``\\udce9``), as a JSON library writes them
    (the test client's own ``json=`` cannot encode one)."""
    return client.post(url, content=json.dumps(body), headers={"content-type": "application/json"})


@pytest.fixture
def client(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_client()


def _batch(tmp_path: Path, defaults: dict[str, Any], item: dict[str, Any], **body: Any) -> dict[str, Any]:
    manifest = {"defaults": {"model": "ltx-tiny", **defaults}, "items": [{"output": "x", **item}]}
    return {
        "manifest": manifest,
        "input_folder": str(tmp_path),
        "output_folder": str(tmp_path / "out"),
        **body,
    }


@pytest.mark.parametrize(
    ("defaults", "item", "extra", "param"),
    [
        ({}, {"images": [f"caf{HALF}.png"]}, {}, "manifest.items[0].images[0]"),
        ({"output_dir": f"o{HALF}"}, {}, {"output_folder": None}, "manifest.defaults.output_dir"),
        ({"variables": {"a": HALF}, "prompt": "{a}"}, {}, {}, "manifest.defaults.variables.a"),
        ({}, {}, {"metadata": {"k": HALF}}, "metadata.k"),
    ],
)
def test_a_batch_with_half_a_character_is_a_400_naming_the_field(
    client: TestClient,
    tmp_path: Path,
    defaults: dict[str, Any],
    item: dict[str, Any],
    extra: dict[str, Any],
    param: str,
) -> None:
    resp = _post(client, "/v1/batches", _batch(tmp_path, defaults, item, **extra))
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == param and error["message"].startswith(f"{param} {SAID}"), error
    assert not (tmp_path / "out").exists()
    # Nothing was stored that the list cannot show.
    listed = client.get("/v1/batches")
    assert listed.status_code == 200 and listed.json()["data"] == []


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"prompts": {"prompts": [{"prompt": "a", "image": f"caf{HALF}.png"}]}}, "prompts.prompts[0].image"),
        ({"images": [f"/caf{HALF}.png"]}, "images[0]"),
        ({"metadata": {"k": HALF}}, "metadata.k"),
    ],
)
def test_a_shootout_with_half_a_character_is_a_400_naming_the_field(
    client: TestClient, tmp_path: Path, body: dict[str, Any], param: str
) -> None:
    sent = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox"]},
        "input_folder": str(tmp_path),
        "output_folder": str(tmp_path / "report"),
        **body,
    }
    resp = _post(client, "/v1/shootouts", sent)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == param and error["message"].startswith(f"{param} {SAID}"), error
    listed = client.get("/v1/shootouts")
    assert listed.status_code == 200 and listed.json()["data"] == []


def test_whole_characters_outside_the_basic_plane_are_taken(client: TestClient, tmp_path: Path) -> None:
    body = _batch(tmp_path, {"prompt": "caf\u00e9 \U0001f600", "variables": {"a": "\U0001f98a"}}, {})
    resp = _post(client, "/v1/batches", body)
    assert resp.status_code == 202, resp.text
