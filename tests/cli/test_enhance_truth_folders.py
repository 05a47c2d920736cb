"""`reelgen enhance -o new/dir/out.mp4`: the folders are made for a finished run and taken back after a refused one."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


def test_a_refused_run_takes_back_the_folders_it_made_for_its_output(tmp_path: Path) -> None:
    # -o new/dir/out.mp4 with a checkpoint nothing loads left new/dir behind, empty.
    source = _clip(tmp_path / "in.mp4", frames=3)
    checkpoint = tmp_path / "random.pth"
    checkpoint.write_bytes(b"not a checkpoint")
    out = tmp_path / "new" / "dir" / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "-q", "--upscale", "2", "--upscaler", str(checkpoint)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, _said(result)
    assert str(checkpoint) in _said(result)
    assert not (tmp_path / "new").exists()


def test_a_refused_run_keeps_a_folder_that_was_there(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4", frames=3)
    (tmp_path / "kept").mkdir()
    checkpoint = tmp_path / "random.pth"
    checkpoint.write_bytes(b"not a checkpoint")
    out = tmp_path / "kept" / "new" / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "-q", "--upscale", "2", "--upscaler", str(checkpoint)]
    assert runner.invoke(app, args).exit_code == 2
    assert (tmp_path / "kept").is_dir()
    assert list((tmp_path / "kept").iterdir()) == []


def test_an_output_in_new_folders_is_written_there(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4", frames=3)
    out = tmp_path / "new" / "dir" / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", "--upscale", "1.5"])
    assert result.exit_code == 0, _said(result)
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.json", "out.mp4"]
