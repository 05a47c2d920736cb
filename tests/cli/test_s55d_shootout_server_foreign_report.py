"""``reelgen shootout --server URL -o DIR`` where DIR holds a report.html of the person's own and the server is on
another disk: the report it made is not downloaded over that file (it was, without a word, exit 0); the
command says so and where to fetch the report, exit 2 as the local run refuses such a folder."""

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

    def on_server(
        server: str, key: str | None, path: str, body: dict[str, Any], *rest: Any
    ) -> dict[str, Any]:
        # A server on another disk: it made the report there.
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
    assert said.endswith(
        f"error: -o {folder}: it holds a report.html that is not a shoot-out's, so the report the server made "
        "was not downloaded over it; move that file and fetch the report from http://x.test/r"
    ), said
    assert mine.read_text() == "<html><title>my notes</title></html>"
