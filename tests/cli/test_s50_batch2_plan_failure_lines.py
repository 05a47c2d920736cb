"""``reelgen batch --server`` and ``reelgen shootout --server``: an item or trial that failed (or was skipped)
while the server planned it gets its own line, as an item whose job failed does; it was named only in the
summary's lines, grouped with others by cause."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app as cli_app
from reelgen.cli import remote

SERVER = "http://reelgen.test"
STREAM = {"Content-Type": "text/event-stream"}
OUTSIDE = "items[1] (outside): the camera path's end crop lies outside the image (1000x800)"
BLURRED = "keyframe blurred.png is too blurry (sharpness 3.1, at least 40 wanted)"


def _counts(total: int, **by: int) -> dict[str, int]:
    return {"total": total, "queued": 0, "in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, **by}


def _serve(monkeypatch: pytest.MonkeyPatch, path: str, created: dict[str, Any], events: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == f"/v1/{path}":
            return httpx.Response(202, json=created)
        if request.url.path == f"/v1/{path}/{created['id']}/events":
            return httpx.Response(200, text=events, headers=STREAM)
        return httpx.Response(404, json={"error": {"message": f"no {request.url.path}", "type": "x"}})

    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(remote, "_client", client)


def _run(*args: str) -> tuple[Result, list[str]]:
    out = CliRunner().invoke(cli_app, list(args), env={"REELGEN_SERVER": None, "REELGEN_API_KEY": None})
    return out, [" ".join(line.split()) for line in out.output.splitlines()]


def _stream(noun: str, item: Callable[[str, str, str], dict[str, Any]], done: dict[str, Any]) -> str:
    return "".join(
        [
            format_event("open", {"id": done["id"]}),
            format_event("item", item("fox", "video_1", "completed")),
            format_event("item", item("black", "video_2", "failed")),
            format_event("completed", done),
        ]
    )


def _item(key: str, job_id: str, status: str) -> dict[str, Any]:
    error = {"message": "the model made black frames", "code": "x"} if status == "failed" else None
    return {"key": key, "job_id": job_id, "status": status, "progress": 100, "error": error}


def test_a_batch_item_that_failed_to_plan_gets_its_own_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    manifest = tmp_path / "manifest.json"
    items = [{"output": n, "prompt": "a fox", "model": "wan-tiny"} for n in ("fox", "outside", "blurred")]
    manifest.write_text(
        json.dumps({"items": [*items, {"output": "black", "prompt": "x", "model": "wan-tiny"}]})
    )
    base = {"id": "batch_1", "urls": {"cancel": f"{SERVER}/v1/batches/batch_1/cancel"}}
    summary = {
        "total": 4,
        "done": 1,
        "reused": 0,
        "failed": [
            {"output": "outside", "reason": OUTSIDE},
            {"output": "black", "reason": "the model made black frames (job video_2)"},
        ],
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
        "request_counts": _counts(4, completed=1, failed=1),
        "summary": summary,
        "summary_file": str(tmp_path / "elsewhere" / "batch-summary.json"),
        "output_folder": str(tmp_path / "elsewhere"),
    }
    created = {**base, "status": "queued", "request_counts": _counts(4)}
    _serve(monkeypatch, "batches", created, _stream("batch", _item, done))
    out, lines = _run("batch", str(manifest), "--server", SERVER)
    assert out.exit_code == 1, out.output
    said = lines.index("1 of 4 done (0 from an earlier run), 2 failed, 1 skipped")
    # Each item once, as it is known, before the summary; the item whose job failed as before.
    before = lines[:said]
    assert before.count("black: failed the model made black frames") == 1
    assert f"outside: failed {OUTSIDE}" in before
    assert f"blurred: skipped {BLURRED}" in before


def test_a_trial_that_failed_to_plan_gets_its_own_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prompts = tmp_path / "prompts.json"
    prompts.write_text(json.dumps({"prompts": ["a fox"]}))
    base = {"id": "shootout_1", "urls": {"cancel": f"{SERVER}/v1/shootouts/shootout_1/cancel"}}
    unplanned = "needs a start image (images) and this prompt has none"
    trials = [
        {"key": "wan-tiny--p1", "model": "wan-tiny", "error": None},
        {"key": "ltx-tiny--p1", "model": "ltx-tiny", "error": {"message": unplanned}},
    ]
    done = {
        **base,
        "status": "completed",
        "request_counts": _counts(2, completed=1),
        "ranking": [{"model": "wan-tiny", "score": 50.0, "done": 1, "trials": 1}],
        "trials": trials,
        "report_file": str(tmp_path / "report.html"),
        "results_file": str(tmp_path / "results.json"),
        "output_folder": str(tmp_path),
    }
    # The server's report, on this disk (a report.html of no shoot-out's there is refused before sending).
    (tmp_path / "report.html").write_text("<html><title>reelgen shoot-out</title></html>")
    created = {**base, "status": "queued", "request_counts": _counts(2)}
    events = "".join(
        [
            format_event("open", {"id": "shootout_1"}),
            format_event("item", _item("wan-tiny--p1", "video_1", "completed")),
            format_event("completed", done),
        ]
    )
    _serve(monkeypatch, "shootouts", created, events)
    args = ["shootout", "--models", "wan-tiny,ltx-tiny", "--prompts", str(prompts), "-o", str(tmp_path)]
    out, lines = _run(*args, "--server", SERVER)
    assert out.exit_code == 0, out.output
    ranked = lines.index("wan-tiny: mean score 50.0 (1 of 1 finished)")
    # Said as this command's option, as the lines after the ranking say it.
    assert "ltx-tiny--p1: failed needs a start image (--images) and this prompt has none" in lines[:ranked]
