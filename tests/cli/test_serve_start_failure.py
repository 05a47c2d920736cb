"""A job service that cannot start (Ray's "Version mismatch", say) is one error line, not uvicorn's traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.jobs.service import JobService


@pytest.mark.usefixtures("no_running_loop")
@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (
            RuntimeError("Version mismatch: The cluster was started with Ray 2.40\nand this is 2.41"),
            "internal error (RuntimeError: Version mismatch: The cluster was started with Ray 2.40 and this is 2.41)",
        ),
        (
            InvalidRequest("the Ray head at 10.0.0.5:6380 went away"),
            "the Ray head at 10.0.0.5:6380 went away",
        ),
    ],
)
def test_a_service_that_fails_to_start_is_said_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, free_tcp_port: int, failure: Exception, words: str
) -> None:
    def refuse(self: JobService) -> None:
        raise failure

    monkeypatch.setattr(JobService, "start", refuse)
    env = {"REELGEN_HOME": str(tmp_path), "RAY_ADDRESS": None, "REELGEN_TRACEBACK": None}
    result = CliRunner().invoke(app, ["serve", "--port", str(free_tcp_port)], env=env)
    said = " ".join(result.output.split())
    assert result.exit_code == 1, said
    assert f"error: the server could not start its job service: {words}" in said
    assert "Traceback" not in result.output and "Application startup failed" not in result.output
