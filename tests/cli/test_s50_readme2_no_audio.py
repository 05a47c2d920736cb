"""`generate --no-audio` on a model that makes no sound is refused, as other inputs a model would drop are."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def test_no_audio_on_a_silent_model_is_refused_naming_the_models_with_sound(tmp_path: Path) -> None:
    # It was dropped unsaid: the clip came out silent, as it would have anyway.
    out = tmp_path / "c.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "--no-audio", "-o", str(out)])
    assert result.exit_code == 2
    assert said(result.output).startswith(
        "error: --no-audio: ltx-tiny makes no sound, so there is none to turn off; leave it out, "
        "or use a model that makes sound: "
    )
    assert "ltx2-tiny" in result.output
    assert list(tmp_path.iterdir()) == []


def test_no_audio_on_a_model_with_sound_is_taken(tmp_path: Path) -> None:
    # Refused later for its name alone: the sound was not what stopped it.
    result = runner.invoke(
        app, ["generate", "a cat", "-m", "ltx2-tiny", "--no-audio", "-o", str(tmp_path / "c.avi")]
    )
    assert result.exit_code == 2
    assert "--output: " in result.output and "no sound" not in result.output
