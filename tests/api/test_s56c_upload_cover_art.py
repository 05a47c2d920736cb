"""An uploaded song with album art is refused up front as sound only, not queued and failed as a one-frame video."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.api.errors import ApiError
from reelgen.api.video_probe import probe_video
from tests.cli.test_s56c_cover_art import _with_cover


def test_a_song_with_cover_art_is_refused_as_sound_only(tmp_path: Path) -> None:
    song = _with_cover(tmp_path / "song.m4a", film=False).read_bytes()
    with pytest.raises(ApiError) as caught:
        probe_video(song, max_seconds=60, max_side=4096)
    # It was taken (the cover art as its video) and the job failed after the upload was queued.
    assert caught.value.status == 400
    assert str(caught.value.message).startswith(
        "source_video: the file holds sound only (its one picture is cover art); send a video"
    )


def test_a_film_with_a_poster_is_taken(tmp_path: Path) -> None:
    film = _with_cover(tmp_path / "film.mp4", film=True).read_bytes()
    assert probe_video(film, max_seconds=60, max_side=4096) == ".mp4"
