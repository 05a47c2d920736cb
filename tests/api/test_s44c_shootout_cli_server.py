"""`reelgen shootout --server`: a prompts file outside the server's folders is fine unless a prompt names an image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import shootout as shootout_cli
from reelgen.cli.remote import ServerError

runner = CliRunner()


@pytest.fixture
def posted(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[int]:
    """The statuses of the shoot-outs the command posted to a server taking only ``tmp_path/roots``."""
    (tmp_path / "roots").mkdir()
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path / "roots"))
    client = make_client()
    statuses: list[int] = []

    def run_on_server(
        server: str, key: Any, path: str, body: dict[str, Any], noun: str, quiet: bool, *_: Any
    ) -> Any:
        resp = client.post(f"/v1/{path}", json=body)
        statuses.append(resp.status_code)
        if resp.status_code >= 400:  # as the client's own check says it
            error = resp.json()["error"]
            raise ServerError(
                f"HTTP {resp.status_code}: {error['message']}",
                resp.status_code,
                bad_input=True,
                param=error["param"],
                said=error["message"],
            )
        raise typer.Exit(0)  # queued: following it is not what is tested here

    monkeypatch.setattr(shootout_cli, "run_on_server", run_on_server)
    return statuses


def _run(prompts: Path, out: Path) -> Any:
    args = ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(out), "-q"]
    return runner.invoke(app, [*args, "--server", "http://reelgen.test"])


def test_a_prompts_file_outside_the_roots_with_no_image_is_queued(tmp_path: Path, posted: list[int]) -> None:
    prompts = tmp_path / "prompts.txt"  # outside the server's folders: nothing is read from its folder
    prompts.write_text("a fox\n")
    result = _run(prompts, tmp_path / "roots" / "compare")
    assert result.exit_code == 0, result.output
    assert posted == [202]


def test_a_prompt_image_outside_the_roots_names_the_prompts_option(tmp_path: Path, posted: list[int]) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts:\n  - {prompt: a fox, image: fox.png}\n")
    result = _run(prompts, tmp_path / "roots" / "compare")
    assert posted == [403] and result.exit_code != 0
    said = " ".join(result.output.split())
    assert f"--prompts (its folder): {tmp_path} is outside the folders this server may use" in said
