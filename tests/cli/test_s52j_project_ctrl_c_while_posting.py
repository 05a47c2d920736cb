"""Ctrl-C (or a kill) while `reelgen project render --server` waits for the render's POST to be
answered: the server may have started it, and the words say so and how to find and stop it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import typer

from reelgen.cli import project_remote
from reelgen.cli.sigterm import Terminated
from reelgen.core.project import ProjectFolder
from tests.jobs.projects import make_film

SERVER = "http://reelgen.test"


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(KeyboardInterrupt(), 130, "stopped with Ctrl-C"), (Terminated(), 143, "stopped by SIGTERM")],
)
def test_a_stop_before_the_render_is_answered_says_it_may_run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    stop: BaseException,
    code: int,
    said: str,
) -> None:
    folder = ProjectFolder.find(make_film(tmp_path / "film"))

    def handler(request: httpx.Request) -> httpx.Response:
        raise stop  # the POST went out; its answer never came

    remote = project_remote.Remote(SERVER, None, folder)
    remote.__dict__["http"] = httpx.Client(base_url=SERVER, transport=httpx.MockTransport(handler))
    monkeypatch.setattr(remote, "sync", lambda: {"id": "proj_1"})
    with pytest.raises((typer.Exit, SystemExit)) as ended:
        project_remote.render(remote, None, False, False, True)
    exit_code = ended.value.exit_code if isinstance(ended.value, typer.Exit) else ended.value.code
    assert exit_code == code
    words = " ".join(capsys.readouterr().err.split()) + " ".join(str(ended.value).split())
    assert f"{said} before {SERVER} answered; the server may have started the render anyway: " in words, words
    assert f"reelgen project status {folder.root} --server {SERVER} shows it" in words
    assert f"reelgen cancel ID --server {SERVER} stops it" in words
    assert "nothing half-written" not in words
