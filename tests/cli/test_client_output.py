"""What the job commands print around a watch, and ids they refuse before asking a server."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.api.sse import format_event
from reelgen.cli import app
from tests.cli.test_client_auth import STREAM, VIDEO, answered_by

runner = CliRunner()


@pytest.mark.parametrize("command", ["status", "watch", "cancel", "delete", "download"])
def test_an_empty_id_is_bad_input_said_before_asking(command: str) -> None:
    """It was sent as /v1/videos/, which the server answered "no route GET /v1/videos/"."""
    out = runner.invoke(app, [command, " ", "--server", "http://127.0.0.1:9"])
    assert out.exit_code == 2, out.output
    text = " ".join(out.output.replace("│", " ").split())  # the error box's borders aside
    assert "give a job id (video_..., as `reelgen list` shows them)" in text


def test_a_watch_leaves_no_blank_line_after_its_last_word(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/events"):
            return httpx.Response(
                200, text=format_event("completed", {"id": VIDEO}, event_id=1), headers=STREAM
            )
        return httpx.Response(404, json={"error": {"message": f"no job {request.url.path!r}", "param": None}})

    answered_by(monkeypatch, handler)
    done = runner.invoke(app, ["watch", VIDEO, "--server", "http://reelgen.test"])
    # The --server typed goes with the hint: without it the download asked the default server.
    said = f"completed: reelgen download {VIDEO} --server http://reelgen.test\n"
    assert done.exit_code == 0 and done.stderr.endswith(said), done.stderr
    from_env = runner.invoke(app, ["watch", VIDEO], env={"REELGEN_SERVER": "http://reelgen.test"})
    assert from_env.exit_code == 0 and from_env.stderr.endswith(f"completed: reelgen download {VIDEO}\n")
    unknown = runner.invoke(app, ["status", "video_x", "--server", "http://reelgen.test"])
    assert unknown.exit_code == 2 and unknown.stderr.endswith("'/v1/videos/video_x'\n")


@pytest.mark.parametrize("command", [["submit", "a fox"], ["remix", "video_x", "a fox"]])
def test_an_empty_idempotency_key_is_bad_input_not_a_new_job_each_time(command: list[str]) -> None:
    """``--idempotency-key "$KEY"`` with KEY unset was sent without a key, so every retry queued
    another job; the server refuses an empty key, the command dropped it before it got there."""
    out = runner.invoke(app, [*command, "--idempotency-key", "", "--server", "http://127.0.0.1:9"])
    assert out.exit_code == 2, out.output
    text = " ".join(out.output.replace("│", " ").split())
    assert "--idempotency-key" in text and "is empty (an unset variable?)" in text


def test_the_api_url_the_banner_prints_works_as_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`reelgen serve` says "the API under http://HOST:PORT/v1", OpenAI clients take that as their
    base_url; given to --server it was asked for /v1/v1/videos and answered "no route" (exit 2)."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False, "last_id": None})

    answered_by(monkeypatch, handler)
    for server in ("http://reelgen.test/v1", "http://reelgen.test/v1/", "http://reelgen.test/"):
        out = runner.invoke(app, ["list", "--server", server])
        assert out.exit_code == 0, out.output
    assert asked == ["/v1/videos", "/v1/batches", "/v1/shootouts"] * 3  # an empty list asks for the others


def test_a_server_port_out_of_range_is_bad_input_not_connection_refused() -> None:
    out = runner.invoke(app, ["list", "--server", "http://127.0.0.1:99999"])
    assert out.exit_code == 2, out.output
    assert "has port 99999; a port is 1 to 65535" in " ".join(out.output.replace("│", " ").split())


@pytest.mark.parametrize(
    "args",
    [
        ["submit", "a fox", "--seconds", "nan"],
        ["submit", "a fox", "--fps", "inf"],
        ["submit", "a fox", "--upscale", "nan"],
        ["remix", "video_x", "a fox", "--guidance", "-inf"],
    ],
)
def test_a_number_no_json_body_can_carry_is_bad_input_not_a_traceback(args: list[str]) -> None:
    """httpx refused to encode nan or inf into the body: the command died with a ValueError traceback."""
    out = runner.invoke(app, [*args, "--server", "http://127.0.0.1:9"])
    assert out.exit_code == 2, out.output
    assert "is not a number a request can carry; give a finite one" in " ".join(out.output.split())
