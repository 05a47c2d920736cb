"""Wan 2.2 TI2V 5B's VAE (residual blocks, 2x2 patches) decodes the same frames when cut into pipelined stages."""

from __future__ import annotations

import copy
from collections import deque
from typing import Any, cast

import pytest
import torch

from reelgen.core.parallel.decode import _Stage, cut, split_points, stage_costs


class Queue:
    """The stages' link, run one stage after another in one process: what a stage sends waits in order."""

    def __init__(self) -> None:
        self.sent: deque[torch.Tensor] = deque()

    def send(self, tensor: torch.Tensor, to: int) -> None:
        self.sent.append(tensor.clone())

    def receive(self, source: int, like: torch.Tensor) -> torch.Tensor:
        return self.sent.popleft()

    def flush(self) -> None:
        pass


def residual_vae() -> Any:
    """A small VAE shaped as Wan 2.2 TI2V 5B's: residual up-blocks, 12 channels of 2x2 patches, 16x space."""
    from diffusers import AutoencoderKLWan

    torch.manual_seed(0)
    vae: Any = AutoencoderKLWan(
        base_dim=8,
        z_dim=4,
        dim_mult=[1, 1, 1, 1],
        num_res_blocks=1,
        temperal_downsample=[False, True, True],
        is_residual=True,
        in_channels=12,
        out_channels=12,
        patch_size=2,
        scale_factor_spatial=16,
    )
    return vae.eval()


@pytest.mark.parametrize("stages", [2, 3])
def test_wan22_ti2v_vae_split_into_stages_decodes_the_same_frames(stages: int) -> None:
    vae = residual_vae()
    latents = torch.randn(1, 4, 3, 4, 4, generator=torch.Generator().manual_seed(0))
    blocks = len(vae.decoder.up_blocks) + 1
    bounds = [0, *([2, 4] if stages == 3 else split_points(stage_costs(vae.decoder), 2)), blocks]
    assert len(bounds) == stages + 1
    link = Queue()
    with torch.no_grad():
        whole = vae.decode(latents).sample
        outs = []
        for i in range(stages):  # each process's VAE: its own cut of the decoder, its own layer caches
            mine = copy.deepcopy(vae)
            decoder = mine.decoder
            cut(decoder, bounds[i], bounds[i + 1], blocks)
            mine.decoder = _Stage(decoder, i, stages, cast(Any, link))
            outs.append(mine.decode(latents).sample)
    assert not link.sent
    # Stages before the last hand their frames on and keep none (the patches still unfold to pixels).
    assert all(out.shape[2] == 0 for out in outs[:-1])
    assert torch.equal(outs[-1], whole)
