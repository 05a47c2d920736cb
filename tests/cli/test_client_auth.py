"""API keys as a user gives them (--api-key, REELGEN_API_KEY), a server that refuses them, and
Ctrl-C while watching: what each command says and how it exits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.api.sse import format_event
from reelgen.cli import app
from reelgen.cli import client as client_cli
from tests.jobs.projects import make_film

runner = CliRunner()
VIDEO = "video_" + "0" * 32
SERVER = "http://reelgen.test"
STREAM = {"Content-Type": "text/event-stream"}


def said(text: str) -> str:
    return " ".join(text.split())


def answered_by(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    """The jobs commands' HTTP client answered by ``handler``, with the headers they would send."""
    made = client_cli._client

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        real = made(server, api_key)
        return httpx.Client(base_url=server, headers=real.headers, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(client_cli, "_client", client)


def key_check(request: httpx.Request) -> httpx.Response:
    """reelgen's answer to a request without the right bearer key."""
    if request.headers.get("Authorization") == "Bearer sekrit":
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False, "last_id": None})
    error = {"message": "missing or wrong API key; send `Authorization: Bearer <key>`", "param": None}
    return httpx.Response(401, json={"error": error})


def test_a_401_says_how_to_give_the_key_and_whether_one_was_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    answered_by(monkeypatch, key_check)
    none = runner.invoke(app, ["list", "--server", SERVER], env={"REELGEN_API_KEY": None})
    assert none.exit_code == 2
    assert "the server requires an API key: pass --api-key KEY or set REELGEN_API_KEY" in said(none.stderr)
    wrong = runner.invoke(app, ["list", "--server", SERVER, "--api-key", "guess"])
    assert wrong.exit_code == 2
    assert "the server refused the API key given (--api-key or REELGEN_API_KEY)" in said(wrong.stderr)
    right = runner.invoke(app, ["list", "--server", SERVER], env={"REELGEN_API_KEY": "sekrit"})
    assert right.exit_code == 0 and "no video jobs" in right.stderr


@pytest.mark.parametrize("key", ["ключ", "two\nlines"], ids=["non-ascii", "newline"])
@pytest.mark.parametrize("command", ["status", "watch", "download", "batch", "project"])
def test_a_key_no_header_can_carry_is_bad_input_said_without_the_key(
    tmp_path: Path, key: str, command: str
) -> None:
    """It was a UnicodeEncodeError traceback, or "cannot reach ... is reelgen serve running?"."""
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"items": [{"output": "one", "images": ["a.png"], "prompt": "a fox"}]}')
    args = {
        "status": ["status", VIDEO],
        "watch": ["watch", VIDEO],
        "download": ["download", VIDEO, "-o", str(tmp_path / "fox.mp4")],
        "batch": ["batch", str(manifest), "-q"],
        "project": ["project", "status", str(make_film(tmp_path / "film"))],
    }[command]
    out = runner.invoke(app, [*args, "--server", "http://127.0.0.1:9"], env={"REELGEN_API_KEY": key})
    assert out.exit_code == 2, out.output
    assert "holds characters no HTTP header can carry; a key is printable ASCII" in said(out.output)
    assert key not in out.output and "cannot reach" not in out.output
    assert out.exception is None or isinstance(out.exception, SystemExit)


def test_ctrl_c_while_watching_exits_130_and_says_the_job_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> Iterator[bytes]:
        yield format_event("progress", {"id": VIDEO, "progress": 40}, event_id=3).encode()
        raise KeyboardInterrupt

    answered_by(monkeypatch, lambda request: httpx.Response(200, content=interrupted(), headers=STREAM))
    out = runner.invoke(app, ["watch", VIDEO, "--server", SERVER])
    assert out.exit_code == 130, out.output
    # The hints keep the --server typed, and say how to fetch the file the watch would have waited for.
    typed = f"--server {SERVER}"
    assert (
        f"stopped watching; {VIDEO} keeps running on the server (reelgen cancel {VIDEO} {typed} stops it, "
        f"reelgen download {VIDEO} {typed} fetches it once done)" in said(out.stderr)
    )


def test_a_kill_while_watching_exits_143_and_says_the_job_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill said only "stopped by SIGTERM; nothing half-written was left", not that the job runs on."""
    from reelgen.cli.sigterm import Terminated

    def killed() -> Iterator[bytes]:
        yield format_event("progress", {"id": VIDEO, "progress": 40}, event_id=3).encode()
        raise Terminated  # what cli.sigterm's handler raises when SIGTERM arrives

    answered_by(monkeypatch, lambda request: httpx.Response(200, content=killed(), headers=STREAM))
    out = runner.invoke(app, ["watch", VIDEO, "--server", SERVER])
    assert out.exit_code == 143, out.output
    assert (
        f"stopped watching by SIGTERM; {VIDEO} keeps running on the server (reelgen cancel {VIDEO} "
        f"--server {SERVER} stops it, reelgen download {VIDEO} --server {SERVER} fetches it once done)"
        in said(out.stderr)
    )


@pytest.mark.parametrize(
    "command",
    [
        ["status", "video_x"],
        ["enhance", "video_x", "--upscale", "2", "--server", "http://127.0.0.1:9"],
        ["project", "render", "film", "--server", "http://127.0.0.1:9"],
        ["avatar", "--image", "a.png", "--text", "hi", "--server", "http://127.0.0.1:9"],
    ],
)
def test_an_empty_key_typed_is_bad_input_not_a_request_without_one(command: list[str]) -> None:
    # `--api-key "$KEY"` with KEY unset overrode REELGEN_API_KEY with no key at all: the server's
    # "requires an API key" read as if the variable had been ignored.
    out = runner.invoke(app, [*command, "--api-key", ""], env={"REELGEN_API_KEY": "secret"})
    assert out.exit_code == 2, out.output
    assert "it is empty (an unset variable?); give the key, or leave the option out" in " ".join(
        out.output.split()
    )
    unset = runner.invoke(
        app, ["status", "video_x", "--server", "http://127.0.0.1:9"], env={"REELGEN_API_KEY": ""}
    )
    assert (
        unset.exit_code == 1 and "cannot reach http://127.0.0.1:9" in unset.output
    )  # no key: nothing refused
