"""An encoder that cannot get the memory to start (libx264, libvpx-vp9) is said to be out of memory, nothing written."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

#: What PyAV raises when the encoder's own allocations fail as it opens: x264 answers "generic error in an
#: external library" (a real run under `ulimit -v 1500000` of an 8x upscale of 1024x576), libvpx "invalid argument".
REFUSALS = {
    "libx264": lambda: av.error.ExternalError(
        542398533, "Generic error in an external library", "avcodec_open2(\"libx264\", {'crf': '18'})"
    ),
    "libvpx-vp9": lambda: av.error.ArgumentError(
        22, "Invalid argument", "avcodec_open2(\"libvpx-vp9\", {'crf': '18'})"
    ),
}


class _Stream:
    """A real output stream whose encoder raises ``refusal`` where it would open."""

    def __init__(self, real: Any, refusal: Exception) -> None:
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_refusal", refusal)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._real, name, value)

    def encode(self, frame: Any = None) -> Any:
        raise self._refusal


class _Container:
    """A real container being written, whose video encoder cannot start."""

    def __init__(self, real: Any, refusal: Exception) -> None:
        self._real, self._refusal = real, refusal

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> _Container:
        self._real.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._real.__exit__(*exc)

    def add_stream(self, codec: str, *args: Any, **kwargs: Any) -> Any:
        stream = self._real.add_stream(codec, *args, **kwargs)
        return _Stream(stream, self._refusal) if codec in REFUSALS else stream


def _no_memory_to_start(monkeypatch: pytest.MonkeyPatch, refusal: Exception) -> None:
    real_open = av.open

    def opened(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        container = real_open(file, mode, *args, **kwargs)
        return _Container(container, refusal) if mode == "w" else container

    monkeypatch.setattr(av, "open", opened)


def _clip(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(4):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * k, np.uint8), format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


@pytest.mark.parametrize(("codec", "suffix"), [("libx264", ".mp4"), ("libvpx-vp9", ".webm")])
def test_enhance_whose_encoder_cannot_start_says_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codec: str, suffix: str
) -> None:
    source = _clip(tmp_path / "in.mp4")
    _no_memory_to_start(monkeypatch, REFUSALS[codec]())
    out = tmp_path / "new" / f"big{suffix}"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "8", "--upscaler", "lanczos"]
    )
    said = " ".join(result.output.split())
    # It was 'internal error (ExternalError: ... avcodec_open2("libx264" ...)); ... and report it'.
    assert result.exit_code == 1, result.output
    assert "internal error" not in said
    assert (
        f"error: out of memory making big{suffix}: its 512x384 frames (0.6 MB each) did not fit in the machine's "
        "free memory; give a smaller upscale factor or free some of its memory"
    ) in said
    assert not (tmp_path / "new").exists()


def test_generate_whose_encoder_cannot_start_says_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_memory_to_start(monkeypatch, REFUSALS["libx264"]())
    out = tmp_path / "clip.mp4"
    args = ["-m", "reelgen-micro", "--width", "64", "--height", "64", "--frames", "5", "--steps", "1"]
    result = runner.invoke(app, ["generate", "a red ball", *args, "--seed", "3", "-q", "-o", str(out)])
    said = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "internal error" not in said
    assert (
        "error: out of memory making clip.mp4: its 64x64 frames (0.0 MB each) did not fit in the machine's "
        "free memory; free some of its memory"
    ) in said
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_refusal_at_a_size_x264_never_takes_is_not_said_to_be_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """x264 refuses sides above 16384 whatever the memory: that is no out-of-memory."""
    from reelgen.core.encoder_memory import encoder_short

    refusal = REFUSALS["libx264"]()
    assert encoder_short(refusal, "libx264", (512, 384), {"crf": "18"})
    assert not encoder_short(refusal, "libx264", (16400, 16), {"crf": "18"})
    # An encoder that does not open at a small size either has another fault than memory.
    assert not encoder_short(refusal, "libx264", (512, 384), {"crf": "not a number"})
    # A failure after it opened (no avcodec_open2 in it) is another fault too.
    assert not encoder_short(av.error.ExternalError(542398533, "Generic error"), "libx264", (512, 384), {})
