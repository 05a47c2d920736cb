"""Export fields left out of project.yaml: each refusal says what the field holds and on which line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

HEAD = (
    "title: T\n"
    "defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}\n"
    "scenes:\n"
    "  - id: opening\n"
    "    title_card: {text: Hello}\n"
    "    duration: 1\n"
)


@pytest.mark.parametrize(
    ("tail", "said"),
    [
        (
            "export:\n  texts:\n    - end: 2\n",
            "export.texts[0].text is required: the words shown over the film, such as text: Night falls "
            "(project.yaml line 9)",
        ),
        (
            # It said "soundtrack.file is required" with no line: `soundtrack:` itself was passed over.
            "soundtrack: {volume: 0.5}\n",
            "soundtrack.file is required: the music under the film, such as file: assets/music.mp3 "
            "(project.yaml line 7)",
        ),
        (
            "export:\n  watermark: {opacity: 0.5}\n",
            "export.watermark.image is required: the picture (a logo) laid over every frame, "
            "such as image: assets/logo.png (project.yaml line 8)",
        ),
    ],
    ids=["text", "soundtrack", "watermark"],
)
def test_a_left_out_export_field_says_what_it_holds(tail: str, said: str, tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(HEAD + tail)
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-q"])
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {said}\n"
    assert not (tmp_path / "exports").exists()
