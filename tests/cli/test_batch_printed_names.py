"""`reelgen batch` and `manifest create` print names with brackets and spaces as they are."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def test_a_failure_naming_brackets_is_printed_as_it_is_not_an_internal_error(tmp_path: Path) -> None:
    # Missing images stop the batch before any model loads, so this renders nothing.
    manifest = tmp_path / "manifest.json"
    items = [{"output": "a", "images": ["x[/].png"]}, {"output": "b", "images": ["[b]y.png"]}]
    manifest.write_text(json.dumps({"defaults": {"model": "ltx-tiny"}, "items": items}))
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 2, result.output
    out = said(result.output)
    assert "internal error" not in out
    assert "items[0].images[0]: x[/].png does not exist" in out
    assert "and items[1].images[0]: [b]y.png does not exist" in out


def test_manifest_create_gives_a_command_that_runs_when_copied(tmp_path: Path) -> None:
    folder = tmp_path / "takes [final]"
    folder.mkdir()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(folder / "a.png")
    result = runner.invoke(app, ["manifest", "create", str(folder)])
    assert result.exit_code == 0, result.output
    quoted = shlex.quote(str(folder / "manifest.json"))
    assert f"then `reelgen batch {quoted}`" in said(result.output)
