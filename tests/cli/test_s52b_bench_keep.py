"""`reelgen bench --keep DIR` makes its folder only when an MP4 goes there: a failed run leaves none behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.backends.ltx.runner import LTXRunner
from reelgen.core.errors import OutOfMemory

runner = CliRunner()


def test_a_run_that_fails_before_its_first_mp4_leaves_no_keep_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def out_of_memory(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise OutOfMemory("the GPU ran out of memory")

    monkeypatch.setattr(LTXRunner, "generate", out_of_memory)
    keep = tmp_path / "clips" / "run1"
    result = runner.invoke(
        app,
        ["bench", "-m", "ltx-tiny", "--steps", "1", "--warmup-steps", "0", "--keep", str(keep)],
    )
    assert result.exit_code != 0 and "ran out of memory" in result.output
    assert not (tmp_path / "clips").exists()  # it was made, empty, before the first render
