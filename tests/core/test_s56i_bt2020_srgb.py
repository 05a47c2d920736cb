"""SDR frames in BT.2020 colours are mapped to sRGB for a GIF or thumbnail (they were shown paler), and HDR
written to a video says it is 8-bit."""

from __future__ import annotations

import numpy as np

from reelgen.core.enhance.tonemap import BT2020, HLG, PQ, srgb_mapping, tone_map

#: FFmpeg's numbers for the BT.709 primaries and transfer, and BT.2020's 10-bit transfer (BT.709's curve).
BT709, BT2020_10 = 1, 14


def _one(colour: tuple[int, int], rgb: tuple[int, int, int]) -> list[int]:
    mapping = srgb_mapping(colour)
    assert mapping is not None
    return [int(v) for v in tone_map(np.full((4, 4, 3), rgb, np.uint8), mapping)[0, 0]]


def test_bt2020_sdr_colours_are_converted_to_srgb_and_greys_stay_grey() -> None:
    # (180, 90, 90) in BT.2020 is a deeper red than in sRGB: read as sRGB's it was (180, 90, 90), paler.
    assert np.abs(np.array(_one((BT2020, BT2020_10), (180, 90, 90))) - (215, 66, 87)).max() <= 1
    assert _one((BT2020, 2), (128, 128, 128)) == [128, 128, 128]  # transfer unsaid: BT.709's curve


def test_only_what_srgb_cannot_show_as_it_is_is_mapped() -> None:
    assert srgb_mapping((BT709, BT709)) is None and srgb_mapping(None) is None
    sdr, hdr = srgb_mapping((BT2020, BT2020_10)), srgb_mapping((BT2020, PQ))
    assert sdr is not None and hdr is not None
    assert (sdr.words(), sdr.gif_note("clip.mp4"), sdr.depth_note("clip.mp4", "out.mp4")) == (
        "BT.2020",
        None,
        None,
    )
    assert hdr.gif_note("clip.mp4") == (
        "warning: clip.mp4 is HDR (PQ, BT.2020); a GIF holds SDR colours only, so its frames are tone-mapped "
        "to sRGB (highlights rolled off)"
    )


def test_hdr_written_to_a_video_says_it_is_written_8_bit() -> None:
    hlg = srgb_mapping((BT2020, HLG))
    assert hlg is not None
    assert hlg.depth_note("phone.mov", "big.mp4") == (
        "warning: phone.mov is HDR (HLG, BT.2020); big.mp4 stays HDR (tagged as the source is) but is written "
        "with 8 bits a colour, as enhancing works on 8-bit frames, so smooth gradients (a sky, shadows) may show bands"
    )
