"""A models-folder copy whose model_index.json names no part is not the model's weights: partial, not ready."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.spec import registry

runner = CliRunner()


@pytest.mark.parametrize("index", [{}, {"_class_name": "LTXPipeline", "_diffusers_version": "0.42.1"}])
def test_a_model_index_naming_no_part_is_partly_copied(tmp_path: Path, index: dict[str, str]) -> None:
    # It was found as "models-dir": `reelgen models` called the model ready and the load failed after the plan.
    folder = tmp_path / "models" / "ltx-2b"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text(json.dumps(index))
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    assert str(caught.value) == (
        f"model 'ltx-2b' is only partly copied into {folder} (missing: every part: its model_index.json "
        f"names none, so there is nothing to load); copy the rest of {folder} from where it came, or "
        "remove that folder and run `reelgen pull ltx-2b`"
    )
    assert caught.value.origin == "models-dir"


def test_models_lists_it_as_partial_and_generate_says_what_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "models" / "ltx-2b"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text("{}")
    listed = runner.invoke(app, ["models", "--family", "ltx-2b", "--json"])
    assert listed.exit_code == 0, listed.output
    (row,) = [r for r in json.loads(listed.stdout) if r["model"] == "ltx-2b"]
    assert row["cached"] == "partial"
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-2b", "-o", str(tmp_path / "w.mp4")])
    assert made.exit_code != 0, made.output
    assert "missing: every part: its model_index.json names none" in " ".join(made.stderr.split())
    assert not (tmp_path / "w.mp4").exists()
