"""An option a refusal names in brackets is not said again before it: ``--image: ... (--image)`` is said once."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import client as client_cli

runner = CliRunner()


def _one_line(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_generate_says_the_option_once() -> None:
    # It was "--target-fps: give a factor (--interpolate) or a rate (--target-fps), not both".
    line = _one_line("generate", "x", "-m", "reelgen-micro", "--interpolate", "2", "--target-fps", "30")
    assert line == "error: give a factor (--interpolate) or a rate (--target-fps), not both"


def test_an_option_not_in_brackets_is_still_named_first() -> None:
    line = _one_line("generate", "x", "-m", "reelgen-micro", "--upscaler", "lanczos")
    assert line == "error: --upscaler: picks how frames are enlarged; give a factor (--upscale) too"


@pytest.mark.parametrize(
    ("message", "param", "said"),
    [
        (  # the field in brackets only: it was "--image: ... give a start image (--image)"
            "wan-i2v-tiny (Wan) does not make video from a prompt alone; give a start image (input_reference)",
            "input_reference",
            "wan-i2v-tiny (Wan) does not make video from a prompt alone; give a start image (--image)",
        ),
        (  # the field first and in brackets: it was "--target-fps: ... (--target-fps), not both"
            "target_fps: give a factor (interpolate) or a rate (target_fps), not both",
            "target_fps",
            "give a factor (--interpolate) or a rate (--target-fps), not both",
        ),
        (  # "leave --seed out" is no bracket: the value the message is about stays after the option
            "seed: -1 does not mean random here; leave seed out for a random one",
            "seed",
            "--seed: -1 does not mean random here; leave --seed out for a random one",
        ),
    ],
)
def test_submit_says_the_servers_field_once_as_the_option(
    monkeypatch: pytest.MonkeyPatch, message: str, param: str, said: str
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        error = {
            "message": message,
            "param": param,
            "code": "invalid_request",
            "type": "invalid_request_error",
        }
        return httpx.Response(400, json={"error": error})

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)
    line = _one_line("submit", "a fox", "-m", "wan-i2v-tiny", "--server", "http://reelgen.test")
    assert line == f"error: HTTP 400: {said}"
