"""`reelgen replay ''` and `reelgen shootout -p ''` (an unset variable): refused as empty, by name, not as "." a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(result: Any) -> str:
    return " ".join(result.output.replace("│", " ").split())  # a usage error's box wraps lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["replay", ""], "Invalid value for 'path': it is empty; give a video reelgen made or its .json"),
        (["replay", " "], "Invalid value for 'path': it is empty; give a video reelgen made or its .json"),
        (
            ["shootout", "-m", "wan-tiny", "-p", "", "-o", "report"],
            "Invalid value for '--prompts' / '-p': it is empty; give a YAML or .txt file of prompts",
        ),
    ],
)
def test_an_empty_path_is_refused_as_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    # Read as a path "" is ".", so both said ". is a folder", naming neither the argument nor the mistake.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in said(result), said(result)
    assert ". is a folder" not in said(result)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["replay", "https://example.com/a.mp4"],
            "Invalid value for 'path': https://example.com/a.mp4 is a URL; give a video reelgen made",
        ),
        (
            ["shootout", "-m", "wan-tiny", "-p", "https://example.com/p.yaml", "-o", "report"],
            "'--prompts' / '-p': https://example.com/p.yaml is a URL; give a YAML or .txt file of prompts",
        ),
    ],
)
def test_a_url_is_refused_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    # Read as a path, "https://x" is "https:/x": "https:/example.com/a.mp4 does not exist".
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in said(result), said(result)
    assert "(download it first)" in said(result)
    assert list(tmp_path.iterdir()) == []
