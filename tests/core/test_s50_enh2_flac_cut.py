"""A FLAC voice cut short (STREAMINFO counts more samples than it holds) is refused, saying how much is missing."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.speech.audio import read_voice

RATE = 16000


def _flac(path: Path, seconds: float = 2.0) -> tuple[bytes, list[int]]:
    """A FLAC tone of ``seconds``, and where each of its frames starts in the file."""
    t = np.arange(int(seconds * RATE)) / RATE
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)[None]
    with av.open(str(path), "w") as container:
        stream = container.add_stream("flac", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    with av.open(str(path)) as container:
        starts = [p.pos for p in container.demux() if p.size]
    return path.read_bytes(), starts


@pytest.mark.parametrize("inside", [False, True], ids=["between-frames", "inside-a-frame"])
def test_a_flac_voice_cut_short_is_refused_saying_what_is_missing(tmp_path: Path, inside: bool) -> None:
    whole, starts = _flac(tmp_path / "whole.flac")
    voice = tmp_path / "voice.flac"
    voice.write_bytes(whole[: starts[3] + (100 if inside else 0)])
    # Between frames it was read as a 0.22 s voice, without a word; inside one, "not a readable
    # audio file (Invalid data found when processing input)", as if the file were no FLAC.
    with pytest.raises(InvalidRequest) as caught:
        read_voice(voice)
    said = str(caught.value)
    assert said.startswith(
        f"speech_audio: {voice} is cut short: its header says 2.00 s of sound, but the file holds 0."
    ), said
    assert "missing: a copy or download that stopped part-way?); give the whole file" in said
    assert read_voice(tmp_path / "whole.flac").seconds == 2.0
