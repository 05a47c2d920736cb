"""A replay encodes the same frames to the same bits, whatever the process's memory held before."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip
from tests.cli.test_replay_enhanced import picture

runner = CliRunner()
M_PERTURB = -6  # glibc's mallopt: fill what malloc hands out (and takes back) with a byte


@contextmanager
def heap_filled_with(byte: int) -> Iterator[None]:
    """Memory malloc hands out holds ``byte`` instead of what was there: as a process that ran other work."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is None or not hasattr(libc, "mallopt") or not libc.mallopt(M_PERTURB, byte):
        pytest.skip("needs glibc's mallopt(M_PERTURB)")
    try:
        yield
    finally:
        libc.mallopt(M_PERTURB, 0)


def test_a_replay_in_a_process_whose_memory_held_other_data_gives_the_same_frames(tmp_path: Path) -> None:
    # x264's AVX-512 path read memory it never wrote: 1 replay in 5 came out up to 21 levels off.
    source, out, again = _clip(tmp_path / "in.mp4"), tmp_path / "out.mp4", tmp_path / "again.mp4"
    with heap_filled_with(0x11):
        made = runner.invoke(
            app, ["enhance", str(source), "-o", str(out), "-q", "--upscale", "1.5", "--upscaler", "lanczos"]
        )
    assert made.exit_code == 0, made.output
    with heap_filled_with(0xEE):
        result = runner.invoke(app, ["replay", str(out), "-o", str(again), "-q"])
    assert result.exit_code == 0, result.output
    assert np.array_equal(picture(again)[1], picture(out)[1])  # bit for bit, not only within rounding
