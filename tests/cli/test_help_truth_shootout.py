"""`reelgen shootout --server` names the option a person typed when the server refuses it, as batch does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.cli import app, remote
from tests.api.conftest import data_dir, make_client  # noqa: F401  (fixtures)

runner = CliRunner()


@pytest.fixture
def served(
    make_client: Callable[..., TestClient],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--server`` answered by the real API (its jobs queue but never run), using tmp_path/shots only."""
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path / "shots"))
    api = make_client()

    def answer(request: httpx.Request) -> httpx.Response:
        resp = api.request(request.method, request.url.path, content=request.content, headers=request.headers)
        return httpx.Response(resp.status_code, headers=resp.headers, content=resp.content)

    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(remote, "_client", client)


@pytest.mark.usefixtures("served")
def test_a_report_folder_the_server_may_not_use_is_said_as_o(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    prompts = shots / "prompts.txt"
    prompts.write_text("a red circle\n")
    elsewhere = tmp_path / "elsewhere"
    argv = ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(elsewhere), "-q"]
    result = runner.invoke(app, [*argv, "--server", "http://reelgen.test"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"error: HTTP 403: -o: {elsewhere} is outside the folders this server may use")
    assert "output_folder" not in said and not elsewhere.exists()
