"""`reelgen enhance IN` without -o: a name is claimed at once, so two runs at the same time take two names."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.out_name import claim_name

runner = CliRunner()


def test_two_runs_claiming_at_once_take_two_names_and_leave_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes(b"a clip")
    # Both looked before either wrote: each found clip-enhanced.mp4 free, and the later one replaced it.
    with claim_name(source) as first, claim_name(source) as second:
        assert (first.name, second.name) == ("clip-enhanced.mp4", "clip-enhanced-2.mp4")
        first.write_bytes(b"the first run's video")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip-enhanced.mp4", "clip.mp4"]
    # The first name now holds a video: a later run takes the next.
    with claim_name(source) as third:
        assert third.name == "clip-enhanced-2.mp4"


def test_a_claim_left_by_a_killed_run_does_not_keep_its_name(tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    (tmp_path / ".clip-enhanced.mp4.lock").write_text("")  # the run died; the OS let go of its lock
    with claim_name(source) as out:
        assert out.name == "clip-enhanced.mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_run_refused_after_the_claim_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes(b"not a video")
    result = runner.invoke(app, ["enhance", str(source), "--upscale", "2", "--upscaler", "lanczos"])
    assert result.exit_code == 2, result.output
    assert "input:" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]


def test_a_name_too_long_for_the_folder_is_said_not_an_internal_error(tmp_path: Path) -> None:
    source = tmp_path / ("a" * 248 + ".mp4")
    source.write_bytes(b"a clip")
    result = runner.invoke(app, ["enhance", str(source), "--upscale", "2"], terminal_width=300)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "internal error" not in said and "is 261 bytes long" in said and "give a shorter one" in said
