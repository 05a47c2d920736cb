"""MKV (as ComfyUI's VideoHelperSuite writes it) in and out of `reelgen enhance`, `replay` and `generate`."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import read_metadata
from tests.cli.test_enhance_cli import _clip

runner = CliRunner()
LANCZOS = ("--upscale", "2", "--upscaler", "lanczos")


def _frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def _sound(path: Path) -> tuple[list[bytes], float]:
    """The audio packets' bytes and the seconds they decode to (Matroska gives a stream no duration)."""
    with av.open(str(path)) as container:
        packets = [bytes(p) for p in container.demux(audio=0) if p.size]
    with av.open(str(path)) as container:
        samples = sum(f.samples for f in container.decode(audio=0))
        return packets, samples / container.streams.audio[0].codec_context.sample_rate


def test_an_mkv_is_enhanced_into_an_mkv_that_replays_from_its_own_record(tmp_path: Path) -> None:
    # "-o out.mkv" was refused ("valid: .mp4, .mov, .webm"); ComfyUI's clips are often .mkv.
    source, out = _clip(tmp_path / "in.mkv"), tmp_path / "out.mkv"
    made = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *LANCZOS])
    assert made.exit_code == 0, made.output
    with av.open(str(out)) as container:
        assert "matroska" in container.format.name
        assert [s.codec_context.name for s in container.streams] == ["h264", "aac"]
    (sound, seconds), (source_sound, source_seconds) = _sound(out), _sound(source)
    assert len(_frames(out)) == 7 and sound == source_sound and abs(seconds - source_seconds) < 0.03
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["audio"] == "copied" and read_metadata(out)["stages"] == record["stages"] == ["lanczos"]

    # The record inside the .mkv is enough for a replay: the sidecar is gone.
    out.with_suffix(".json").unlink()
    again = tmp_path / "again.mkv"
    replayed = runner.invoke(app, ["replay", str(out), "-o", str(again), "-q"])
    assert replayed.exit_code == 0, replayed.output
    assert np.array_equal(_frames(again), _frames(out)) and _sound(again)[0] == sound


def test_an_mkv_source_goes_into_every_other_container(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mkv", frames=3)
    for suffix in (".mp4", ".mov", ".webm"):
        out = tmp_path / f"out{suffix}"
        made = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *LANCZOS])
        assert made.exit_code == 0, made.output
        assert len(_frames(out)) == 3 and read_metadata(out)["output"]["width"] == 128


def test_generate_writes_an_mkv_with_its_record_inside(tmp_path: Path) -> None:
    out = tmp_path / "take.mkv"
    made = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "-q", "--seed", "3", "-o", str(out)])
    assert made.exit_code == 0, made.output
    with av.open(str(out)) as container:
        assert "matroska" in container.format.name and container.streams.video[0].codec_context.name == "h264"
    record = read_metadata(out)
    assert (
        record["request"]["seed"] == 3
        and json.loads(out.with_suffix(".json").read_text())["request"]["seed"] == 3
    )
