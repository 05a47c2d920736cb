"""A clip or video whose cover art is listed before its film: the export and the spritesheet read the
film, not the cover."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

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
