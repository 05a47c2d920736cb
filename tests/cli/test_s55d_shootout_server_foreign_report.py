"""``reelgen shootout --server URL -o DIR`` where DIR holds a report.html of the person's own and the server is on
another disk: refused before anything is sent, as the local run refuses such a folder (the report the server
made was downloaded over that file without a word, exit 0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import shootout as shootout_cli


def test_a_report_html_not_a_shootouts_is_kept_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\n")
    folder = tmp_path / "compare"
    folder.mkdir()
    mine = folder / "report.html"
    mine.write_text("<html><title>my notes</title></html>")

    sent: list[dict[str, Any]] = []

    def on_server(
        server: str, key: str | None, path: str, body: dict[str, Any], *rest: Any
    ) -> dict[str, Any]:
        sent.append(body)  # a server on another disk: it made the report there
        elsewhere = "/srv/other-disk/compare"
        return {
            "status": "completed",
            "report_file": f"{elsewhere}/report.html",
            "results_file": f"{elsewhere}/results.json",
            "urls": {"report": "/r", "results": "/j"},
            "ranking": [],
            "trials": [{"key": "ltx-tiny--p1", "error": None}],
        }

    def download(server: str, key: str | None, url: str, target: Path) -> Path:
        target.write_text("the server's report")
        return target

    monkeypatch.setattr(shootout_cli, "run_on_server", on_server)
    monkeypatch.setattr(shootout_cli, "download", download)
    args = ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(folder), "--server", "http://x.test"]
    result = CliRunner().invoke(app, args)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert said == (
        f"error: --output: {folder} holds a report.html that is not a shoot-out's, and the report would "
        "replace it; move that file, or give another folder"
    ), said
    assert sent == []  # refused before the run: no GPU time spent on a report that cannot be kept
    assert mine.read_text() == "<html><title>my notes</title></html>"
