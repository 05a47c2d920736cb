"""A frame rate too slow for any container is refused in one line, not written at another rate or as NaN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize("fps", ["1e-320", "1e-10", "0.009"])
def test_a_frame_rate_slower_than_a_frame_per_100_seconds_is_refused(tmp_path: Path, fps: str) -> None:
    # 1e-10 wrote an MP4 playing at 24 fps (its record said 1e-10); 1e-320 ran LTX into a NaN clip.
    out = tmp_path / "slow.mp4"
    result = runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", "--fps", fps, "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output
    assert "--fps:" in result.output and "give from 0.01 to 240" in said(result.output)
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_slowest_rate_allowed_is_the_rate_the_video_plays_at(tmp_path: Path) -> None:
    import av

    out = tmp_path / "slow.mp4"
    result = runner.invoke(
        app, ["generate", "x", "-m", "ltx-tiny", "--fps", "0.01", "--frames", "9", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as video:
        assert video.streams.video[0].average_rate == pytest.approx(0.01)


def test_a_record_edited_to_a_too_slow_rate_is_refused_by_replay(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    made = runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", "--frames", "9", "-o", str(out), "-q"])
    assert made.exit_code == 0, made.output
    sidecar = out.with_suffix(".json")
    record = json.loads(sidecar.read_text())
    record["request"]["fps"] = 1e-10
    sidecar.write_text(json.dumps(record))
    result = runner.invoke(app, ["replay", str(sidecar), "-q"])
    assert result.exit_code == 2, result.output
    assert "1e-10 is slower than a frame per 100 s; give from 0.01 to 240" in said(result.output)
    assert "Traceback" not in result.output
