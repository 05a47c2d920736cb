"""Stopping a command that follows a batch or shoot-out on a server: the job runs on, and the way to cancel it is said."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import typer

from reelgen.cli import remote
from reelgen.cli.sigterm import Terminated

CANCEL = "http://reelgen.test/v1/batches/batch_1/cancel"


def started(monkeypatch: pytest.MonkeyPatch, stop: BaseException) -> None:
    created = {"id": "batch_1", "status": "queued", "urls": {"cancel": CANCEL}}
    monkeypatch.setattr(remote, "call", lambda *args, **kwargs: httpx.Response(201, json=created))

    def follow(*args: Any) -> dict[str, Any]:
        raise stop

    monkeypatch.setattr(remote, "follow", follow)


@pytest.mark.parametrize(
    ("stop", "code", "words"),
    [
        (
            KeyboardInterrupt(),
            130,
            "stopped following; the batch keeps running on the server. Cancel it with:",
        ),
        (
            Terminated(),
            143,
            "stopped following by SIGTERM; the batch keeps running on the server. Cancel it with:",
        ),
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_a_stop_says_the_batch_runs_on_and_how_to_cancel_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stop: BaseException,
    code: int,
    words: str,
) -> None:
    started(monkeypatch, stop)
    with pytest.raises((typer.Exit, SystemExit)) as ended:
        remote.run_on_server("http://reelgen.test", None, "batches", {}, "batch", True)
    exit_code = getattr(
        ended.value, "exit_code", getattr(ended.value, "code", None)
    )  # typer.Exit or SystemExit
    assert exit_code == code
    said = " ".join(capsys.readouterr().err.split())
    assert words in said and "reelgen cancel batch_1 --server http://reelgen.test" in said
