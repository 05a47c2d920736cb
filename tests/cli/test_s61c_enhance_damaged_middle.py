"""`reelgen enhance` on a clip damaged part-way (a bad block on a card): what decodes is enhanced, and said to be."""

from __future__ import annotations

import json
import random
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import decode_frames, rgb, video_timing

runner = CliRunner()
FRAMES = 12


def _damaged(path: Path) -> tuple[Path, int]:
    """A 12-frame H.264 MP4 whose 8th packet (in file order) is overwritten with noise, and how many
    frames decode before FFmpeg gives up on it."""
    shake = np.random.default_rng(3)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24, options={"bf": "0"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(FRAMES):
            image = shake.integers(0, 256, (48, 64, 3), dtype=np.uint8)  # noise: every packet is large
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())
    with av.open(str(path)) as container:
        spans = [(p.pos, p.size) for p in container.demux(video=0) if p.size]
    data = bytearray(path.read_bytes())
    at, size = spans[7]
    noise = random.Random(5)
    data[at : at + size] = bytes(noise.randrange(256) for _ in range(size))
    path.write_bytes(data)
    decoded = 0
    with av.open(str(path)) as container, pytest.raises(av.error.FFmpegError):
        for _ in container.decode(video=0):
            decoded += 1
    return path, decoded


def test_the_frames_before_the_damage_are_enhanced_and_the_rest_said(tmp_path: Path) -> None:
    source, decoded = _damaged(tmp_path / "card.mp4")
    assert 2 <= decoded < FRAMES
    out = tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    result = runner.invoke(app, args)
    said = " ".join(result.output.split())
    # It was refused whole, "card.mp4 is not a readable video (Invalid data found ...)", with the frames
    # before the damage already enhanced; docs/enhance.md says a damaged card's clip is made as far as it decodes.
    assert result.exit_code == 0, said
    assert f"warning: card.mp4 ends after {decoded} of the {FRAMES} frames it lists" in said
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["source_cut_short"] == {"frames_listed": FRAMES, "frames_decoded": decoded}
    with av.open(str(out)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 2 * (decoded - 1) + 1


def test_a_model_source_clip_damaged_part_way_is_still_refused(tmp_path: Path) -> None:
    # Only enhance makes what decodes: a model's source clip must be the clip the person meant.
    source, _ = _damaged(tmp_path / "card.mp4")
    with pytest.raises(InvalidRequest, match="is not a readable video"):
        list(decode_frames(source, video_timing(source), rgb))
