"""A lip-sync run encodes each distinct face crop once: which crops are the same, told by their pixels."""

from __future__ import annotations

import numpy as np

from reelgen.core.backends.avatar.lipsync import distinct_crops


def test_distinct_crops_keep_first_seen_order_and_map_every_frame_back() -> None:
    rng = np.random.default_rng(0)
    a, b, c = (rng.integers(0, 256, (8, 8, 3), dtype=np.uint8) for _ in range(3))
    crops = np.stack([b, b, a, b, c, a])
    distinct, inverse = distinct_crops(crops)
    assert np.array_equal(distinct, np.stack([b, a, c]))
    assert inverse.tolist() == [0, 0, 1, 0, 2, 1]
    assert np.array_equal(distinct[inverse], crops)  # every frame's crop is found again


def test_a_photo_avatars_identical_crops_are_one() -> None:
    photo = np.full((250, 32, 32, 3), 7, np.uint8)
    distinct, inverse = distinct_crops(photo)
    assert distinct.shape == (1, 32, 32, 3) and not inverse.any()


def test_crops_differing_in_one_pixel_stay_apart() -> None:
    crops = np.zeros((3, 16, 16, 3), np.uint8)
    crops[1, 15, 15, 2] = 1
    distinct, inverse = distinct_crops(crops)
    assert len(distinct) == 2 and inverse.tolist() == [0, 1, 0]
