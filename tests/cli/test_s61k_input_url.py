"""An input given as a URL (``--image https://...``) is said to be a URL to download first, not a file that
"does not exist"; where a server takes one (an image, POST /v1/videos), that is said too."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

URL = "https://example.com/photos/face.png"


@pytest.mark.parametrize(
    ("argv", "server_note"),
    [
        (["generate", "-m", "reelgen-micro", "--image", URL, "a fox"], True),
        (
            ["generate", "-m", "reelgen-micro", "--lora", "https://example.com/style.safetensors", "a fox"],
            False,
        ),
        (["animate", URL, "a fox"], True),
        (["avatar", "--image", URL, "--text", "hello"], False),
        (["avatar", "--image", str(Path(__file__)), "--audio", "https://example.com/v.wav"], False),
    ],
)
def test_a_url_is_said_to_be_one(tmp_path: Path, argv: list[str], server_note: bool) -> None:
    out = tmp_path / "x.mp4"
    result = CliRunner().invoke(app, [*argv, "-o", str(out)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    # It said "file https://example.com/photos/face.png does not exist", as if a download had failed.
    assert "does not exist" not in said, said
    assert "is a URL; reelgen does not download inputs: download it first" in said, said
    # Only POST /v1/videos fetches by URL (input_reference.image_url): said only where true.
    assert ("input_reference.image_url" in said) is server_note, said
    assert not out.exists()
