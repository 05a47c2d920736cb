"""`reelgen models` and the model `generate` picks by itself, with a download stopped part-way."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.auto_model import auto_model
from tests.core.test_weights import ltx_snapshot

runner = CliRunner()


def _cached(model: str) -> str:
    result = runner.invoke(app, ["models", "--family", "ltx", "--json"])
    assert result.exit_code == 0, result.output
    return next(r["cached"] for r in json.loads(result.stdout) if r["model"] == model)


def test_models_says_partial_for_a_half_done_pull_and_auto_does_not_pick_it(tmp_path: Path) -> None:
    ltx_snapshot(tmp_path / "hf-cache", whole=False)
    assert _cached("ltx-2b") == "partial"
    table = runner.invoke(app, ["models", "--family", "ltx"]).stdout
    assert next(line for line in table.splitlines() if "ltx-2b " in line).rstrip(" │").endswith("partial")
    assert auto_model()[0] == "reelgen-micro"


def test_models_says_hf_cache_once_the_pull_is_whole_and_auto_picks_it(tmp_path: Path) -> None:
    ltx_snapshot(tmp_path / "hf-cache", whole=True)
    assert _cached("ltx-2b") == "hf-cache"
    assert auto_model()[0] == "ltx-2b"
