"""Ctrl-C or a kill stopping a run whose -o named an existing file says that file is as it was, as a full disk does."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app, output
from reelgen.core.progress import ProgressEvent
from tests.cli.reelgen_main import run_reelgen

runner = CliRunner()
TINY = ["-m", "ltx-tiny", "--steps", "3", "--frames", "9", "-q"]


def signalling(signum: int) -> Callable[..., Any]:
    """``progress_bar`` that sends this process ``signum`` once the first denoising step is done."""
    real = output.progress_bar

    def bar(cancel: Any, quiet: bool = False) -> Any:
        ctx = real(cancel, quiet)

        class Wrapped:
            def __enter__(self) -> Callable[[ProgressEvent], None]:
                inner = ctx.__enter__()

                def on_event(event: ProgressEvent) -> None:
                    inner(event)
                    if event.stage == "denoise" and event.step == 1:
                        os.kill(os.getpid(), signum)

                return on_event

            def __exit__(self, *exc: object) -> Any:
                return ctx.__exit__(*exc)

        return Wrapped()

    return bar


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "a.mp4"
    result = runner.invoke(app, ["generate", "a red fox", *TINY, "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def earlier(made_once: Path, tmp_path: Path) -> tuple[Path, bytes, bytes]:
    out = tmp_path / "a.mp4"
    out.write_bytes(made_once.read_bytes())
    out.with_suffix(".json").write_bytes(made_once.with_suffix(".json").read_bytes())
    return out, out.read_bytes(), out.with_suffix(".json").read_bytes()


def last_line(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


def test_ctrl_c_over_an_existing_output_says_it_is_as_it_was(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, video, record = earlier
    monkeypatch.setattr("reelgen.cli.generate.progress_bar", signalling(signal.SIGINT))
    result = runner.invoke(app, ["generate", "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 130, result.output
    # It said "no file was written" and no more: not that the earlier a.mp4 was kept.
    assert (
        last_line(result.stderr)
        == "error: run cancelled with Ctrl-C; no file was written; a.mp4 is as it was"
    )
    assert out.read_bytes() == video and out.with_suffix(".json").read_bytes() == record
    assert sorted(p.name for p in out.parent.iterdir()) == ["a.json", "a.mp4"]


def test_ctrl_c_with_no_earlier_file_says_no_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.mp4"
    monkeypatch.setattr("reelgen.cli.generate.progress_bar", signalling(signal.SIGINT))
    result = runner.invoke(app, ["animate", str(_picture(tmp_path)), "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert last_line(result.stderr) == "error: run cancelled with Ctrl-C; no file was written"
    assert not out.exists()


def test_ctrl_c_in_animate_over_an_existing_output_says_it_is_as_it_was(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out, video, _ = earlier
    monkeypatch.setattr("reelgen.cli.generate.progress_bar", signalling(signal.SIGINT))
    result = runner.invoke(app, ["animate", str(_picture(tmp_path)), "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert (
        last_line(result.stderr)
        == "error: run cancelled with Ctrl-C; no file was written; a.mp4 is as it was"
    )
    assert out.read_bytes() == video


def test_a_kill_over_an_existing_output_says_it_is_as_it_was(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    out, video, record = earlier
    monkeypatch.setattr("reelgen.cli.generate.progress_bar", signalling(signal.SIGTERM))
    run = run_reelgen(monkeypatch, capfd, "generate", "a hen", *TINY, "-o", str(out))
    assert run.returncode == 143, run.stderr
    assert (
        last_line(run.stderr)
        == "error: stopped by SIGTERM; nothing half-written was left; a.mp4 is as it was"
    )
    assert out.read_bytes() == video and out.with_suffix(".json").read_bytes() == record
    assert run.stdout == ""


def test_a_kill_with_no_earlier_file_says_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a.mp4"
    monkeypatch.setattr("reelgen.cli.generate.progress_bar", signalling(signal.SIGTERM))
    run = run_reelgen(monkeypatch, capfd, "generate", "a hen", *TINY, "-o", str(out))
    assert run.returncode == 143, run.stderr
    assert last_line(run.stderr) == "error: stopped by SIGTERM; nothing half-written was left"
    assert list(tmp_path.iterdir()) == []


def _picture(folder: Path) -> Path:
    from PIL import Image

    path = folder / "start.png"
    Image.new("RGB", (64, 64), (200, 80, 40)).save(path)
    return path


def test_ctrl_c_in_takes_names_no_file_that_the_takes_do_not_write(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --count, -o a.mp4 names a-1.mp4 and a-2.mp4: an a.mp4 there is none of the run's files."""
    from tests.cli.ctrl_c import interrupting

    out = earlier[0]
    monkeypatch.setattr(output, "progress_bar", interrupting(output.progress_bar, "take 2/2 denoise"))
    result = runner.invoke(app, ["generate", "a hen", *TINY, "--count", "2", "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert "error: take 2 of 2 cancelled with Ctrl-C; that take wrote no file" in result.stderr
    assert "as it was" not in result.stderr
