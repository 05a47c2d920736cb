"""Frame interpolation with no weights: OpenCV's DIS optical flow, warping both neighbours toward the new frame."""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

import numpy as np

from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.interpolate import Interpolator

#: The side DIS needs at least (OpenCV refuses frames under 12 pixels both ways), with room to spare.
_DIS_LEAST = 16


class FlowInterpolator(Interpolator):
    """DIS (Kroeger et al. 2016) flow both ways, each frame warped to time t, blended by nearness in time.

    The flows from the new frame back to its neighbours come from the two
    measured flows by Super SloMo's linear approximation (Jiang et al. 2018),
    which is exact for steady motion.
    """

    name: ClassVar[str] = "flow"
    description: ClassVar[str] = "OpenCV DIS optical flow warping both neighbours (no weights)"

    @classmethod
    def missing(cls) -> str | None:
        if importlib.util.find_spec("cv2") is None:
            return "the flow interpolator needs OpenCV: pip install opencv-python-headless"
        return None

    def prepare(self, device: str, shape: Shape) -> None:
        import cv2

        self._dis: Any = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)  # type: ignore[attr-defined]
        self.details["method"] = "OpenCV DIS optical flow (medium preset), both neighbours warped"

    def middles(self, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        return np.stack([self._middle(x, y, float(s)) for x, y, s in zip(a, b, t, strict=True)])

    def _middle(self, a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
        import cv2

        grey_a = cv2.cvtColor(a, cv2.COLOR_RGB2GRAY)
        grey_b = cv2.cvtColor(b, cv2.COLOR_RGB2GRAY)
        # DIS gives flow f with a(x) ~ b(x + f(x)).
        f_ab = self._flow(grey_a, grey_b)
        f_ba = self._flow(grey_b, grey_a)
        f_ta = -(1 - t) * t * f_ab + t * t * f_ba
        f_tb = (1 - t) ** 2 * f_ab - t * (1 - t) * f_ba
        h, w = grey_a.shape
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)

        def pull(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
            return cv2.remap(
                image,
                xs + flow[..., 0],
                ys + flow[..., 1],
                interpolation=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            ).astype(np.float32)

        blended = (1 - t) * pull(a, f_ta) + t * pull(b, f_tb)
        return np.clip(np.rint(blended), 0, 255).astype(np.uint8)

    def _flow(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """DIS flow from grey ``a`` to ``b``; a frame smaller than DIS takes (an icon, a 2x2 test clip:
        OpenCV raised an error) is measured with its edges repeated out to that size."""
        h, w = a.shape
        grow = ((0, max(0, _DIS_LEAST - h)), (0, max(0, _DIS_LEAST - w)))
        if grow[0][1] or grow[1][1]:
            a, b = np.pad(a, grow, mode="edge"), np.pad(b, grow, mode="edge")
        flow: np.ndarray = self._dis.calc(a, b, None)
        return flow[:h, :w]
