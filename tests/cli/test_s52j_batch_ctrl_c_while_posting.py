"""Ctrl-C (or a kill) while ``batch --server`` or ``shootout --server`` waits for its POST's answer:
the server may have started it, and the words say so and where to find it."""

from __future__ import annotations

import pytest
import typer

from reelgen.cli import remote
from reelgen.cli.sigterm import Terminated


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(KeyboardInterrupt(), 130, "stopped with Ctrl-C"), (Terminated(), 143, "stopped by SIGTERM")],
)
def test_a_stop_before_the_post_is_answered_says_the_batch_may_have_started(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stop: BaseException,
    code: int,
    said: str,
) -> None:
    def call(*args: object, **kwargs: object) -> None:
        raise stop

    monkeypatch.setattr(remote, "call", call)
    with pytest.raises((typer.Exit, SystemExit)) as ended:
        remote.run_on_server("http://reelgen.test", None, "batches", {}, "batch", True)
    exit_code = ended.value.exit_code if isinstance(ended.value, typer.Exit) else ended.value.code
    assert exit_code == code
    words = " ".join(capsys.readouterr().err.split()) + " ".join(str(ended.value).split())
    assert (
        f"{said} before http://reelgen.test answered; the server may have started the batch anyway: "
        "GET http://reelgen.test/v1/batches lists it, and its urls.cancel stops it"
    ) in words, words
    assert "nothing half-written" not in words
