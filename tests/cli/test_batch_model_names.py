"""A batch's model names as a person mistypes them: ken-burns is one of them, though no model."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _batch(tmp_path: Path, model: str) -> tuple[int, str]:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"defaults": {"model": model}, "items": [{"output": "a"}]}))
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    return result.exit_code, " ".join(result.output.split())


def test_a_misspelt_ken_burns_is_offered_ken_burns(tmp_path: Path) -> None:
    code, said = _batch(tmp_path, "ken-burn")
    assert code == 2
    assert f"error: manifest {tmp_path / 'manifest.json'}: defaults.model: unknown model 'ken-burn'; " in said
    assert "did you mean ken-burns?" in said
    assert not (tmp_path / "outputs").exists()


def test_the_list_of_known_models_includes_ken_burns(tmp_path: Path) -> None:
    code, said = _batch(tmp_path, "zzzz")
    assert code == 2
    assert "known models: animatediff-v1-5-2" in said
    assert said.endswith("a batch also takes ken-burns (a pan and zoom over the keyframe, no model)")


def test_a_near_model_name_is_offered_alone(tmp_path: Path) -> None:
    code, said = _batch(tmp_path, "ltx-tinny")
    assert code == 2 and "did you mean ltx-tiny" in said and "ken-burns" not in said
