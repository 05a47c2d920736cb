"""``reelgen batch --server`` read the finished batch's summary strictly: a server one version newer, whose
summary carries a field this client does not know (as 30b24806 added ``manifest``), ended a batch that had
run to the end in an internal error. The fields it knows are read; the rest are left."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import batch as batch_cli
from reelgen.core.batch import summarize


def test_a_summary_with_a_field_this_client_does_not_know_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "m.json"
    item = {"output": "a", "model": "ken-burns", "images": ["a.png"], "motion": {"preset": "zoom-in"}}
    manifest.write_text(json.dumps({"items": [item]}))
    summary = {**summarize([], 1.0, 2.0).model_dump(mode="json"), "from_the_future": {"x": 1}}
    summary_file = tmp_path / "outputs" / "batch-summary.json"
    done = {
        "status": "completed",
        "summary": summary,
        "summary_file": str(summary_file),
        "output_folder": "o",
    }

    def ran(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return done

    monkeypatch.setattr(batch_cli, "run_on_server", ran)
    result = CliRunner().invoke(app, ["batch", str(manifest), "--server", "http://reelgen.test", "-q"])
    assert result.exit_code == 0, result.output
    assert "0 of 0 done" in result.output and str(summary_file) in result.output
