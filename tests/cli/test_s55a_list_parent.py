"""``reelgen list --parent ID``: one batch's or shoot-out's item jobs only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.test_s55a_video_parent import shootout_with_item
from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run


def test_list_parent_shows_its_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    with in_process(tmp_path, monkeypatch) as app:
        shootout, item = shootout_with_item(app, tmp_path / "report")
        app.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro"})
        out = _run("list", "--parent", shootout)
        assert out.exit_code == 0, out.output
        assert [line.split()[0] for line in out.stdout.splitlines()] == [item]
