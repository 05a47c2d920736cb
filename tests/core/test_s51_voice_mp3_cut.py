"""An MP3 voice cut short is refused as WAV, FLAC and M4A voices are; an M4A's packets are read once."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.speech.audio import read_voice

RATE = 16000


def _mp3(path: Path, tag: bool = True) -> tuple[bytes, list[int]]:
    """A 2 s tone as LAME writes it (an Info tag listing its frames, unless ``tag`` is off), and its
    frames' starts."""
    t = np.arange(2 * RATE) / RATE
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None]
    with av.open(str(path), "w", format="mp3", options={} if tag else {"write_xing": "0"}) as container:
        stream = container.add_stream("libmp3lame", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="fltp", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    with av.open(str(path)) as container:
        starts = [p.pos for p in container.demux() if p.size]
    return path.read_bytes(), starts


@pytest.mark.parametrize("inside", [False, True], ids=["between-frames", "inside-a-frame"])
def test_an_mp3_voice_cut_short_is_refused_saying_what_is_missing(tmp_path: Path, inside: bool) -> None:
    whole, starts = _mp3(tmp_path / "whole.mp3")
    voice = tmp_path / "voice.mp3"
    voice.write_bytes(whole[: starts[20] + (30 if inside else 0)])
    # It was read as a 0.7 s voice without a word: an avatar that stopped mid-sentence.
    with pytest.raises(InvalidRequest) as caught:
        read_voice(voice)
    said = str(caught.value)
    assert said.startswith(f"speech_audio: {voice} is cut short: its header says 2.00 s of sound, but"), said
    assert said.endswith("give the whole file"), said
    assert read_voice(tmp_path / "whole.mp3").seconds == pytest.approx(2.0, abs=0.01)


def test_an_mp3_without_a_tag_is_read_for_what_it_holds(tmp_path: Path) -> None:
    # Its length is FFmpeg's estimate from the file's size: a part cannot be told from a whole file.
    whole, starts = _mp3(tmp_path / "whole.mp3", tag=False)
    voice = tmp_path / "voice.mp3"
    voice.write_bytes(whole[: starts[20]])
    assert read_voice(voice).seconds == pytest.approx(20 * 576 / RATE, abs=0.05)


def test_a_whole_m4a_voice_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.core.test_s50_enh2_m4a_cut import _m4a

    _m4a(tmp_path / "voice.m4a")
    opened: list[str] = []
    real = av.open

    def counting(*args: object, **kwargs: object) -> object:
        opened.append(str(args[0]))
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(av, "open", counting)
    assert read_voice(tmp_path / "voice.m4a").seconds > 2.0
    # Its packets were demuxed a second time after the decode, only to ask whether it was cut short.
    assert len(opened) == 1, opened
