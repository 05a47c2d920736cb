"""An M4A voice whose data stops before the packets its header lists is refused as cut short."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.speech.audio import read_voice

RATE = 16000


def _m4a(path: Path) -> tuple[bytes, list[int]]:
    """A 2 s AAC tone, its header first (as phones and web uploads write it), and its packets' starts."""
    t = np.arange(2 * RATE) / RATE
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None]
    with av.open(str(path), "w", format="ipod", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("aac", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="fltp", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    with av.open(str(path)) as container:
        starts = [p.pos for p in container.demux() if p.size]
    return path.read_bytes(), starts


@pytest.mark.parametrize("inside", [False, True], ids=["between-packets", "inside-a-packet"])
def test_an_m4a_voice_cut_short_is_refused_saying_what_is_missing(tmp_path: Path, inside: bool) -> None:
    whole, starts = _m4a(tmp_path / "whole.m4a")
    voice = tmp_path / "voice.m4a"
    voice.write_bytes(whole[: starts[10] + (20 if inside else 0)])
    # Between packets it was read as a 0.64 s voice, without a word; inside one, "not a readable
    # audio file (Invalid data found when processing input)".
    with pytest.raises(InvalidRequest) as caught:
        read_voice(voice)
    said = str(caught.value)
    assert said.startswith(
        f"speech_audio: {voice} is cut short: its header says 2.06 s of sound, but the file holds 0.64 s"
    ), said
    assert read_voice(tmp_path / "whole.m4a").seconds > 2.0
