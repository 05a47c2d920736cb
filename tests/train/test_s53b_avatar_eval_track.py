"""`python -m reelgen.train.avatar_eval` says an unreadable held-out track in one line, not a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.speech.audio import read_voice
from reelgen.train import avatar_eval


def test_an_empty_held_out_track_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # It was a traceback ending in reelgen.core.errors.InvalidRequest, after the model had loaded.
    (tmp_path / "lipsync.json").write_text("{}")
    data = tmp_path / "data"
    data.mkdir()
    (data / "held_out_0.wav").write_bytes(b"")

    def evaluate(model: Path, folder: Path, *_: Any) -> None:  # its first read, without the model's load
        read_voice(sorted(folder.glob("held_out_*.wav"))[0])

    monkeypatch.setattr(avatar_eval, "evaluate", evaluate)
    with pytest.raises(SystemExit) as exit_:
        avatar_eval.main([str(tmp_path), str(data)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"{data / 'held_out_0.wav'} is not a readable audio file (the file is empty)" in err
    assert len(err.splitlines()) == 1 and ": error: " in err and "Traceback" not in err
