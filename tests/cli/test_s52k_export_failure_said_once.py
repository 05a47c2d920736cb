"""A server export that fails on its worker is said once: not as the export child's line, then the job's."""

from __future__ import annotations

import pytest
import typer

from reelgen.cli import project_remote, project_server
from reelgen.cli.client import job_bar

WHY = "clip clips/k.mp4 is cut short (3 of its 8 frames are in the file)"


def _events(child: str) -> None:
    bar = job_bar(True)
    with bar:
        task = bar.add_task("running", total=100, info="")
        error = {"code": "invalid_request", "message": WHY}
        project_remote._show(bar, task, "child", {"child": child, "status": "failed", "error": error})


def test_a_failed_export_child_is_said_once_with_the_jobs_end(capsys: pytest.CaptureFixture[str]) -> None:
    _events("export")
    job = {
        "status": "failed",
        "error": {
            "message": f"the export (video_1) failed: invalid_request: {WHY}; the previous export is unchanged"
        },
    }
    with pytest.raises(typer.Exit) as ended:
        project_server._ended(job)
    assert ended.value.exit_code == 1
    said = " ".join(capsys.readouterr().err.split())
    assert said.count(WHY) == 1, said


def test_a_failed_scene_is_still_said_as_it_fails(capsys: pytest.CaptureFixture[str]) -> None:
    _events("scene-abc")  # the other scenes go on rendering, maybe for minutes: said at once
    assert WHY in " ".join(capsys.readouterr().err.split())
