"""A video made (before LoRAs were checked once each) with one LoRA twice can still be remixed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from reelgen.jobs.schema import jobs
from tests.lora_files import write_lora


def test_a_parent_with_one_lora_twice_remixes_with_it_once(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    folder = tmp_path / "loras"
    folder.mkdir()
    write_lora(folder / "a.safetensors")
    write_lora(folder / "b.safetensors")
    client = make_client(lora_dir=folder)
    body = {
        "prompt": "x",
        "model": "ltx-tiny",
        "loras": [{"name": "a.safetensors"}, {"name": "b.safetensors"}],
    }
    parent = client.post("/v1/videos", json=body).json()["id"]
    # The record as the server kept it before 0e24c81b: a.safetensors named twice.
    engine = client.app.state.service.store.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        payload = conn.execute(sa.select(jobs.c.payload).where(jobs.c.id == parent)).scalar_one()
        payload["loras"][1]["path"] = payload["loras"][0]["path"]
        conn.execute(sa.update(jobs).where(jobs.c.id == parent).values(payload=payload))
    remix = client.post(f"/v1/videos/{parent}/remix", json={"prompt": "y"})
    assert remix.status_code == 202, remix.text
    made = client.app.state.service.store.get(remix.json()["id"])  # type: ignore[attr-defined]
    assert [Path(lora["path"]).name for lora in made.payload["loras"]] == ["a.safetensors"]
