"""`reelgen avatar --video song.mp3`: a sound file's cover art is no video to dub."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.test_hostile_avatar_inputs import wav

RATE = 16_000


def _mp3_with_cover(path: Path) -> None:
    """One second of tone in an MP3 with a picture attached, as music players write album art."""
    with av.open(str(path), "w") as out:
        sound = out.add_stream("libmp3lame", rate=RATE)
        sound.layout = "mono"
        cover = out.add_stream("mjpeg")
        cover.width = cover.height = 64
        cover.pix_fmt = "yuvj420p"
        cover.disposition = av.stream.Disposition.attached_pic
        picture = av.VideoFrame.from_ndarray(np.full((64, 64, 3), 120, np.uint8), format="rgb24")
        for packet in [*cover.encode(picture.reformat(format="yuvj420p")), *cover.encode(None)]:
            out.mux(packet)
        tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(RATE) / RATE) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(tone[None], format="s16", layout="mono")
        frame.sample_rate = RATE
        for packet in [*sound.encode(frame), *sound.encode(None)]:
            out.mux(packet)


def test_cover_art_is_not_taken_for_a_video(tmp_path: Path) -> None:
    song = tmp_path / "song.mp3"
    _mp3_with_cover(song)
    (tmp_path / "voice.wav").write_bytes(wav(1, 1))
    argv = ["avatar", "--video", str(song), "--audio", str(tmp_path / "voice.wav")]
    result = CliRunner().invoke(app, [*argv, "--model", "musetalk-tiny", "-o", str(tmp_path / "t.mp4"), "-q"])
    said = " ".join(result.output.split())
    # It was taken for a one-frame video: "no face found in song.mp3", once the model had loaded.
    assert result.exit_code == 2, said
    assert f"--video: {song} holds sound only (its one picture is cover art)" in said, said
    assert "give a video with a face" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.mp3", "voice.wav"]
