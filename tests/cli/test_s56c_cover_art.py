"""`reelgen enhance` of a file with cover art: an M4A's album art is no video, a film's poster is said to be left out."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _with_cover(path: Path, film: bool) -> Path:
    """An MP4/M4A with a JPEG cover (an attached picture), its sound, and a 6-frame film when ``film``."""
    jpeg = io.BytesIO()
    Image.fromarray(np.full((32, 40, 3), (200, 30, 30), np.uint8)).save(jpeg, "JPEG")
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=24) if film else None
        if video is not None:
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = container.add_stream("aac", rate=48000, layout="stereo")
        cover = container.add_stream("mjpeg")
        cover.width, cover.height, cover.pix_fmt = 40, 32, "yuvj420p"
        cover.disposition = av.stream.Disposition.attached_pic
        packet = av.Packet(jpeg.getvalue())
        packet.stream, packet.pts, packet.dts, packet.time_base = cover, 0, 0, Fraction(1, 90000)
        container.mux(packet)
        for k in range(6 if video is not None else 0):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * k, np.uint8), format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(video.encode(frame))  # type: ignore[union-attr]
        if video is not None:
            container.mux(video.encode())
        for k in range(12):
            piece = av.AudioFrame.from_ndarray(
                np.full((2, 1024), 0.1, np.float32), format="fltp", layout="stereo"
            )
            piece.sample_rate, piece.pts = 48000, k * 1024
            container.mux(sound.encode(piece))
        container.mux(sound.encode())
    return path


def _said(output: str) -> str:
    return " ".join(output.split())


def test_an_audio_file_with_album_art_is_refused_as_no_video(tmp_path: Path) -> None:
    song = _with_cover(tmp_path / "song.m4a", film=False)
    out = tmp_path / "song.mp4"
    result = runner.invoke(
        app, ["enhance", str(song), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    )
    # It was exit 0: the album art became a one-frame video, the whole song under one still.
    assert result.exit_code == 2, result.output
    assert "song.m4a has no video stream, only cover art (a JPEG picture); give a video file" in _said(
        result.output
    )
    assert not out.exists()


def test_a_film_with_a_poster_says_the_poster_is_left_out(tmp_path: Path) -> None:
    film = _with_cover(tmp_path / "film.mp4", film=True)
    out = tmp_path / "big.mp4"
    result = runner.invoke(
        app, ["enhance", str(film), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    )
    assert result.exit_code == 0, result.output
    # It was left out without a word.
    assert (
        "warning: the cover art (a JPEG picture) of film.mp4 is not carried into big.mp4: its picture, "
        "sound and text subtitles are"
    ) in _said(result.output)
    with av.open(str(out)) as container:
        video = container.streams.video
        assert [s.codec_context.name for s in video] == ["h264"]
        assert (video[0].codec_context.width, video[0].frames) == (128, 6)
        assert len(container.streams.audio) == 1
