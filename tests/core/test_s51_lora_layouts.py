"""A LoRA none of whose keys reach the model says which key layout it is in, not only "another model"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from diffusers.loaders import LTXVideoLoraLoaderMixin
from safetensors.numpy import save_file

from reelgen.core.backends.lora_loading import apply_loras
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import LoraSpec


class NothingLoads:
    """An LTX-Video pipeline as diffusers leaves one given keys that reach no layer: it loads nothing."""

    lora_state_dict = LTXVideoLoraLoaderMixin.lora_state_dict  # diffusers' own reading of the file

    def get_list_adapters(self) -> dict[str, list[str]]:
        return {}

    def load_lora_weights(self, *args: Any, **kwargs: Any) -> None:
        return None


def _lora(path: Path, layer: str, down: str = "lora_A", up: str = "lora_B") -> Path:
    zeros = np.zeros((4, 32), dtype=np.float32)
    save_file({f"{layer}.{down}.weight": zeros, f"{layer}.{up}.weight": zeros.T.copy()}, str(path))
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(InvalidRequest) as err:
        apply_loras(NothingLoads(), (LoraSpec(path=str(path)),), model="ltx-2b")
    return str(err.value)


@pytest.mark.parametrize(
    ("layer", "down", "up", "layout"),
    [
        ("lora_unet_transformer_blocks_0_attn1_to_q", "lora_down", "lora_up", "kohya's (lora_unet_...)"),
        (
            "base_model.model.transformer_blocks.0.attn1.to_q",
            "lora_A",
            "lora_B",
            "peft's (base_model.model...)",
        ),
    ],
)
def test_a_lora_in_a_layout_diffusers_does_not_read_says_so(
    tmp_path: Path, layer: str, down: str, up: str, layout: str
) -> None:
    """An LTX LoRA saved by kohya's scripts or by peft itself was told it 'was made for another model'."""
    path = _lora(tmp_path / "style.safetensors", layer, down, up)
    assert _refusal(path) == (
        f"loras[0].path: style.safetensors has no layer that ltx-2b has: its keys are in {layout} layout, "
        "which diffusers does not read for ltx-2b; convert it to diffusers' layout (keys such as "
        "transformer.<layer>.lora_A.weight), or use it with the model it was made for"
    )


@pytest.mark.parametrize("layer", ["transformer.blocks.0.attn1.to_q", "diffusion_model.blocks.0.attn1.to_q"])
def test_a_lora_in_a_layout_diffusers_reads_is_said_to_be_for_another_model(
    tmp_path: Path, layer: str
) -> None:
    """diffusers converts ComfyUI's layout for LTX-Video: a file in it that reaches no layer is another model's."""
    path = _lora(tmp_path / "style.safetensors", layer)
    assert _refusal(path) == (
        "loras[0].path: style.safetensors has no layer that ltx-2b has: it was made for another model"
    )


class ConverterFails(NothingLoads):
    """A Wan pipeline whose converter of kohya's or ComfyUI's layout stops at a key, as diffusers' does."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def load_lora_weights(self, *args: Any, **kwargs: Any) -> None:
        raise self.exc


@pytest.mark.parametrize(
    ("layer", "exc", "says"),
    [
        (
            "lora_unet_blocks_0_self_attn_q",
            KeyError("blocks_0_self_attn_k.lora_down.weight"),
            "could not be converted for wan-1.3b: diffusers' reading of its kohya's (lora_unet_...) layout "
            "looked for a layer it lacks (blocks_0_self_attn_k.lora_down.weight); it was made for another "
            "model, or holds fewer layers than diffusers' converter expects",
        ),
        (
            "diffusion_model.blocks.0.attn1.to_q",
            ValueError(
                "`state_dict` should be empty at this point but has original_state_dict.keys()="
                "dict_keys(['blocks.0.attn1.to_q.lora_A.weight', 'blocks.0.attn1.to_q.lora_B.weight'])"
            ),
            "could not be converted for wan-1.3b: diffusers' reading of its ComfyUI's (diffusion_model...) "
            "layout met layers it does not know (blocks.0.attn1.to_q.lora_A.weight); it was made for another "
            "model",
        ),
    ],
)
def test_a_layout_diffusers_fails_to_convert_is_named(
    tmp_path: Path, layer: str, exc: Exception, says: str
) -> None:
    """A kohya LoRA of another model into Wan read 'could not be applied to wan-1.3b ('blocks_0_...')'."""
    down, up = ("lora_down", "lora_up") if layer.startswith("lora_unet_") else ("lora_A", "lora_B")
    path = _lora(tmp_path / "style.safetensors", layer, down, up)
    with pytest.raises(InvalidRequest) as err:
        apply_loras(ConverterFails(exc), (LoraSpec(path=str(path)),), model="wan-1.3b")
    assert str(err.value) == f"loras[0].path: style.safetensors {says}"


def test_a_failure_on_a_layout_diffusers_converts_badly_names_the_layout(tmp_path: Path) -> None:
    """A musubi HunyuanVideo LoRA (kohya's keys, alpha scalars) read only 'could not be applied to
    hunyuan (chunk expects at least a 1-dimensional tensor)'."""
    path = _lora(
        tmp_path / "style.safetensors", "lora_unet_double_blocks_0_img_attn_qkv", "lora_down", "lora_up"
    )
    failing = ConverterFails(RuntimeError("chunk expects at least a 1-dimensional tensor"))
    with pytest.raises(InvalidRequest) as err:
        apply_loras(failing, (LoraSpec(path=str(path)),), model="hunyuan")
    assert str(err.value) == (
        "loras[0].path: style.safetensors could not be applied to hunyuan: diffusers failed on its kohya's "
        "(lora_unet_...) layout (chunk expects at least a 1-dimensional tensor); convert it to diffusers' "
        "layout (keys such as transformer.<layer>.lora_A.weight)"
    )


class LoadsNaN:
    """A pipeline whose transformer took adapter lora_0 as peft names it, one of its values NaN."""

    def __init__(self) -> None:
        import torch

        transformer = torch.nn.Module()
        transformer.to_q = torch.nn.Module()
        transformer.to_q.lora_A = torch.nn.ModuleDict({"lora_0": torch.nn.Linear(2, 2, bias=False)})
        with torch.no_grad():
            transformer.to_q.lora_A["lora_0"].weight[0, 0] = float("nan")
        self.components = {"transformer": transformer, "scheduler": object()}

    def get_list_adapters(self) -> dict[str, list[str]]:
        return {"transformer": ["lora_0"]}

    def unload_lora_weights(self) -> None:
        return None

    def load_lora_weights(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_a_lora_holding_nan_is_refused_naming_it(tmp_path: Path) -> None:
    """A diverged LoRA ran every step and read 'the model overflowed (try bfloat16 or float32 ...)'."""
    path = _lora(tmp_path / "style.safetensors", "transformer.to_q")
    pipe = LoadsNaN()
    with pytest.raises(InvalidRequest) as err:
        apply_loras(pipe, (LoraSpec(path=str(path)),), model="ltx-2b")
    assert str(err.value) == (
        "loras[0].path: style.safetensors holds NaN or infinite values (its layer to_q), as a LoRA whose "
        "training diverged does; every frame would be broken: use another save of it"
    )
