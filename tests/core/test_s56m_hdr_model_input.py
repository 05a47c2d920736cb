"""A source video in HDR (PQ, HLG) or SDR BT.2020 reaches a model tone-mapped to sRGB, said once; an SDR
BT.709 one as it is."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.media import decode_frames, rgb, video_timing
from reelgen.core.model_frames import ModelRgb
from tests.hdr_clips import BT709, BT2020, PQ, tagged_clip


def _read(path: Path, convert: object) -> list[np.ndarray]:
    return list(decode_frames(path, video_timing(path, "source_video"), convert))  # type: ignore[arg-type]


def test_an_hdr_source_reaches_the_model_tone_mapped_and_is_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clip = tagged_clip(tmp_path / "hdr.mp4", 130, PQ, BT2020)  # PQ 130/255 is 100 nits: sRGB 184 (BT.2408)
    assert abs(np.mean(_read(clip, rgb)[0]) - 130) < 3  # read as it is: flat, dim grey
    with caplog.at_level(logging.WARNING):
        frames = _read(clip, ModelRgb("source_video", "hdr.mp4"))
    assert len(frames) == 4 and all(abs(float(f.mean()) - 184) < 4 for f in frames)
    said = [r.getMessage() for r in caplog.records if "tone-mapped" in r.getMessage()]
    assert said == [
        "source_video: hdr.mp4 is HDR (PQ, BT.2020); its frames are tone-mapped to sRGB for the model "
        "(highlights rolled off), as models take sRGB"
    ]


def test_an_sdr_bt2020_source_is_converted_and_a_bt709_one_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wide = tagged_clip(tmp_path / "wide.mp4", 128, BT709, BT2020)
    with caplog.at_level(logging.WARNING):
        _read(wide, ModelRgb("source_video", "wide.mp4"))
    assert "wide.mp4 is SDR in BT.2020 colours (BT.2020)" in caplog.text
    caplog.clear()
    plain = tagged_clip(tmp_path / "plain.mp4", 128, BT709, BT709)
    with caplog.at_level(logging.WARNING):
        shown = _read(plain, ModelRgb("source_video", "plain.mp4"))
    assert np.array_equal(shown[0], _read(plain, rgb)[0]) and not caplog.text
