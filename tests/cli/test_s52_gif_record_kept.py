"""A video named as a GIF beside it, but for its extension, does not replace the GIF's only record."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_an_mp4_named_as_a_gif_beside_it_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["generate", "a fox", "-m", "ltx-tiny", "-o", "a.gif", "-q"])
    assert made.exit_code == 0, made.output
    record = (tmp_path / "a.json").read_bytes()
    again = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "-o", "a.mp4", "-q"])
    said = " ".join(again.output.split())
    assert again.exit_code == 2, said
    assert "its record would replace a.json, the only record of a.gif (a GIF holds none inside)" in said
    assert (tmp_path / "a.json").read_bytes() == record and not (tmp_path / "a.mp4").exists()


def test_a_webm_named_as_an_mp4_beside_it_replaces_the_shared_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a.mp4", "a.webm"):
        made = runner.invoke(app, ["generate", f"a fox for {name}", "-m", "ltx-tiny", "-o", name, "-q"])
        assert made.exit_code == 0, made.output
    assert "a fox for a.webm" in (tmp_path / "a.json").read_text()
