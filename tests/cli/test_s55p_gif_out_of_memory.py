"""A GIF that cannot get the memory to be made is said to be out of memory, as other outputs are, nothing written."""

from __future__ import annotations

import errno
import mmap
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _clip(path: Path, frames: int = 4) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * k, np.uint8), format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


class _Graph:
    """A real filter graph that, where it makes or uses a GIF's palette, cannot get its memory to start."""

    def __init__(self, refusal: Exception) -> None:
        self._real, self._refusal, self._gif = _REAL_GRAPH(), refusal, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def add(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self._gif = self._gif or name in ("palettegen", "paletteuse")
        return self._real.add(name, *args, **kwargs)

    def configure(self, *args: Any, **kwargs: Any) -> Any:
        if self._gif:
            raise self._refusal
        return self._real.configure(*args, **kwargs)


_REAL_GRAPH = av.filter.Graph


def _filters_short(monkeypatch: pytest.MonkeyPatch, refusal: Exception) -> None:
    monkeypatch.setattr(av.filter, "Graph", lambda: _Graph(refusal))


def _said(output: str) -> str:
    return " ".join(output.split())


def test_enhance_to_a_gif_without_the_memory_says_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _clip(tmp_path / "in.mp4")
    _filters_short(monkeypatch, OSError(errno.ENOMEM, "Cannot allocate memory"))
    out = tmp_path / "new" / "big.gif"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "8", "--upscaler", "lanczos"]
    )
    said = _said(result.output)
    # An OSError was "cannot write .../big.gif (Cannot allocate memory); no big.gif was made".
    assert result.exit_code == 1, result.output
    assert "cannot write" not in said and "internal error" not in said
    assert (
        "error: out of memory making big.gif: its 512x384 frames (0.6 MB each) did not fit in the machine's "
        "free memory; give a smaller upscale factor or free some of its memory"
    ) in said
    assert not (tmp_path / "new").exists()


def test_generate_to_a_gif_without_the_memory_says_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filters_short(monkeypatch, OSError(errno.ENOMEM, "Cannot allocate memory"))
    out = tmp_path / "clip.gif"
    args = ["-m", "reelgen-micro", "--width", "64", "--height", "64", "--frames", "5", "--steps", "1"]
    result = runner.invoke(app, ["generate", "a red ball", *args, "--seed", "3", "-q", "-o", str(out)])
    said = _said(result.output)
    assert result.exit_code == 1, result.output
    assert "internal error" not in said and "cannot write" not in said
    assert (
        "out of memory making clip.gif: its 64x64 frames (0.0 MB each) did not fit in the machine's free "
        "memory; free some of its memory"
    ) in said
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_enhance_to_a_gif_needs_no_room_to_map_the_whole_clip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _clip(tmp_path / "in.mp4", frames=6)

    def refused(*args: Any, **kwargs: Any) -> Any:  # as `ulimit -v` refuses a clip-sized mapping
        raise OSError(errno.ENOMEM, "Cannot allocate memory")

    monkeypatch.setattr(mmap, "mmap", refused)
    out = tmp_path / "big.gif"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    )
    # It was "cannot write .../big.gif (Cannot allocate memory)": the spooled clip was mapped whole.
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as gif:
        pictures = [frame.to_ndarray(format="rgb24") for frame in gif.decode(video=0)]
    assert len(pictures) == 6
    assert pictures[0].shape == (96, 128, 3)
