"""`reelgen pull` of several names says truly what became of each, and a Ctrl-C says how to finish."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.fixture
def no_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Hub endpoint on loopback that refuses every connection, as a machine with no network does."""
    from huggingface_hub import constants

    with socket.socket() as closed:  # a port bound and let go: nothing listens on it
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield


def said(text: str) -> str:
    return " ".join(text.split())


def test_a_tiny_model_beside_one_that_failed_is_not_said_to_be_pulled(no_hub: None) -> None:
    # It ended "not pulled: ltx-2b (why is said above); pulled: ltx-tiny", though nothing was downloaded.
    result = runner.invoke(app, ["pull", "ltx-tiny", "ltx-2b"])
    assert result.exit_code == 1, result.output
    last = said(result.stderr).rsplit("error: ", 1)[-1]
    assert last == "not pulled: ltx-2b (why is said above); nothing to download for: ltx-tiny"
    assert "pulled: ltx-tiny" not in said(result.stderr)


def test_ctrl_c_during_a_pull_says_the_files_down_are_kept_and_how_to_finish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reelgen.core import weights

    def interrupted(preset: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(weights, "pull", interrupted)
    result = runner.invoke(app, ["pull", "ltx-tiny", "ltx-2b", "wan-1.3b"])
    assert result.exit_code == 130, result.output
    assert said(result.stderr).endswith(
        "error: stopped with Ctrl-C while pulling ltx-2b; the files already downloaded are kept: run "
        "`reelgen pull ltx-2b wan-1.3b` again to finish"
    )
