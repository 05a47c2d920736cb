"""`reelgen status` says where a video came from: a remix of one video, or an enhancement of one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from tests.api.conftest import data_dir, make_client  # noqa: F401  (fixtures)
from tests.api.test_s53h_enhanced_from import _completed


def test_the_status_line_says_remix_of_or_enhanced_from(
    make_client: Callable[..., TestClient],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = make_client()

    @contextmanager
    def the_app(*_: object, **__: object) -> Iterator[TestClient]:
        yield server  # kept open: the fixture closes it

    monkeypatch.setattr(client_cli, "_client", the_app)
    source = _completed(server, tmp_path)
    enhanced = server.post(f"/v1/videos/{source['id']}/enhance", json={"upscale": 2, "upscaler": "lanczos"})
    remix = server.post(f"/v1/videos/{source['id']}/remix", json={"prompt": "the fox at night"})
    said = {}
    for name, video in (("source", source), ("enhanced", enhanced.json()), ("remix", remix.json())):
        out = CliRunner().invoke(cli_app, ["status", video["id"], "--server", "http://test"])
        assert out.exit_code == 0, out.output
        said[name] = out.output
    # The line said nothing of a source, and --json named an enhancement's as remixed_from_video_id.
    assert said["enhanced"].rstrip().endswith(f"enhanced from {source['id']}")
    assert said["remix"].rstrip().endswith(f"remix of {source['id']}")
    assert "from" not in said["source"] and "remix" not in said["source"]
