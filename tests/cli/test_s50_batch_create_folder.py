"""`reelgen manifest create` given a folder that is missing, or a file, says which, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("name", "what"), [("shot", "does not exist"), ("a.png", "is a file")])
def test_a_folder_that_is_missing_or_a_file_is_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, what: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.png").write_bytes(b"a picture, not a folder")
    result = runner.invoke(app, ["manifest", "create", name])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"error: {name} {what}; give the folder that holds the keyframe images (e.g. shots/)" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]
