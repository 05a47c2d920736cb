"""`reelgen enhance` on a full disk says so of its output, not of the hidden file it was writing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said
from tests.cli.test_write_failures import midway

runner = CliRunner()


@pytest.mark.parametrize("earlier", [False, True], ids=["new", "replacing"])
def test_a_full_disk_names_the_output_and_what_became_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool
) -> None:
    """It said '.e-513190d0265b.mp4 is as it was': a name the person never gave, and no word of e.mp4."""
    source = _clip(tmp_path / "in.mp4", frames=5)
    out = tmp_path / "e.mp4"
    if earlier:
        out.write_bytes(b"the earlier video")

    def full() -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    midway(monkeypatch, full, at=1)
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", "--upscale", "1.5"])
    assert result.exit_code == 1, _said(result)
    was = "e.mp4 is as it was" if earlier else "no e.mp4 was made"
    assert _said(result).endswith(
        f"error: no space left on the device writing {out}; {was}: free some space and run again"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == (["e.mp4", "in.mp4"] if earlier else ["in.mp4"])
    assert not earlier or out.read_bytes() == b"the earlier video"
