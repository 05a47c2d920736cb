"""`reelgen enhance` whose disk fills while the sound is put in: said to be a full disk, not a codec the container refuses."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance import mux
from tests.cli.test_enhance_cli import _said
from tests.cli.test_enhance_sound import _clip

runner = CliRunner()


def test_a_disk_full_while_copying_the_sound_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = _clip(tmp_path / "in.mp4", [("aac", "eng", "mono")]), tmp_path / "out.mp4"

    def full(packets: Iterator[Any], preroll: bool) -> Iterator[Any]:
        av.error.err_check(-errno.ENOSPC, str(out))  # what FFmpeg raises when a write finds no room
        yield from packets

    def no_room(out_: Any, stream: Any, frames: list[Any]) -> None:
        av.error.err_check(-errno.ENOSPC, str(out))

    monkeypatch.setattr(mux, "_from_picture", full)  # copying the packets
    monkeypatch.setattr(mux, "_encode", no_room)  # and encoding them again, as the disk is still full
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "-q"])
    said = _said(result)
    # It said "the sound of in.mp4 (aac) could not be copied into out.mp4 nor encoded again as aac
    # ([Errno 28] No space left on device ...); try another container": no container has more room.
    assert result.exit_code == 1, said
    assert said.endswith(
        f"error: no space left on the device writing {out}; no out.mp4 was made: free some space and run again"
    )
    assert "another container" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4"]
