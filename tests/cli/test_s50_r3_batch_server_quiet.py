"""``reelgen batch --server -q`` and ``reelgen shootout --server -q`` leave each item's line out, as ``-q``
does in process; the failures are still said, in the summary after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.api.sse import format_event
from tests.cli.test_s50_batch2_plan_failure_lines import BLURRED, SERVER, _counts, _item, _run, _serve


def _batch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    manifest = tmp_path / "manifest.json"
    items = [{"output": n, "prompt": "a fox", "model": "wan-tiny"} for n in ("fox", "black", "blurred")]
    manifest.write_text(json.dumps({"items": items}))
    base = {"id": "batch_1", "urls": {"cancel": f"{SERVER}/v1/batches/batch_1/cancel"}}
    summary = {
        "total": 3,
        "done": 1,
        "reused": 0,
        "failed": [{"output": "black", "reason": "the model made black frames (job video_2)"}],
        "skipped": [{"output": "blurred", "reason": BLURRED}],
        "time_s": 1.0,
        "render_hours": 0.0,
        "price_per_gpu_hour": 0.0,
        "currency": "USD",
        "estimated_cost": 0.0,
        "peak_vram_gib": None,
        "devices": [],
        "outputs": [],
    }
    done = {
        **base,
        "status": "completed",
        "request_counts": _counts(3, completed=1, failed=1),
        "summary": summary,
        "summary_file": str(tmp_path / "elsewhere" / "batch-summary.json"),
        "output_folder": str(tmp_path / "elsewhere"),
    }
    events = "".join(
        [
            format_event("open", {"id": "batch_1"}),
            format_event("item", _item("fox", "video_1", "completed")),
            format_event("item", _item("black", "video_2", "failed")),
            format_event("completed", done),
        ]
    )
    _serve(monkeypatch, "batches", {**base, "status": "queued", "request_counts": _counts(3)}, events)
    return manifest


def test_batch_server_quiet_leaves_item_lines_out_but_says_failures_in_the_summary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    manifest = _batch(monkeypatch, tmp_path)
    out, lines = _run("batch", str(manifest), "--server", SERVER, "-q")
    assert out.exit_code == 1, out.output
    said = lines.index("1 of 3 done (0 from an earlier run), 1 failed, 1 skipped")
    before = lines[:said]
    assert before == ["batch batch_1 on http://reelgen.test"], out.output  # no item lines
    after = "\n".join(lines[said:])
    assert "black: the model made black frames" in after and f"blurred: {BLURRED}" in after

    # Without -q each item still gets its line as it ends.
    out, lines = _run("batch", str(manifest), "--server", SERVER)
    assert "fox: done (video_1)" in lines and "black: failed the model made black frames" in lines
    assert f"blurred: skipped {BLURRED}" in lines


def test_shootout_server_quiet_leaves_trial_lines_out_but_says_failures_after_the_ranking(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prompts = tmp_path / "prompts.json"
    prompts.write_text(json.dumps({"prompts": ["a fox"]}))
    base = {"id": "shootout_1", "urls": {"cancel": f"{SERVER}/v1/shootouts/shootout_1/cancel"}}
    trials = [
        {"key": "wan-tiny--p1", "model": "wan-tiny", "error": None},
        {"key": "ltx-tiny--p1", "model": "ltx-tiny", "error": {"message": "the model made black frames"}},
    ]
    done = {
        **base,
        "status": "completed",
        "request_counts": _counts(2, completed=1, failed=1),
        "ranking": [{"model": "wan-tiny", "score": 50.0, "done": 1, "trials": 1}],
        "trials": trials,
        "report_file": str(tmp_path / "report.html"),
        "results_file": str(tmp_path / "results.json"),
        "output_folder": str(tmp_path),
    }
    # The server's report, on this disk (a report.html of no shoot-out's there is refused before sending).
    (tmp_path / "report.html").write_text("<html><title>reelgen shoot-out</title></html>")
    events = "".join(
        [
            format_event("open", {"id": "shootout_1"}),
            format_event("item", _item("wan-tiny--p1", "video_1", "completed")),
            format_event("item", _item("ltx-tiny--p1", "video_2", "failed")),
            format_event("completed", done),
        ]
    )
    _serve(monkeypatch, "shootouts", {**base, "status": "queued", "request_counts": _counts(2)}, events)
    args = ["shootout", "--models", "wan-tiny,ltx-tiny", "--prompts", str(prompts), "-o", str(tmp_path)]
    out, lines = _run(*args, "--server", SERVER, "-q")
    assert out.exit_code == 0, out.output
    ranked = lines.index("wan-tiny: mean score 50.0 (1 of 1 finished)")
    assert lines[:ranked] == ["shootout shootout_1 on http://reelgen.test"], out.output
    assert "ltx-tiny--p1 failed: the model made black frames" in lines[ranked:]
