"""A kill (SIGTERM) while `reelgen generate` writes its video: the earlier file and its record stay as they
were and no hidden `.NAME-*.mp4` / `.NAME-*.gif` is left beside them, said in one line with exit 143."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.reelgen_main import run_reelgen

TINY = ["-m", "ltx-tiny", "--steps", "2", "--frames", "9", "-q"]


def killed_midway(monkeypatch: pytest.MonkeyPatch, kill: Callable[[], None]) -> None:
    """``kill`` once the hidden file is begun and a few frames are in it, in the MP4's or the GIF's write."""
    from reelgen.core import encode, gif

    real_converted = encode._converted

    def converted(frames: Iterable[Any], pix_fmt: str) -> Iterator[Any]:  # the MP4's encoder's frames
        for i, frame in enumerate(real_converted(frames, pix_fmt)):
            if i == 3:
                kill()
            yield frame

    real_even, calls = gif._even, []

    def even(frame: Any, size: Any) -> Any:  # every GIF frame, in the palette pass, then the writing one
        calls.append(1)
        if len(calls) == 12:  # the fourth frame of the second pass: the GIF is being written
            kill()
        return real_even(frame, size)

    monkeypatch.setattr(encode, "_converted", converted)
    monkeypatch.setattr(gif, "_even", even)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_a_kill_while_the_video_is_written_leaves_no_hidden_file_and_the_earlier_one(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clips" / f"fox{suffix}"
    first = CliRunner().invoke(app, ["generate", "a red fox", *TINY, "--seed", "1", "-o", str(out)])
    assert first.exit_code == 0, first.output
    video, record = out.read_bytes(), out.with_suffix(".json").read_bytes()

    hidden_then: list[list[str]] = []

    def kill() -> None:  # what `kill PID` sends the process, there and then
        hidden_then.append(_hidden(out.parent))
        os.kill(os.getpid(), signal.SIGTERM)

    killed_midway(monkeypatch, kill)
    run = run_reelgen(monkeypatch, capfd, "generate", "a hen", *TINY, "--seed", "2", "-o", str(out))
    assert hidden_then and hidden_then[0], "the kill came before the write began"  # what it must not leave
    stdout, stderr = run.stdout, run.stderr
    # Killed where it stood (-15), it left the hidden file beside fox.mp4 for good.
    assert run.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1] == (
        f"error: stopped by SIGTERM; nothing half-written was left; fox{suffix} is as it was"
    )
    assert stdout == ""
    assert _hidden(out.parent) == []
    assert out.read_bytes() == video and out.with_suffix(".json").read_bytes() == record
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["fox.json", f"fox{suffix}"])


def test_a_kill_between_the_renames_comes_after_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Taken between the video's rename and its record's, a kill left the new video beside the record
    of the one it replaced (`reelgen replay` then remade the earlier one)."""
    from reelgen.cli.sigterm import Terminated, sigterm_unwinds
    from reelgen.core import atomic

    video, record = tmp_path / "fox.mp4", tmp_path / "fox.json"
    video.write_text("earlier video")
    record.write_text("earlier record")
    real_replace = os.replace

    def replace(src: Path, dst: Path) -> None:
        real_replace(src, dst)
        if Path(dst) == video:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(SystemExit) as stopped, sigterm_unwinds(), atomic.staged(video, record) as (v, r):
        v.write_text("new video")
        r.write_text("new record")
    assert stopped.value.code == 143 and isinstance(stopped.value.__context__, Terminated)
    assert (video.read_text(), record.read_text()) == ("new video", "new record")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox.json", "fox.mp4"]
