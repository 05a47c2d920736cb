"""HDR frames (PQ or HLG, BT.2020), and SDR ones in BT.2020 colours, mapped to sRGB for what holds sRGB only: a GIF, a thumbnail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

#: FFmpeg's numbers: the BT.2020 primaries, and the PQ (SMPTE ST 2084) and HLG (ARIB STD-B67) transfers.
BT2020, PQ, HLG = 9, 16, 18
#: What ``Hdr.transfer`` is for an SDR clip: BT.709's curve, which BT.2020's 10- and 12-bit transfers are too.
SDR = 1
#: The display gamma SDR is shown with (BT.1886): undone and redone around the change of primaries, so
#: only the colours move, not the tones (an SDR clip made a GIF keeps its values otherwise).
SDR_GAMMA = 2.4

#: Nits of diffuse white in HDR (ITU-R BT.2408): what SDR's 100% is, so a grey wall stays a grey wall.
REFERENCE_WHITE = 203.0
#: The display an HLG clip is made for (BT.2100's reference), and the peak assumed for PQ, which may say
#: more but is mastered at 1000 nits in most phones' and cameras' clips.
PEAK = 1000.0
#: Where (as a share of SDR white) highlights start being rolled off; below it the picture is untouched.
KNEE = 0.75

#: Linear BT.2020 RGB to linear BT.709 (sRGB) RGB (ITU-R BT.2087).
TO_709 = np.array(
    [[1.6605, -0.5876, -0.0728], [-0.1246, 1.1329, -0.0083], [-0.0182, -0.1006, 1.1187]], dtype=np.float32
)


@dataclass(frozen=True)
class Hdr:
    """A source's colours where sRGB cannot show them as they are: its transfer (PQ, HLG, or ``SDR``) and
    whether its primaries are BT.2020's (an SDR one's always are: else it needs no mapping)."""

    transfer: int
    wide: bool

    @property
    def high(self) -> bool:
        """Whether it is HDR (PQ or HLG), not SDR in BT.2020's wider colours."""
        return self.transfer in (PQ, HLG)

    def words(self) -> str:
        if not self.high:
            return "BT.2020"
        return ("PQ" if self.transfer == PQ else "HLG") + (", BT.2020" if self.wide else "")

    def gif_note(self, name: str) -> str | None:
        """The warning where a GIF is made of it, or None: BT.2020's colours converted lose nothing sRGB shows."""
        if not self.high:
            return None
        return (
            f"warning: {name} is HDR ({self.words()}); a GIF holds SDR colours only, so its frames are "
            "tone-mapped to sRGB (highlights rolled off)"
        )

    def depth_note(self, name: str, output: str) -> str | None:
        """The warning where a video is made of it, or None: its HDR kept (tagged), but in 8 bits a colour.

        x264 here writes 10-bit (High 10), but the frames reaching it are 8-bit RGB, so 10 bits would hold
        no finer steps, and browsers do not play 10-bit H.264 (the web page's player showed nothing).
        """
        if not self.high:
            return None
        return (
            f"warning: {name} is HDR ({self.words()}); {output} stays HDR (tagged as the source is) but is "
            "written with 8 bits a colour, as enhancing works on 8-bit frames, so smooth gradients (a sky, "
            "shadows) may show bands"
        )


def hdr(colour: tuple[int, int] | None) -> Hdr | None:
    """The HDR a source's (primaries, transfer) say (``mux.colour``), or None where it is SDR or unsaid."""
    if colour is None or colour[1] not in (PQ, HLG):
        return None
    return Hdr(colour[1], colour[0] == BT2020)


def srgb_mapping(colour: tuple[int, int] | None) -> Hdr | None:
    """What a source's (primaries, transfer) need mapped to sRGB (``tone_map``): HDR (``hdr``), and SDR in
    BT.2020 primaries, whose values read as sRGB came out washed out; None where they need nothing."""
    if (high := hdr(colour)) is not None:
        return high
    if colour is not None and colour[0] == BT2020:
        return Hdr(SDR, True)
    return None


def _nits(hdr: Hdr) -> np.ndarray:
    """Each 8-bit code value of ``hdr``'s transfer as the light it stands for, in nits (a 256-entry table)."""
    code = np.arange(256, dtype=np.float64) / 255
    if not hdr.high:  # SDR white is the reference white: the tones come back as they went in
        return REFERENCE_WHITE * code**SDR_GAMMA
    if hdr.transfer == PQ:  # SMPTE ST 2084's EOTF
        m1, m2, c1, c2, c3 = 2610 / 16384, 2523 / 32, 3424 / 4096, 2413 / 128, 2392 / 128
        power = code ** (1 / m2)
        return 10000 * (np.maximum(power - c1, 0) / (c2 - c3 * power)) ** (1 / m1)
    a, b, c = 0.17883277, 0.28466892, 0.55991073  # BT.2100's inverse HLG OETF: scene light of 0..1
    with np.errstate(over="ignore"):
        scene = np.where(code <= 0.5, code**2 / 3, (np.exp((code - c) / a) + b) / 12)
    return PEAK * scene


#: Rows mapped at a time: the float copies of a whole 8K frame took some 2 GB; a band of rows takes MBs.
BAND = 64


def tone_map(frame: np.ndarray, hdr: Hdr) -> np.ndarray:
    """An (H, W, 3) uint8 frame of ``hdr`` colours as sRGB: shown as it was, HDR code values read as SDR
    made the picture flat and washed out (PQ's 100 nits is code 0.51, mid grey), and BT.2020's read
    as sRGB's less saturated."""
    table = _nits(hdr).astype(np.float32)
    out = np.empty_like(frame)
    for top in range(0, frame.shape[0], BAND):
        out[top : top + BAND] = _mapped(table[frame[top : top + BAND]], hdr)
    return out


def _mapped(light: np.ndarray, hdr: Hdr) -> np.ndarray:
    """Light in nits (rows, W, 3), linear in the source's primaries, as sRGB uint8."""
    if hdr.transfer == HLG:  # BT.2100's OOTF: the display's system gamma of 1.2 on the scene's luminance
        luma = light @ np.array([0.2627, 0.6780, 0.0593], dtype=np.float32)
        light *= np.power(np.maximum(luma / PEAK, 1e-6), 0.2)[..., None]
    if hdr.wide:
        light = np.maximum(light @ TO_709.T, 0)
    x = light / REFERENCE_WHITE
    if not hdr.high:  # no highlights above white: the colours moved, the tones kept (``SDR_GAMMA``)
        return np.clip(np.rint(np.minimum(x, 1.0) ** (1 / SDR_GAMMA) * 255), 0, 255).astype(np.uint8)
    # Highlights rolled off on the brightest channel, hue kept: linear up to the knee, then an
    # exponential shoulder with the same slope there, reaching 1 at infinity.
    top = x.max(axis=-1, keepdims=True)
    rolled = np.where(top > KNEE, KNEE + (1 - KNEE) * (1 - np.exp(-(top - KNEE) / (1 - KNEE))), top)
    x = np.minimum(x * (rolled / np.maximum(top, 1e-6)), 1.0)
    srgb = np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055)
    return np.clip(np.rint(srgb * 255), 0, 255).astype(np.uint8)


def tone_mapped(frames: Iterable[np.ndarray], hdr: Hdr) -> Iterator[np.ndarray]:
    """``tone_map`` of each of ``frames``, as they come."""
    for frame in frames:
        yield tone_map(frame, hdr)
