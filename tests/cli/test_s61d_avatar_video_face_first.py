"""``reelgen avatar --video`` with no face where the voice reaches: refused before the model loads, as a photo is."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.speech.audio import write_wav
from reelgen.core.types import Audio

FPS = 25


def _clip(path: Path, pictures: list[np.ndarray]) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 256, 256, "yuv420p"
        for picture in pictures:
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


@pytest.fixture
def clips(tmp_path: Path) -> dict[str, Path]:
    """A second of coffee (no face), and two: a second of coffee, then the astronaut's face."""
    from skimage import data

    empty = np.asarray(Image.fromarray(data.coffee()).resize((256, 256)))
    face = np.asarray(Image.fromarray(data.astronaut()).resize((256, 256)))
    return {
        "faceless": _clip(tmp_path / "cup.mp4", [empty] * FPS),
        "late": _clip(tmp_path / "late.mp4", [empty] * FPS + [face] * FPS),
    }


def _voice(tmp_path: Path, seconds: float) -> Path:
    rate = 16_000
    t = np.arange(int(rate * seconds)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
    return write_wav(tmp_path / f"voice-{seconds:g}.wav", Audio(tone[None].astype(np.float32), rate))


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each model the run asks to locate (what comes just before its load)."""
    asked: list[str] = []
    from reelgen.core import weights

    real = weights.locate

    def locate(spec: object, preset: object, *args: object, **kwargs: object) -> object:
        asked.append(getattr(preset, "name", "?"))
        return real(spec, preset, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(weights, "locate", locate)
    return asked


@pytest.mark.parametrize(("clip", "seconds"), [("faceless", 1.0), ("late", 0.8)])
def test_no_face_where_the_voice_reaches_is_refused_before_the_model(
    tmp_path: Path, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch, clip: str, seconds: float
) -> None:
    asked = _loads(monkeypatch)
    out = tmp_path / "dub.mp4"
    argv = ["avatar", "-q", "--video", str(clips[clip]), "--audio", str(_voice(tmp_path, seconds))]
    result = CliRunner().invoke(app, [*argv, "-m", "reelgen-lipsync", "-o", str(out)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"no face found in {clips[clip].name}" in said
    # It was found out by the run once the model had loaded (minutes for MuseTalk).
    assert asked == []
    assert not out.exists()


def test_face_index_past_the_faces_of_a_video_is_refused_before_the_model(
    tmp_path: Path, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _loads(monkeypatch)
    argv = ["avatar", "-q", "--video", str(clips["late"]), "--audio", str(_voice(tmp_path, 1.6))]
    result = CliRunner().invoke(app, [*argv, "--face-index", "1", "-o", str(tmp_path / "dub.mp4")])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "--face-index 1 is out of range: 1 face found in late.mp4" in said
    assert asked == []
