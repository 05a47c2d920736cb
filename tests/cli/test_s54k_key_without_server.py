"""``--api-key`` typed without ``--server`` is refused in one line: the run is here and sends no key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()
SAID = "--api-key is for --server; without --server this runs here and needs no key"


def _clip(path: Path) -> Path:
    frames = np.zeros((3, 48, 64, 3), dtype=np.uint8)
    return write_video(Video(frames, 24, None), path)


def _said(result: object) -> str:
    return " ".join(result.output.split())  # type: ignore[attr-defined]


def test_enhance_with_a_key_and_no_server_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    # It ran here and the key went nowhere: a person who forgot --server got a local run they did not ask for.
    source = _clip(tmp_path / "a.mp4")
    result = runner.invoke(app, ["enhance", str(source), "--upscale", "2", "--api-key", "k"])
    assert result.exit_code == 2, result.output
    assert SAID in _said(result), _said(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]


def test_a_key_from_the_environment_does_not_stop_a_run_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # REELGEN_API_KEY is set once for every server command; a run here must not be refused for it.
    monkeypatch.setenv("REELGEN_API_KEY", "k")
    source, out = _clip(tmp_path / "a.mp4"), tmp_path / "big.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "--upscale", "2", "--upscaler", "lanczos", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["avatar", "--image", "face.png", "--text", "hi"],
        ["batch", "m.yaml"],
        ["shootout", "-m", "wan-tiny", "-p", "p.txt"],
        ["project", "render", "."],
        ["project", "export", "."],
        ["project", "status", "."],
    ],
)
def test_every_command_with_a_server_refuses_a_typed_key_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("face.png", "m.yaml", "p.txt"):
        (tmp_path / name).write_text("x\n")
    result = runner.invoke(app, [*args, "--api-key", "k"])
    assert result.exit_code == 2, result.output
    assert SAID in _said(result), _said(result)
