"""Ctrl-C during `reelgen project export` with the default name (exports/TITLE.mp4, no -o) says the
earlier film there is as it was: it said only "no file was written", leaving the person to wonder
whether the film they had made before went with it."""

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

runner = CliRunner()

CARDS = (
    "title: Cards\nscenes:\n  - {id: a, title_card: {text: One}, duration: 0.5}\n"
    "  - {id: b, title_card: {text: Two}, duration: 0.5}\n"
    "export: {width: 64, height: 64, fps: 8}\n"
)


def signalling(signum: int) -> Callable[..., Any]:
    """``progress_bar`` that sends this process ``signum`` at the export's first progress event."""
    real = output.progress_bar

    def bar(cancel: Any, quiet: bool = False) -> Any:
        ctx = real(cancel, quiet)

        class Wrapped:
            def __enter__(self) -> Callable[[ProgressEvent], None]:
                inner = ctx.__enter__()
                sent: list[bool] = []

                def on_event(event: ProgressEvent) -> None:
                    inner(event)
                    if not sent:
                        sent.append(True)
                        os.kill(os.getpid(), signum)

                return on_event

            def __exit__(self, *exc: object) -> Any:
                return ctx.__exit__(*exc)

        return Wrapped()

    return bar


def _last(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


def test_ctrl_c_over_the_earlier_film_says_it_is_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "project.yaml").write_text(CARDS, encoding="utf-8")
    first = runner.invoke(app, ["project", "export", str(tmp_path), "-q"])
    assert first.exit_code == 0, first.output
    film = tmp_path / "exports" / "cards.mp4"
    before = film.read_bytes(), film.with_suffix(".json").read_bytes()
    monkeypatch.setattr("reelgen.cli.project.progress_bar", signalling(signal.SIGINT))
    result = runner.invoke(app, ["project", "export", str(tmp_path)])
    assert result.exit_code == 130, result.output
    assert (
        _last(result.stderr)
        == "error: run cancelled with Ctrl-C; no file was written; cards.mp4 is as it was"
    )
    assert (film.read_bytes(), film.with_suffix(".json").read_bytes()) == before
    assert sorted(p.name for p in film.parent.iterdir()) == ["cards.json", "cards.mp4"]  # no part left


def test_ctrl_c_of_a_first_export_says_no_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "project.yaml").write_text(CARDS, encoding="utf-8")
    monkeypatch.setattr("reelgen.cli.project.progress_bar", signalling(signal.SIGINT))
    result = runner.invoke(app, ["project", "export", str(tmp_path)])
    assert result.exit_code == 130, result.output
    assert _last(result.stderr) == "error: run cancelled with Ctrl-C; no file was written"
    assert not any((tmp_path / "exports").glob("*"))  # no film, no part of one


def test_a_kill_over_the_earlier_film_says_it_is_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from tests.cli.reelgen_main import run_reelgen

    (tmp_path / "project.yaml").write_text(CARDS, encoding="utf-8")
    assert runner.invoke(app, ["project", "export", str(tmp_path), "-q"]).exit_code == 0
    film = tmp_path / "exports" / "cards.mp4"
    before = film.read_bytes()
    monkeypatch.setattr("reelgen.cli.project.progress_bar", signalling(signal.SIGTERM))
    run = run_reelgen(monkeypatch, capfd, "project", "export", str(tmp_path))
    assert run.returncode == 143, run.stderr
    assert (
        _last(run.stderr)
        == "error: stopped by SIGTERM; nothing half-written was left; cards.mp4 is as it was"
    )
    assert film.read_bytes() == before
    assert sorted(p.name for p in film.parent.iterdir()) == ["cards.json", "cards.mp4"]
