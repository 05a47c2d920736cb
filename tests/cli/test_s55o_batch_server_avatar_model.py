"""``reelgen batch --server`` of a manifest whose model is a talking-avatar one (reelgen-lipsync) is refused
before anything is sent, in the words a local run says it: it was sent, and only the server refused it."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def _closed_port() -> int:
    """A loopback port nothing listens on: a batch sent there would say the server could not be reached."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_batch_server_refuses_an_avatar_model_before_sending(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text(
        json.dumps(
            {
                "defaults": {"model": "reelgen-lipsync"},
                "items": [{"output": "a", "prompt": "a fox"}],
            }
        )
    )
    server = f"http://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(app, ["batch", str(manifest), "--server", server, "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said == (
        f"error: manifest {manifest}: defaults.model: reelgen-lipsync makes talking avatars from a face and a "
        "voice (`reelgen avatar`, POST /v1/avatars), which a batch does not give; use a text- or image-to-video "
        "model, or ken-burns"
    ), said
    assert not (tmp_path / "outputs").exists()


def test_an_items_avatar_model_is_named_by_its_item(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    items = [
        {"output": "a", "prompt": "a fox"},
        {"output": "b", "prompt": "a cat", "model": "reelgen-lipsync"},
    ]
    manifest.write_text(json.dumps({"defaults": {"model": "ltx-tiny"}, "items": items}))
    server = f"http://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(app, ["batch", str(manifest), "--server", server, "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"error: manifest {manifest}: items[1].model: reelgen-lipsync makes talking"), said
