"""``reelgen avatar --video X --text "..."`` with no face where the speech reaches is refused before the model
loads, as one with --audio is: the run found it out only once the model had loaded (minutes for MuseTalk)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import render
from tests.cli.test_s61d_avatar_video_face_first import FPS, _clip


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each model the run goes on to load (and generate with)."""
    loaded: list[str] = []
    real = render._load_and_generate

    def load_and_generate(cache: object, spec: object, preset: object, *args: object) -> object:
        loaded.append(getattr(preset, "name", "?"))
        return real(cache, spec, preset, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "_load_and_generate", load_and_generate)
    return loaded


def _said(tmp_path: Path, clip: Path, *more: str) -> str:
    out = tmp_path / "dub.mp4"
    argv = ["avatar", "-q", "--video", str(clip), "--text", "Hello there, how are you today?", *more]
    result = CliRunner().invoke(app, [*argv, "-m", "reelgen-lipsync", "-o", str(out)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert not out.exists()
    return said


def test_a_faceless_clip_under_text_is_refused_before_the_model(tmp_path: Path, loads: list[str]) -> None:
    from skimage import data

    cup = np.asarray(Image.fromarray(data.coffee()).resize((256, 256)))
    clip = _clip(tmp_path / "cup.mp4", [cup] * FPS)
    said = _said(tmp_path, clip)
    assert "no face found in cup.mp4; give a photo or video with a clear frontal face" in said, said
    assert loads == []  # it loaded reelgen-lipsync first, then said so


def test_face_index_past_the_faces_under_text_names_the_option(tmp_path: Path, loads: list[str]) -> None:
    from skimage import data

    face = np.asarray(Image.fromarray(data.astronaut()).resize((256, 256)))
    clip = _clip(tmp_path / "one.mp4", [face] * FPS)
    said = _said(tmp_path, clip, "--face-index", "1")
    assert "--face-index 1 is out of range: 1 face found in one.mp4" in said, said
    assert loads == []
