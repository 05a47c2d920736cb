"""A refused avatar leaves ``REELGEN_HOME/speech`` as it was; a queued or made one keeps the speech it needs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app as cli_app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reelgen home of this test's own, so its speech folder holds only what this test spoke."""
    folder = tmp_path / "home"
    monkeypatch.setenv("REELGEN_HOME", str(folder))
    return folder


def spoken(home: Path) -> list[str]:
    speech = home / "speech"
    return sorted(p.name for p in speech.iterdir()) if speech.is_dir() else []


def test_speech_of_a_refused_api_avatar_goes_again(
    home: Path, make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(jobs={"max_queue": 1})  # no workers: the first job stays queued
    # Spoken, then found longer than the limit: it stayed in the speech folder for good.
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "0.5")
    long = client.post("/v1/avatars", data={"text": "Good morning to you all."})
    assert long.status_code == 400 and long.json()["error"]["param"] == "text", long.text
    assert not (home / "speech").exists()  # as it was: not even an empty folder made
    monkeypatch.delenv("REELGEN_AVATAR_MAX_SECONDS")

    queued = client.post("/v1/avatars", data={"text": "Hello there."})
    assert queued.status_code == 202, queued.text
    kept = spoken(home)
    assert len(kept) == 1  # the queued job's voice, which its worker reads
    job = client.app.state.service.get(queued.json()["id"])  # type: ignore[attr-defined]
    assert Path(job.payload["speech_audio"]) == home / "speech" / kept[0]

    # Spoken, then refused for a full queue (429): only the new speech goes.
    full = client.post("/v1/avatars", data={"text": "Something else entirely."})
    assert full.status_code == 429, full.text
    assert spoken(home) == kept
    # The same text as the queued job's, refused: the speech that job needs stays.
    again = client.post("/generate-avatar", json={"text": "Hello there."})
    assert again.status_code == 429, again.text
    assert spoken(home) == kept


def test_speech_of_a_refused_cli_avatar_goes_again(home: Path, tmp_path: Path) -> None:
    from skimage import data

    face = tmp_path / "face.png"
    Image.fromarray(data.astronaut()).save(face)
    (home / "speech").mkdir(parents=True)
    (home / "speech" / "earlier.wav").write_bytes(b"RIFF")  # another run's, untouched
    asked = [
        "avatar",
        "--image",
        str(face),
        "--text",
        "Good morning to you all.",
        "-o",
        str(tmp_path / "a.mp4"),
    ]
    refused = CliRunner().invoke(cli_app, [*asked, "--max-seconds", "0.5"])
    assert refused.exit_code == 2 and "--text: the text takes" in " ".join(refused.output.split())
    assert spoken(home) == ["earlier.wav"]
    assert not (tmp_path / "a.mp4").exists()
