"""A prompt template naming an unknown ``{placeholder}`` stops `reelgen batch` before any item is made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app, remote
from reelgen.cli import client as client_cli
from tests.cli.in_process import in_process, run

runner = CliRunner()
DEFAULTS = {
    "model": "ken-burns",
    "width": 64,
    "height": 48,
    "num_frames": 9,
    "fps": 8,
    "motion": {"preset": "zoom-in"},
}


def _shots(folder: Path, items: list[dict], **defaults: object) -> Path:
    folder.mkdir()
    Image.fromarray(data.coffee()).save(folder / "coffee.png")
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps({"defaults": {**DEFAULTS, **defaults}, "items": items}))
    return manifest


def test_an_items_unknown_placeholder_stops_the_batch_before_the_first_item_is_made(tmp_path: Path) -> None:
    manifest = _shots(
        tmp_path / "shots",
        [
            {"output": "fine", "images": ["coffee.png"], "prompt": "{subject} at dawn"},
            {"output": "typo", "images": ["coffee.png"], "prompt": "{subjct} at dusk"},
        ],
        variables={"subject": "a harbour"},
    )
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"manifest {manifest}: items[1].prompt: the prompt uses {{subjct}}, which is not set" in said
    assert "known: index, model, motion, output, stem, subject" in said
    assert "Traceback" not in said
    assert not (tmp_path / "shots" / "outputs").exists()  # not even the first, good, item was made


def test_a_defaults_template_an_item_lacks_a_variable_for_names_that_item(tmp_path: Path) -> None:
    manifest = _shots(
        tmp_path / "shots",
        [
            {"output": "a", "images": ["coffee.png"], "variables": {"subject": "a fox"}},
            {"output": "b", "images": ["coffee.png"]},
        ],
        prompt="{subject}, {motion}",
    )
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert (
        "items[1].prompt (item b, from defaults.prompt): the prompt uses {subject}, which is not set" in said
    )
    assert not (tmp_path / "shots" / "outputs").exists()


def test_with_server_the_refusal_names_the_item_once_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    manifest = _shots(
        tmp_path / "shots",
        [{"output": "a", "images": ["coffee.png"]}],
        prompt="{subjct}",
    )
    with in_process(tmp_path, monkeypatch) as client:
        monkeypatch.setattr(remote, "_client", client_cli._client)  # `batch` sends through remote's, too
        result = run("batch", str(manifest), "-q")
        said = " ".join(result.output.split())
        assert result.exit_code == 2, said
        assert said.startswith(
            f"error: HTTP 400: manifest {manifest}: items[0].prompt (item a, from defaults.prompt): "
            "the prompt uses {subjct}, which is not set; known: index, model, motion, output, stem"
        )
        assert client.get("/v1/batches").json()["data"] == []
