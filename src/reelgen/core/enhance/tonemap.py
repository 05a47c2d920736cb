"""HDR frames (PQ or HLG, BT.2020) tone-mapped to sRGB for what holds SDR only: a GIF, a thumbnail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

#: FFmpeg's numbers: the BT.2020 primaries, and the PQ (SMPTE ST 2084) and HLG (ARIB STD-B67) transfers.
BT2020, PQ, HLG = 9, 16, 18

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
    """An HDR source's colours: its transfer (PQ or HLG) and whether its primaries are BT.2020's."""

    transfer: int
    wide: bool

    def words(self) -> str:
        return ("PQ" if self.transfer == PQ else "HLG") + (", BT.2020" if self.wide else "")


def hdr(colour: tuple[int, int] | None) -> Hdr | None:
    """The HDR a source's (primaries, transfer) say (``mux.colour``), or None where it is SDR or unsaid."""
    if colour is None or colour[1] not in (PQ, HLG):
        return None
    return Hdr(colour[1], colour[0] == BT2020)


def _nits(hdr: Hdr) -> np.ndarray:
    """Each 8-bit code value of ``hdr``'s transfer as the light it stands for, in nits (a 256-entry table)."""
    code = np.arange(256, dtype=np.float64) / 255
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
    made the picture flat and washed out (PQ's 100 nits is code 0.51, mid grey)."""
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
