"""A clip or video whose cover art is listed before its film: the export and the spritesheet read the
film, not the cover."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.timeline import Segment, clip_info
from reelgen.jobs.spritesheet import render
from tests.core.test_s56i_cut_short_cover import _cover_first


def test_the_export_reads_the_films_size_not_the_covers(tmp_path: Path) -> None:
    clip = _cover_first(tmp_path / "scene.mp4")  # a 40x32 cover, then a 6-frame 64x48 film
    info = clip_info(Segment("scene 1", 0.25, clip=clip, param="scenes[0]", scene_id="s1"))
    assert (info.width, info.height) == (64, 48)


def test_the_spritesheet_shows_the_films_frames_not_the_cover(tmp_path: Path) -> None:
    video = _cover_first(tmp_path / "film.mp4")
    sheet = np.asarray(Image.open(io.BytesIO(render(video))).convert("RGB")).astype(int)
    red = (sheet[..., 0] - sheet[..., 1] > 80).mean()  # the cover is red; the film's frames grey
    assert red < 0.05, f"{red:.0%} of the sheet is the red cover"


def _cover_only(path: Path) -> Path:
    """An MP4 of a JPEG cover and a moment of silence: no film at all."""
    jpeg = io.BytesIO()
    Image.fromarray(np.full((32, 40, 3), (200, 30, 30), np.uint8)).save(jpeg, "JPEG")
    with av.open(str(path), "w", format="mp4") as container:
        cover = container.add_stream("mjpeg")
        cover.width, cover.height, cover.pix_fmt = 40, 32, "yuvj420p"
        cover.disposition = av.stream.Disposition.attached_pic
        sound = container.add_stream("aac", rate=48000)
        packet = av.Packet(jpeg.getvalue())
        packet.stream, packet.pts, packet.dts, packet.time_base = cover, 0, 0, Fraction(1, 90000)
        container.mux(packet)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
        frame.sample_rate, frame.pts = 48000, 0
        container.mux(sound.encode(frame))
        container.mux(sound.encode())
    return path


def test_a_clip_of_cover_art_alone_is_refused_as_such(tmp_path: Path) -> None:
    clip = _cover_only(tmp_path / "scene.mp4")
    with pytest.raises(InvalidRequest) as caught:
        clip_info(Segment("scene 1", 1.0, clip=clip, param="scenes[0]", scene_id="s1"))
    assert f"clip {clip} has no video stream, only cover art (a JPEG picture); render the scene again" in (
        caught.value.message
    )
