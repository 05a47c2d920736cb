"""Ken Burns frames: a crop the path check lets through is filmed, not failed as an internal error."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from reelgen.core.motion import Rect, check_path
from reelgen.core.motion.kenburns import crop
from reelgen.core.motion.path import CameraPath


@pytest.mark.parametrize(
    "rect",
    [
        Rect(x=-1e-7, y=0, width=160, height=90),  # a ten-millionth of a pixel left of the edge
        Rect(x=0, y=-1e-7, width=160, height=90),
        Rect(x=160 + 1e-7, y=102, width=160, height=90),  # as far past the right and bottom edges
        Rect(x=160, y=102 + 1e-7, width=160, height=90),
    ],
)
def test_a_crop_a_hair_past_the_edge_that_the_check_allows_is_filmed(rect: Rect) -> None:
    # check_path allows a millionth of a pixel of floating point past an edge; Pillow refused the box
    # ("box offset can't be negative"), and the batch item failed as an internal error.
    image = Image.fromarray(np.full((192, 320, 3), 120, dtype=np.uint8))
    check_path(CameraPath(start=rect, end=rect), image.size, (128, 72), 2)  # allowed ...
    frame = crop(image, rect, 128, 72)  # ... and filmed
    assert frame.shape == (72, 128, 3) and int(frame.mean()) == 120
