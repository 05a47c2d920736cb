"""A server's output keeps its container when its record is rewritten to name inputs as sent."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.encode import read_metadata, write_video
from reelgen.core.types import Video
from reelgen.jobs._as_sent import Naming, _remux, named_as_sent
from reelgen.jobs.events import RunResult


@pytest.mark.parametrize("suffix", [".webm", ".mkv", ".mov", ".mp4"])
def test_a_film_comes_back_in_the_container_it_was_made_in(tmp_path: Path, suffix: str) -> None:
    # A WebM film exported on a server came back as an MP4 (VP9 in an ISO file at 24.024 fps)
    # under its .webm name, since the record was rewritten into as-sent.mp4 whatever the film was.
    frames = np.zeros((6, 32, 32, 3), np.uint8)
    copy = str(tmp_path / "scratch" / "assets" / "music.wav")
    made = write_video(
        Video(frames, Fraction(24)), tmp_path / f"film{suffix}", {"soundtrack": {"path": copy}}
    )
    result = RunResult(files={"video": made.read_bytes(), "metadata": b"{}"}, frames=6)
    naming = Naming(paths={copy: "assets/music.wav"}, made={}, sent={})
    work = tmp_path / "work"
    work.mkdir()

    sent = named_as_sent(result, work, naming)

    film = tmp_path / f"downloaded{suffix}"
    film.write_bytes(sent.files["video"])
    with av.open(str(film)) as container:
        assert container.streams.video[0].average_rate == 24
        assert sum(1 for _ in container.decode(video=0)) == 6  # an MKV's copy had no picture at all
    if suffix in (".webm", ".mkv"):
        assert film.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # EBML, not an MP4's ftyp box
        assert (b"webm" in film.read_bytes()[:64]) is (suffix == ".webm")
    else:
        brand = film.read_bytes()[8:12]
        assert (brand == b"qt  ") is (suffix == ".mov")
    assert read_metadata(film)["soundtrack"] == {"path": "assets/music.wav"}


@pytest.mark.parametrize(("suffix", "codec"), [(".mp4", "mov_text"), (".mkv", "subrip")])
def test_an_enhanced_uploads_subtitles_stay_in_the_copy(tmp_path: Path, suffix: str, codec: str) -> None:
    """The copy kept video and sound only: a server's enhance of a clip with subtitles lost them."""
    from tests.cli.test_enhance_subtitles import _clip, _cues

    made = _clip(tmp_path / f"clip{suffix}", codec, tmp_path)
    copy = str(tmp_path / "scratch" / "clip.mp4")
    tagged = tmp_path / f"tagged{suffix}"  # with a record naming the worker's copy, as an enhance writes it
    _remux(made, tagged, {"source": {"path": copy}})
    result = RunResult(files={"video": tagged.read_bytes(), "metadata": b"{}"}, frames=24)
    work = tmp_path / "work"
    work.mkdir()
    sent = named_as_sent(result, work, Naming(paths={copy: "clip.mp4"}, made={}, sent={}))
    back = tmp_path / f"back{suffix}"
    back.write_bytes(sent.files["video"])
    assert _cues(back) == _cues(made) and len(_cues(back)) == 2
    assert read_metadata(back)["source"] == {"path": "clip.mp4"}
