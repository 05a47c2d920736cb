"""`python -m reelgen.train.avatar_speech` says each step as it goes, and names itself in its usage line.

It said nothing for the minutes it took (seven on a busy 2-core machine), then ended without a
word; its usage line read ``usage: avatar_speech.py``, a command that does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.core.speech import features
from reelgen.core.speech.features import FEATURES_PER_SECOND
from reelgen.core.speech.tts import Phoneme, Speech
from reelgen.core.types import Audio
from reelgen.train import avatar_speech

RATE = 16_000


class _Encoder:
    """Whisper's features in shape only (the test is about what is said, not the features)."""

    def features(self, audio: Audio) -> np.ndarray:
        return np.zeros((int(np.ceil(audio.seconds * FEATURES_PER_SECOND)), 1, 4), np.float32)


def _speak(text: str) -> Speech:
    """Half a second of a tone for every sentence, one open vowel long (Piper not run)."""
    samples = (0.1 * np.sin(np.arange(RATE // 2) / 5)).astype(np.float32)
    return Speech(Audio(samples[None], RATE), (Phoneme("a", RATE // 2),))


@pytest.fixture
def fast_speech(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(avatar_speech, "speak", _speak)
    monkeypatch.setattr(features, "ct2_tiny_en", lambda device="cpu": _Encoder())


def test_each_step_is_said_and_the_end_names_the_next_command(
    tmp_path: Path, fast_speech: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "data"
    avatar_speech.make_dataset(str(out), train_count=30, held_out_count=2)
    lines = [line.split("] ", 1)[-1] for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == "speaking 30 training sentences (Piper) into tracks, encoded by Whisper tiny.en"
    assert lines[1:3] == ["spoke 25 of 30 sentences", "spoke 30 of 30 sentences"]
    assert lines[3].startswith(f"wrote {out / 'train.npz'}: ") and " tracks, " in lines[3]
    assert lines[4:6] == ["speaking 2 held-out sentences", "spoke 2 of 2 sentences"]
    assert lines[6].startswith(f"wrote {out / 'held_out.npz'} and held_out_0..")
    assert lines[7] == (
        f"done: {out} holds the training material; train with `python -m reelgen.train.avatar --data "
        f"{out / 'train.npz'}` (a GPU), or measure a model on it with "
        f"`python -m reelgen.train.avatar_eval MODEL {out}`"
    )
    assert sorted(p.name for p in out.iterdir()) == ["held_out.npz", "held_out_0.wav", "train.npz"]
    assert set(np.load(out / "train.npz").files) == {"features", "frames", "opening", "width", "envelope"}


def test_the_usage_line_is_the_command_to_type(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as helped:
        avatar_speech.main(["--help"])
    assert helped.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert said.startswith("usage: python -m reelgen.train.avatar_speech [-h] [folder]")
    assert "a few minutes on a CPU" in said


def test_a_stop_while_writing_leaves_no_cut_off_file(
    tmp_path: Path, fast_speech: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cut_off(file: Any, **arrays: Any) -> None:
        file.write(b"PK\x03\x04 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", cut_off)
    with pytest.raises(KeyboardInterrupt):
        avatar_speech.make_dataset(str(tmp_path / "data"), train_count=2, held_out_count=1)
    assert [p.name for p in (tmp_path / "data").iterdir()] == []
