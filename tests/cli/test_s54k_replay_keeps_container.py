"""``reelgen replay`` without -o keeps the container of what it replays: a GIF render again is a GIF."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import said

runner = CliRunner()


def test_a_gif_render_replayed_without_output_is_a_gif_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It went to outputs/...mp4, while an enhanced GIF replayed as NAME-again.gif: one command, two rules.
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--seed", "4", "-o", "r.gif", "-q"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["replay", "r.gif", "-q"])
    assert again.exit_code == 0, said(again)
    written = Path(again.output.strip().splitlines()[-1])
    assert written.suffix == ".gif", said(again)
    assert written.is_file() and written.read_bytes()[:6] in (b"GIF87a", b"GIF89a")
    assert not list(tmp_path.glob("outputs/*.mp4"))


def test_a_sidecar_replayed_without_output_is_an_mp4_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--seed", "4", "-o", "r.mp4", "-q"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["replay", "r.json", "-q"])
    assert again.exit_code == 0, said(again)
    assert Path(again.output.strip().splitlines()[-1]).suffix == ".mp4"
