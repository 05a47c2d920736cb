"""`reelgen train-micro train --refresh 0` trains on the pool as it was filled."""

from __future__ import annotations

import torch

from reelgen.train.micro_data import LatentPool, SceneStream


def test_a_refresh_of_no_clips_leaves_the_pool_as_it_was() -> None:
    # The option takes "at least 0"; refreshing 0 clips asked the scene stream for none, and joining
    # no scenes was a ValueError traceback at the first transformer step, after the VAE phase.
    pool = object.__new__(LatentPool)  # a filled pool, without the VAE that fills one
    pool.stream, pool.cursor = SceneStream(0, 5), 1
    pool.captions, pool.latents = ["a red circle", "a blue star"], torch.arange(2.0)
    pool.refresh(0)
    assert pool.captions == ["a red circle", "a blue star"]
    assert pool.latents.tolist() == [0.0, 1.0] and pool.cursor == 1
