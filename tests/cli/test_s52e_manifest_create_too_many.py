"""`manifest create` on a folder of more images than a batch holds says so, exit 2, and writes nothing.

It ended in "internal error (ValidationError: 1 validation error for Manifest ...)", exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.batch import manifest as manifest_module


def test_a_folder_of_more_images_than_a_batch_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "MAX_ITEMS", 3)  # 10,000 files would be slow to make
    for i in range(4):
        (tmp_path / f"shot{i}.png").write_bytes(b"")  # create names items by file; it reads no pixels
    result = CliRunner().invoke(app, ["manifest", "create", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert f"{tmp_path} holds 4 images; a batch holds at most 3 items" in " ".join(result.output.split())
    assert not (tmp_path / "manifest.json").exists()
