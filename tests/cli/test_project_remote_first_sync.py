"""Two first `reelgen project ... --server` runs of one folder at once make one server project, not two."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import project_remote
from reelgen.core.project import ProjectFolder
from reelgen.jobs.settings import JobSettings
from tests.jobs.projects import make_film

SERVER = "http://testserver"
#: Bound on each wait for the other thread (it is never reached unless something hangs).
WAIT_S = 20.0


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    """The real API over a store with no workers: projects are made and kept, no job runs."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as client:
        yield client


class _Paused(project_remote.Remote):
    """Stops in its upload of a new project until ``go`` is set: the moment the other run comes by."""

    def __init__(self, folder: ProjectFolder, posting: threading.Event, go: threading.Event) -> None:
        super().__init__(SERVER, None, folder)
        self.posting, self.go = posting, go

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        if (method, path) == ("POST", "/v1/projects"):
            self.posting.set()
            assert self.go.wait(WAIT_S)
        return super().call(method, path, **kwargs)


def test_a_second_first_run_waits_for_the_first_and_uses_the_project_it_made(
    api: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither had a saved id, so each made a project on the server: two copies of the upload, and
    servers.json kept the one written last, the other left there unreachable."""
    folder = ProjectFolder.find(make_film(tmp_path / "film"))
    posting, go, second_at_lock = threading.Event(), threading.Event(), threading.Event()
    said: list[str] = []

    def print_(*args: Any, **_: Any) -> None:
        said.append(" ".join(str(a) for a in args))
        second_at_lock.set()

    monkeypatch.setattr(project_remote.console, "print", print_)
    first = _Paused(folder, posting, go)
    second = project_remote.Remote(SERVER, None, folder)
    for remote in (first, second):
        remote.__dict__["http"] = api
    got: dict[str, Any] = {}

    def run(name: str, remote: project_remote.Remote) -> None:
        try:
            got[name] = remote.sync()["id"]
        finally:
            second_at_lock.set()  # ended (or failed): nothing more to wait for

    one = threading.Thread(target=run, args=("first", first))
    one.start()
    assert posting.wait(WAIT_S)  # the first is sending the new project now
    two = threading.Thread(target=run, args=("second", second))
    two.start()
    assert second_at_lock.wait(WAIT_S)  # the second waits at the folder's lock, or (unlocked) is done
    go.set()
    one.join(WAIT_S)
    two.join(WAIT_S)

    made = [p["id"] for p in api.get("/v1/projects").json()["data"]]
    assert made == [got["first"]]
    assert got["second"] == got["first"]
    saved = json.loads((folder.root / ".reelgen" / "servers.json").read_text())
    assert saved == {SERVER: got["first"]}
    assert said == [
        f"waiting: another reelgen command is sending this project to {SERVER} (the folder's "
        ".reelgen/servers.lock)"
    ]
