"""A LoRA file with half a layer, or halves of two ranks, is refused by the request check, naming the layer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.spec.lora_files import lora_file_problem

LAYER = "transformer.transformer_blocks.0.attn1.to_q"


def _save(path: Path, shapes: dict[str, tuple[int, ...]]) -> Path:
    save_file({key: np.zeros(shape, dtype=np.float32) for key, shape in shapes.items()}, str(path))
    return path


@pytest.mark.parametrize(
    ("keys", "has", "lacks"),
    [
        ({f"{LAYER}.lora_A.weight": (4, 32)}, "lora_A", "lora_B"),
        ({f"{LAYER}.lora_B.weight": (32, 4)}, "lora_B", "lora_A"),
        ({"lora_unet_blocks_0_attn1_to_q.lora_down.weight": (4, 32)}, "lora_down", "lora_up"),
    ],
)
def test_half_a_layer_is_refused_naming_it(
    tmp_path: Path, keys: dict[str, tuple[int, ...]], has: str, lacks: str
) -> None:
    """It passed the check and failed on the worker as 'could not be applied (list index out of range)'."""
    path = _save(tmp_path / "half.safetensors", keys)
    layer = next(iter(keys)).split(f".{has}.")[0]
    assert lora_file_problem(path) == (
        f"is damaged: its layer {layer} has its {has} half and no {lacks} half (each LoRA layer is a pair); "
        "copy or download it again"
    )


def test_halves_of_two_ranks_are_refused_naming_the_layer(tmp_path: Path) -> None:
    """It read 'does not fit ltx-tiny: ... where ltx-tiny's is [8, 32]', blaming the model for the file."""
    path = _save(
        tmp_path / "ranks.safetensors", {f"{LAYER}.lora_A.weight": (4, 32), f"{LAYER}.lora_B.weight": (32, 8)}
    )
    out = tmp_path / "x.mp4"
    result = CliRunner().invoke(
        app, ["generate", "waves", "-m", "ltx-tiny", "--lora", str(path), "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == (
        f"error: --lora: ranks.safetensors is damaged: its layer {LAYER} has a lora_A half of rank 4 "
        "and a lora_B half of rank 8 (the two must match); copy or download it again"
    )


@pytest.mark.parametrize(
    "keys",
    [
        {f"{LAYER}.lora_A.weight": (4, 32), f"{LAYER}.lora_B.weight": (32, 4)},
        {
            "lora_unet_a_b.lora_down.weight": (4, 8, 1, 1),  # a LoCon conv layer
            "lora_unet_a_b.lora_up.weight": (8, 4, 1, 1),
            "lora_unet_a_b.alpha": (),
        },
        {
            "unet.a.to_q_lora.down.weight": (4, 8),  # diffusers' old attention-processor layout
            "unet.a.to_q_lora.up.weight": (8, 4),
            "unet.a.lora_B.bias": (8,),  # a bias is no half of a pair
        },
    ],
)
def test_whole_layers_pass(tmp_path: Path, keys: dict[str, tuple[int, ...]]) -> None:
    assert lora_file_problem(_save(tmp_path / "whole.safetensors", keys)) is None
