"""A voice is read and optimised once per file, not once per text, and speaks every text as it did before."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.speech import tts, voice_model

TEXT = "See you tomorrow."


def _voice(folder: Path) -> Path:
    """The bundled voice copied into ``folder`` as a Piper voice file (model and config)."""
    model, config = tts.voice_files(None)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(model, folder / "voice.onnx")
    shutil.copy(config, folder / "voice.onnx.json")
    return folder / "voice.onnx"


def test_a_text_sounds_the_same_as_a_voices_first_second_and_later_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A voice's first text in a process is spoken on a session built from its file, the second on one
    # that optimises the model and keeps it, the later ones on sessions of the kept model. A replay in a
    # server's worker speaks the recorded text as a later one and checks its samples against those
    # spoken first (by the CLI, say).
    monkeypatch.setattr(voice_model, "_PREPARED", {})
    first, second, later = (tts.speak(TEXT) for _ in range(3))
    for other in (second, later):
        assert np.array_equal(first.audio.samples, other.audio.samples)
        assert first.phonemes == other.phonemes
    assert len(first.phonemes) > 5


def test_a_voice_replaced_under_its_name_speaks_as_the_new_one(tmp_path: Path) -> None:
    # The patched model was cached by path alone: a voice file replaced in a running server (another
    # voice saved under the same name) went on speaking as the old one, while the speech cache's key
    # (the file's hash) named the new one, so the old voice's speech was kept as the new one's.
    import onnx

    voice = _voice(tmp_path / "voices")
    before = tts.speak(TEXT, str(voice))
    other = onnx.load(str(voice))
    for node in other.graph.node:  # another voice of the same build: its noise seeded its own way
        if node.op_type == "RandomNormalLike":
            node.attribute.append(onnx.helper.make_attribute("seed", 1234.0))
    onnx.save(other, str(tmp_path / "other.onnx"))
    os.replace(tmp_path / "other.onnx", voice)
    after = tts.speak(TEXT, str(voice))
    assert not np.array_equal(before.audio.samples, after.audio.samples)
    assert tts.speak(TEXT, str(voice)).audio.samples.tobytes() == after.audio.samples.tobytes()
