"""A `reelgen serve` run in a test's process leaves uvicorn's loggers writing where they wrote before.

The two tests run in this order: the first sets uvicorn up as an in-process `reelgen serve` does, under
Typer's runner; the second is any later test, beside a server still running in this process.
"""

from __future__ import annotations

import logging

import uvicorn
from typer.testing import CliRunner

from tests.conftest import UVICORN_LOGGERS


def test_a_server_set_up_under_the_runner_points_uvicorn_at_its_output() -> None:
    with CliRunner().isolation():
        uvicorn.Config(app=lambda: None, log_level="info")  # as `reelgen serve` makes its config
        access = logging.getLogger("uvicorn.access")
        assert access.level == logging.INFO and access.handlers  # what the next test must not inherit


def test_a_later_test_finds_no_uvicorn_logger_writing_to_a_closed_stream() -> None:
    for name in UVICORN_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            stream = getattr(handler, "stream", None)
            assert stream is None or not stream.closed, f"{name} writes to a closed stream"
