"""``reelgen replay a.json -o a.gif``, a.json being a.mp4's record: refused as replacing that record, not as
"output a.gif is the video being replayed", which it is not."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.record import not_over_the_original
from reelgen.core.types import Video


def _pair(tmp_path: Path) -> Path:
    """a.mp4 and its record a.json, as a run writes them."""
    record = {"reelgen": "0.1.0", "created_at": "2026-12-07T08:00:00+00:00", "output": {"frames": 2}}
    write_video(Video(np.zeros((2, 16, 16, 3), np.uint8), Fraction(8)), tmp_path / "a.mp4", record)
    (tmp_path / "a.json").write_text(json.dumps(record))
    return tmp_path / "a.json"


def test_a_gif_over_the_replayed_record_of_an_mp4_is_said_as_such(tmp_path: Path) -> None:
    sidecar = _pair(tmp_path)
    with pytest.raises(InvalidRequest) as refused:
        not_over_the_original(sidecar, tmp_path / "a.gif")
    assert refused.value.message == (
        f"output {tmp_path / 'a.gif'}: its record would replace a.json, the record of a.mp4 being replayed; "
        "give another file name (or leave -o out)"
    )


def test_the_video_the_record_describes_is_still_the_video_being_replayed(tmp_path: Path) -> None:
    sidecar = _pair(tmp_path)
    with pytest.raises(InvalidRequest) as refused:
        not_over_the_original(sidecar, tmp_path / "a.mp4")
    assert refused.value.message.startswith(f"output {tmp_path / 'a.mp4'} is the video being replayed")
