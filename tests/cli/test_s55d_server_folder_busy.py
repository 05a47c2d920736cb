"""``reelgen batch --server`` and ``reelgen shootout --server`` into an output folder another batch or shoot-out
writes in: the server's 409 exits 1 (nothing is wrong with the request; run later or elsewhere), as a local
batch refused a busy folder does, and names the manifest's ``output_dir`` and the command that stops the other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app, remote
from reelgen.cli import client as client_cli
from reelgen.core.batch.lock import folder_held
from tests.cli.in_process import SERVER, in_process, run


def _manifest(tmp_path: Path) -> Path:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.fromarray(data.coffee()).save(shots / "a.png")  # a photo: viable, so the item is queued
    manifest = shots / "manifest.json"
    defaults = {
        "model": "ken-burns",
        "width": 64,
        "height": 48,
        "num_frames": 9,
        "fps": 8,
        "motion": {"preset": "zoom-in"},
    }
    manifest.write_text(json.dumps({"defaults": defaults, "items": [{"output": "a", "images": ["a.png"]}]}))
    return manifest


def _said(output: str) -> str:
    return " ".join(output.split())


def test_a_batch_into_a_folder_a_server_batch_writes_exits_1_naming_how_to_stop_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    manifest = _manifest(tmp_path)
    out = manifest.parent / "outputs"
    with in_process(tmp_path, monkeypatch) as client:
        monkeypatch.setattr(remote, "_client", client_cli._client)
        first = client.post(
            "/v1/batches",
            json={"manifest": json.loads(manifest.read_text()), "input_folder": str(manifest.parent)},
        )
        assert first.status_code == 202, first.text
        job = first.json()["id"]
        result = run("batch", str(manifest), "-q")
    said = _said(result.output)
    assert result.exit_code == 1, said
    assert said == (
        f"error: HTTP 409: output_dir {out}: batch {job} on the server is still writing its clips there; "
        f"wait for it to end, or stop it (`reelgen cancel {job} --server {SERVER}`), "
        "or set another output_dir (or --output-dir)"
    )


def test_a_batch_into_a_folder_a_local_batch_holds_exits_1_in_the_local_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    manifest = _manifest(tmp_path)
    out = manifest.parent / "outputs"
    with in_process(tmp_path, monkeypatch), folder_held(out, "manifest night.json"):
        monkeypatch.setattr(remote, "_client", client_cli._client)
        on_server = run("batch", str(manifest), "-q")
        here = CliRunner().invoke(app, ["batch", str(manifest), "-q"])
    assert here.exit_code == on_server.exit_code == 1, on_server.output
    local = _said(here.output).removeprefix("error: ")
    assert local.startswith(f"output_dir {out}: another batch is writing its clips and summary there now")
    assert _said(on_server.output) == f"error: HTTP 409: {local}"


def test_a_shootout_into_a_folder_a_server_shootout_writes_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\n")
    folder = tmp_path / "compare"
    with in_process(tmp_path, monkeypatch) as client:
        monkeypatch.setattr(remote, "_client", client_cli._client)
        first = client.post(
            "/v1/shootouts",
            json={"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(folder)},
        )
        assert first.status_code == 202, first.text
        job = first.json()["id"]
        result = run("shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(folder), "-q")
    said = _said(result.output)
    assert result.exit_code == 1, said
    assert said == (
        f"error: HTTP 409: -o {folder}: shoot-out {job} on the server is still writing its report there; "
        f"wait for it to end, or stop it (`reelgen cancel {job} --server {SERVER}`), or give another -o"
    )
