"""Frames of a source video as a model takes them: sRGB, HDR (PQ/HLG) and BT.2020 colours mapped to it."""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np

from reelgen.core.enhance.mux import colour
from reelgen.core.enhance.tonemap import Hdr, srgb_mapping, tone_map
from reelgen.core.media import rgb

log = logging.getLogger(__name__)


class ModelRgb:
    """``media.rgb`` for a model's input: each decoded frame as (H, W, 3) uint8 sRGB.

    Models are trained on sRGB: an HDR clip's code values read as sRGB reached a restyle or a dub flat
    and washed out (PQ's 100 nits is mid grey), and SDR BT.2020's paler. They are tone-mapped
    (``tonemap``), and said once per source. Safe on ``decode_frames``'s pool of converting threads.
    """

    def __init__(self, param: str, shown: str) -> None:
        self.param, self.shown = param, shown
        self.mapped: Hdr | None = None
        self._lock = threading.Lock()

    def __call__(self, frame: Any) -> np.ndarray:
        picture = rgb(frame)
        mapping = srgb_mapping(colour(frame))
        if mapping is None:
            return picture
        with self._lock:
            first, self.mapped = self.mapped is None, mapping
        if first:
            log.warning("%s", self.note(mapping))
        return tone_map(picture, mapping)

    def note(self, mapping: Hdr) -> str:
        """The words said of the mapping, once."""
        kind = "HDR" if mapping.high else "SDR in BT.2020 colours"
        rolled = " (highlights rolled off)" if mapping.high else ""
        return (
            f"{self.param}: {self.shown} is {kind} ({mapping.words()}); its frames are tone-mapped to sRGB "
            f"for the model{rolled}, as models take sRGB"
        )
