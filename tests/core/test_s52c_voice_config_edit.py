"""Text is spoken again when its voice changed: the speech kept under REELGEN_HOME/speech is the voice's own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reelgen.core.speech.audio import read_voice
from reelgen.core.speech.tts import speech_file, speech_path, voice_files

TEXT = "Good morning to you all."


def _voice(folder: Path, name: str = "joe.onnx", copy: bool = False) -> Path:
    """The bundled voice as a Piper voice file in ``folder`` (its model linked, or copied), its config
    copied beside it."""
    model, config = voice_files(None)
    folder.mkdir(parents=True, exist_ok=True)
    if copy:
        shutil.copy(model, folder / name)
    else:
        (folder / name).symlink_to(model)
    shutil.copy(config, folder / f"{name}.json")
    return folder / name


def test_a_slower_length_scale_in_the_config_is_heard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The speech was keyed by the model's name and size: after setting length_scale 2 in the voice's
    # .onnx.json (Piper's way to speak slower), the text came back at its old pace, from the cache.
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    voice = _voice(tmp_path / "voices")
    before = read_voice(speech_file(TEXT, str(voice))).seconds
    config = voice.with_name(voice.name + ".json")
    data = json.loads(config.read_text())
    data["inference"]["length_scale"] = 2.0
    config.write_text(json.dumps(data))
    after = read_voice(speech_file(TEXT, str(voice))).seconds
    assert after > 1.5 * before


def test_two_voices_of_one_name_and_size_keep_their_own_speech(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two voices kept as voice.onnx in two folders, of one size (Piper voices of one quality share
    # an architecture), had one key: the second was handed the first one's speech of the same text.
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    first = _voice(tmp_path / "de", "voice.onnx", copy=True)
    second = _voice(tmp_path / "fr", "voice.onnx", copy=True)
    with second.open("r+b") as model:
        model.seek(-1, 2)
        last = model.read(1)
        model.seek(-1, 2)
        model.write(bytes([last[0] ^ 1]))
    assert speech_path(TEXT, str(first)) != speech_path(TEXT, str(second))
