"""`reelgen submit` and `remix` say a server's refusal with the option the person typed, not the API's field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from tests.api.serving import checking_only


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The API on loopback with no workers: a create is checked (and refused) as `reelgen serve` does."""
    with checking_only(tmp_path / "server") as url:
        yield url


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--frames", "-5"], "--frames: -5 is too small"),
        (["--steps", "0"], "--steps: 0 is too small"),
        (["--guidance", "-3"], "--guidance: -3 is too small"),
        (["--seed", "-1"], "--seed: -1 does not mean random here"),
        (["--size", "10x10"], "--size: width 10 is outside 32..2048"),
        (["--target-fps", "0"], "--target-fps: 0 is too small"),
        (["--option", "foo=1"], "--option foo is not a known field"),
        (["--model", "wan-1.3b"], "--model 'wan-1.3b' has no weights on this server"),
    ],
)
def test_a_value_the_server_refuses_is_one_line_naming_the_option(
    server: str, args: list[str], says: str
) -> None:
    """`--frames -5` came back as 'num_frames: Input should be greater than 0 (num_frames)': a
    field the person never typed, named twice."""
    out = CliRunner().invoke(cli_app, ["submit", "a fox", "--model", "ltx-tiny", *args, "--server", server])
    assert out.exit_code == 2, out.output
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: HTTP 400: {says}"), out.output
    assert "num_frames" not in out.output and "num_inference_steps" not in out.output


def test_an_empty_prompt_names_the_argument(server: str) -> None:
    out = CliRunner().invoke(cli_app, ["submit", "", "--model", "ltx-tiny", "--server", server])
    assert out.exit_code == 2 and out.output.startswith("error: HTTP 400: PROMPT: the prompt is empty"), (
        out.output
    )


@pytest.mark.parametrize("odd", ["../../etc/passwd", "video_..\\x", "a" * 3000])
@pytest.mark.parametrize("command", ["status", "download", "delete", "cancel", "watch", "remix"])
def test_an_id_no_job_can_have_is_bad_input_before_anything_is_sent_or_written(
    command: str, odd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a "/" the server answered "no route GET /v1/videos/../../etc/passwd" (or "DELETE is not
    allowed"); one too long for a file name made ``download`` die with an internal error (OSError)."""
    monkeypatch.chdir(tmp_path)
    args = [command, odd, *(["a fox"] if command == "remix" else []), "--server", "http://127.0.0.1:9"]
    out = CliRunner().invoke(cli_app, args)
    assert out.exit_code == 2, out.output
    said = " ".join(out.output.split())
    assert (
        "is not a job id: job ids are 'video_' followed by 32 hex digits" in said
        and "internal error" not in said
    )
    assert "cannot reach" not in said and list(tmp_path.iterdir()) == []
