"""``reelgen replay V --input start_image=`` (an unset variable after the =) says the FILE is empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import said

runner = CliRunner()


def test_an_input_with_no_file_after_the_equals_sign_is_said_as_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "'start_image=' is not PARAM=FILE", which it is, in form: the FILE part was what was missing.
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--seed", "4", "-o", "r.mp4", "-q"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["replay", "r.mp4", "--input", "start_image=", "-q"])
    assert again.exit_code == 2, said(again)
    assert "--input start_image=: the FILE after = is empty; give start_image=FILE" in said(again), said(
        again
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.mp4"]
