"""A model refused by ``reelgen shootout`` in process is said of ``--models``, the option typed, as the server's
refusal of the same models is (it read "unknown model 'nope' ..." with no option named)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_an_unknown_or_repeated_model_names_the_models_option(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\n")
    for models, words in [
        ("nope", "error: --models: unknown model 'nope';"),
        ("ltx-tiny,ltx-tiny", "error: --models: models are named once each; repeated: ltx-tiny"),
    ]:
        result = CliRunner().invoke(
            app, ["shootout", "-m", models, "-p", str(prompts), "-o", str(tmp_path / "o")]
        )
        assert result.exit_code == 2, result.output
        assert " ".join(result.output.split()).startswith(words), result.output
        assert not (tmp_path / "o").exists()
