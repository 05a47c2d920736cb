"""`reelgen enhance` that runs out of memory making its frames: said in words, nothing written."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


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


def _torch_gpu() -> Exception:
    import torch

    return torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")


# What a frame too large for the machine raises: numpy's or PIL's allocation, torch's in RAM, torch's on a GPU.
RAISED = {
    "numpy": (lambda: MemoryError(), "machine", "give a smaller upscale factor or free some of its memory"),
    "torch-cpu": (
        lambda: RuntimeError(
            "DefaultCPUAllocator: not enough memory: you tried to allocate 9663676416 bytes."
        ),
        "machine",
        "give a smaller upscale factor or free some of its memory",
    ),
    "torch-gpu": (
        _torch_gpu,
        "GPU",
        "give a smaller upscale factor, free some of its memory or run on the CPU (slower)",
    ),
}


@pytest.mark.parametrize("kind", sorted(RAISED))
def test_running_out_of_memory_is_said_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    raised, where, ways = RAISED[kind]

    def no_room(self: Image.Image, size: tuple[int, int], *args: object, **kwargs: object) -> Image.Image:
        raise raised()

    monkeypatch.setattr(Image.Image, "resize", no_room)
    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "new" / "big.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "8", "--upscaler", "lanczos"]
    )
    said = " ".join(result.output.split())
    # It was "internal error (MemoryError: no message); run again with REELGEN_TRACEBACK=1 ... and report it".
    assert result.exit_code == 1
    assert "internal error" not in said
    assert (
        f"error: out of memory making big.mp4: its 512x384 frames (0.6 MB each) did not fit in the {where}'s "
        f"free memory; {ways}"
    ) in said
    assert not (tmp_path / "new").exists()


def test_another_error_is_not_said_to_be_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Image.Image, size: tuple[int, int], *args: object, **kwargs: object) -> Image.Image:
        raise RuntimeError("something else")

    monkeypatch.setattr(Image.Image, "resize", broken)
    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "big.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "8", "--upscaler", "lanczos"]
    )
    assert "out of memory" not in result.output
    assert isinstance(result.exception, RuntimeError) and not out.exists()
