"""A `--server` command prints the warnings the worker sends (which face speaks, a GIF without its voice)."""

from __future__ import annotations

import json

import httpx
import pytest

from reelgen.cli import client as client_cli

WARNING = "warning: 2 faces found in the photo; the largest is animated (number 1 of 0..1 from the left)"


def _events() -> str:
    step = {"progress": 0, "stage": "plan", "step": 0, "total": 0, "eta_s": None}
    events = [
        ("progress", {**step, "message": "memory plan: cpu"}),
        ("progress", {**step, "message": WARNING}),
        ("progress", {**step, "message": WARNING}),  # sent again (a resumed stream): said once
        ("completed", {"status": "completed", "progress": 100}),
    ]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def test_the_workers_warnings_are_printed_once_even_with_q(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/videos/video_1/events"
        return httpx.Response(200, text=_events(), headers={"Content-Type": "text/event-stream"})

    transport = httpx.MockTransport(answer)
    monkeypatch.setattr(
        client_cli, "_client", lambda *a, **k: httpx.Client(transport=transport, base_url="http://srv")
    )
    assert client_cli._watch("http://srv", None, "video_1", quiet=True, downloads=True) == "completed"
    said = " ".join(capsys.readouterr().err.split())
    # Nothing was printed: `reelgen avatar --server` animated one of two faces without a word.
    assert said.count(WARNING) == 1, said
    assert "memory plan" not in said  # a step line, which -q leaves out
