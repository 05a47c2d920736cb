"""``reelgen delete`` of a running shoot-out's item job says which reelgen commands stop or delete the
shoot-out (the server's words name HTTP routes only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.test_s55a_video_parent import shootout_with_item
from tests.cli.in_process import SERVER, in_process
from tests.cli.in_process import run as _run


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    monkeypatch.delenv("REELGEN_SERVER", raising=False)
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def test_delete_of_a_running_shootouts_item_names_the_commands(app: TestClient, tmp_path: Path) -> None:
    shootout, item = shootout_with_item(app, tmp_path / "report")
    out = _run("delete", item)
    assert out.exit_code == 2, out.output
    said = " ".join(out.stderr.split())
    assert said == (
        f"error: HTTP 409: {item} is an item of the shoot-out {shootout}, which is still running and would "
        f"make it again; delete it once the shoot-out has ended (reelgen cancel {shootout} --server {SERVER} "
        f"ends it now), or delete the shoot-out with its items: reelgen delete {shootout} --server {SERVER}"
    )
    assert app.get(f"/v1/videos/{item}").status_code == 200
