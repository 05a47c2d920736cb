"""A manifest with no ``items`` key says what a manifest holds (it said "items is required"), and two outputs
that differ only in case say that case does not tell them apart (it said "outputs must differ" of 'A' and 'a')."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def _said(manifest: Path, body: object) -> str:
    manifest.write_text(json.dumps(body))
    result = CliRunner().invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 2, result.output
    assert not (manifest.parent / "outputs").exists()
    return " ".join(result.output.split())


def test_a_manifest_without_items_says_what_to_give(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    said = _said(manifest, {"defaults": {"model": "ken-burns"}})
    assert said.startswith(
        f'error: manifest {manifest} has no items: give "items", a list with one item per clip, e.g. '
        '{"items": [{"output": "shot-001", "images": ["a.png"]}]}'
    ), said
    # A misspelt key is still said as one.
    said = _said(manifest, {"itmes": []})
    assert "itmes is not a known field; did you mean items?" in said, said


def test_outputs_differing_only_in_case_say_case_does_not_count(tmp_path: Path) -> None:
    item = {"prompt": "x", "model": "ken-burns"}
    said = _said(tmp_path / "manifest.json", {"items": [{"output": "a", **item}, {"output": "A", **item}]})
    assert said.endswith(
        "items[1].output 'A' repeats items[0]'s name, case aside; outputs must differ in more than case "
        "(one file on macOS and Windows)"
    ), said
