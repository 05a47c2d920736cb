"""A LoRA on a layer whose output a split run gathers (Wan's and LTX's ``proj_out``) still fits the gather."""

from __future__ import annotations

from typing import Any

import torch
from diffusers.hooks import HookRegistry, ModelHook
from peft import LoraConfig

from reelgen.core.backends.wan.tiny import tiny_transformer
from reelgen.core.parallel.model import follow_lora_wrappers

GATHER = "cp_output---proj_out"  # the name diffusers gives the gather of ``proj_out``'s output


class TwoShares(ModelHook):
    """Stands in for diffusers' gather over two processes holding the same share: the tokens twice."""

    def __init__(self, metadata: Any, parallel_config: Any) -> None:
        super().__init__()
        self.metadata, self.parallel_config = metadata, parallel_config

    def post_forward(self, module: Any, output: torch.Tensor) -> torch.Tensor:
        return torch.cat([output, output], dim=1)


def _with_lora(transformer: Any) -> Any:
    torch.manual_seed(5)
    transformer.add_adapter(LoraConfig(r=2, target_modules=["proj_out"], init_lora_weights=False))
    return transformer


def test_a_lora_on_the_gathered_layer_is_added_before_the_gather() -> None:
    split = tiny_transformer()
    # The split hooks the layer first; the request's LoRA wraps it later.
    HookRegistry.check_if_exists_or_initialize(split.proj_out).register_hook(TwoShares(None, None), GATHER)
    _with_lora(split)
    alone = _with_lora(tiny_transformer())
    share = torch.randn(1, 5, alone.proj_out.in_features)

    follow_lora_wrappers(split, ["proj_out", "blocks.0", "rope"])
    follow_lora_wrappers(split, ["proj_out"])  # every step calls it; the second finds nothing to move

    # Before, the gathered 10 tokens met the LoRA's term for the 5 of this share: a size mismatch.
    mine = alone.proj_out(share)
    assert torch.equal(split.proj_out(share), torch.cat([mine, mine], dim=1))
    assert not torch.equal(mine, alone.proj_out.base_layer(share))  # the LoRA did change the output
