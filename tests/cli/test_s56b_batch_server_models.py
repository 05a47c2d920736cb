"""``reelgen batch --server`` checks the manifest's models against the server's list (GET /v1/models) and
refuses an unknown one naming the item, before anything is sent to be queued."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, remote
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"


@pytest.fixture
def asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each request the command made of an in-process server, as ``METHOD path``."""
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    seen: list[str] = []
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as client:

        class Kept:  # the command closes its client after each request; this app stays up
            def __enter__(self) -> Kept:
                return self

            def __exit__(self, *exc: object) -> None:
                pass

            def request(self, method: str, path: str, **kwargs: Any) -> Any:
                seen.append(f"{method} {path}")
                return client.request(method, path, **kwargs)

        monkeypatch.setattr(remote, "_client", lambda *a, **k: Kept())
        yield seen


def _manifest(tmp_path: Path, model: str) -> Path:
    for name in ("a", "b"):
        Image.new("RGB", (64, 64), (200, 100, 50)).save(tmp_path / f"{name}.png")
    manifest = tmp_path / "manifest.json"
    items = [{"images": ["a.png"], "output": "a"}, {"images": ["b.png"], "output": "b", "model": model}]
    manifest.write_text(
        json.dumps({"version": 1, "defaults": {"model": "ltx-tiny", "prompt": "a fox"}, "items": items})
    )
    return manifest


def _batch(manifest: Path) -> Any:
    return CliRunner().invoke(
        app, ["batch", str(manifest), "-q", "--server", SERVER], env={"REELGEN_API_KEY": None}
    )


def test_an_unknown_model_is_refused_naming_the_item_before_anything_is_sent(
    tmp_path: Path, asked: list[str]
) -> None:
    manifest = _manifest(tmp_path, "ltx-tiyn")
    result = _batch(manifest)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert said.startswith(
        f"error: manifest {manifest}: items[1].model: unknown model 'ltx-tiyn' on the server at {SERVER}; "
        "did you mean ltx-tiny"
    ), said
    assert f"{SERVER}/v1/models lists its" in said and "ken-burns" in said, said
    # It was POSTed and refused by the server's own check (after its folder checks): now never sent.
    assert asked == ["GET /v1/models"], asked


def test_a_model_the_server_lists_is_sent(tmp_path: Path, asked: list[str]) -> None:
    result = _batch(_manifest(tmp_path, "wan-tiny"))
    assert asked[:2] == ["GET /v1/models", "POST /v1/batches"], (asked, result.output)
