"""A model part this account cannot list makes the model partial, naming the part, instead of a crash.

PermissionError from listing it made `reelgen models` an internal error and GET /v1/models a 500.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.core.test_s53a_copied_weights_whole import model_folder

runner = CliRunner()


def test_an_unlistable_part_is_said_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = model_folder(tmp_path / "models" / "ltx-2b")
    listing = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self == folder / "vae":  # as root a chmod would not stop it: the listing itself refuses
            raise PermissionError(13, "Permission denied", str(self))
        return listing(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = runner.invoke(app, ["models", "--family", "ltx-2b", "--json"])
    assert result.exit_code == 0, result.output
    (row,) = [r for r in json.loads(result.stdout) if r["model"] == "ltx-2b"]
    assert row["cached"] == "partial"
    assert "(missing: vae (unreadable: Permission denied))" in row["advice"]
