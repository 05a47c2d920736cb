"""FP8 linear layers: which layers are swapped, and that the swap leaves Inductor's settings for everything else alone.

torchao needs a GPU with FP8 tensor cores, so a stand-in with torchao 0.18's
interface and its side effect plays it here: with ``set_inductor_config`` left
at its default, ``quantize_`` turns on coordinate descent tuning in all
directions for the whole process. That made every later compile in a process,
bf16 ones included, minutes slower on an H200 (docs/benchmarks.md, run 14).
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest
import torch
import torch._inductor.config as inductor

from reelgen.core.accel import lossy
from reelgen.core.errors import InvalidRequest


class Block(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.attn = torch.nn.Linear(32, 64)
        self.ffn = torch.nn.Linear(64, 48)
        self.odd = torch.nn.Linear(64, 30)  # 30 is not a multiple of 16: FP8 kernels cannot take it
        self.proj_out = torch.nn.Linear(48, 32)


class Model(torch.nn.Module):
    _repeated_blocks = ["Block"]

    def __init__(self) -> None:
        super().__init__()
        self.embed = torch.nn.Linear(32, 32)  # outside the repeated blocks: stays bf16
        self.blocks = torch.nn.ModuleList([Block(), Block()])


def _fake_torchao(monkeypatch: pytest.MonkeyPatch, *, honours_flag: bool) -> list[Any]:
    """Install a stand-in ``torchao.quantization``; returns the list of (config, layers swapped) per call."""
    calls: list[Any] = []

    @dataclass
    class Float8DynamicActivationFloat8WeightConfig:
        granularity: Any
        set_inductor_config: bool = True

    def quantize_(model: Any, config: Any, filter_fn: Any) -> None:
        if config.set_inductor_config or not honours_flag:
            inductor.coordinate_descent_tuning = True
            inductor.coordinate_descent_check_all_directions = True
        swapped = [name for name, module in model.named_modules() if filter_fn(module, name)]
        calls.append((config, swapped))

    quantization = types.ModuleType("torchao.quantization")
    quantization.Float8DynamicActivationFloat8WeightConfig = Float8DynamicActivationFloat8WeightConfig  # type: ignore[attr-defined]
    quantization.PerRow = type("PerRow", (), {})  # type: ignore[attr-defined]
    quantization.PerTensor = type("PerTensor", (), {})  # type: ignore[attr-defined]
    quantization.quantize_ = quantize_  # type: ignore[attr-defined]
    package = types.ModuleType("torchao")
    package.quantization = quantization  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "torchao", package)
    monkeypatch.setitem(sys.modules, "torchao.quantization", quantization)
    monkeypatch.setattr(lossy, "fp8_tensor_cores", lambda device: True)
    return calls


@pytest.mark.parametrize("honours_flag", [True, False])
def test_fp8_swaps_the_blocks_layers_and_leaves_inductors_settings_as_they_were(
    monkeypatch: pytest.MonkeyPatch, honours_flag: bool
) -> None:
    calls = _fake_torchao(monkeypatch, honours_flag=honours_flag)
    before = (inductor.coordinate_descent_tuning, inductor.coordinate_descent_check_all_directions)
    assert lossy.fp8_linears(Model(), keep=("proj_out",)) == 4
    assert (inductor.coordinate_descent_tuning, inductor.coordinate_descent_check_all_directions) == before
    config, swapped = calls[0]
    assert config.set_inductor_config is False
    assert swapped == ["blocks.0.attn", "blocks.0.ffn", "blocks.1.attn", "blocks.1.ffn"]


def test_fp8_on_a_device_without_fp8_tensor_cores_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_torchao(monkeypatch, honours_flag=True)
    monkeypatch.setattr(lossy, "fp8_tensor_cores", lambda device: False)
    with pytest.raises(InvalidRequest, match="compute capability 8.9 or newer") as info:
        lossy.fp8_linears(Model())
    assert info.value.param == "REELGEN_ACCEL"


def test_a_cpu_has_no_fp8_tensor_cores() -> None:
    assert lossy.fp8_tensor_cores(torch.device("cpu")) is False


class FeedForwardBlock(torch.nn.Module):
    """A block with diffusers' feed-forwards: a tanh-GELU one the fused cast takes, and two it leaves."""

    def __init__(self) -> None:
        super().__init__()
        from diffusers.models.attention import FeedForward

        self.ffn = FeedForward(32, inner_dim=64, activation_fn="gelu-approximate")
        self.gated = FeedForward(32, inner_dim=64, activation_fn="geglu")  # GEGLU: another activation
        self.exact = FeedForward(32, inner_dim=64, activation_fn="gelu")  # erf GELU: not the kernel's


class FeedForwardModel(torch.nn.Module):
    _repeated_blocks = ["FeedForwardBlock"]

    def __init__(self) -> None:
        super().__init__()
        self.blocks = torch.nn.ModuleList([FeedForwardBlock(), FeedForwardBlock()])


@pytest.mark.parametrize("fused_gelu", [True, False])
def test_fp8_fuses_the_tanh_gelu_feed_forwards_cast_and_counts_their_down_projections(
    monkeypatch: pytest.MonkeyPatch, fused_gelu: bool
) -> None:
    from reelgen.core.accel import fp8_ffn

    calls = _fake_torchao(monkeypatch, honours_flag=True)
    monkeypatch.setattr(fp8_ffn, "triton_available", lambda: True)
    model = FeedForwardModel()
    converted = lossy.fp8_linears(model, fused_gelu=fused_gelu)
    swapped = calls[0][1]
    assert converted == 12  # three feed-forwards of two projections in each of two blocks
    if fused_gelu:
        assert all(isinstance(block.ffn, fp8_ffn.GeluFP8FeedForward) for block in model.blocks)
        assert "blocks.0.ffn.up" in swapped and "blocks.0.ffn.net.2" not in swapped
        assert len(swapped) == 10  # the fused ones' down projections are cast by the swap itself
    else:
        assert "blocks.0.ffn.net.2" in swapped and len(swapped) == 12
    assert "blocks.1.gated.net.0.proj" in swapped and "blocks.1.exact.net.2" in swapped


def test_fp8_with_scales_per_tensor_keeps_torchaos_cast(monkeypatch: pytest.MonkeyPatch) -> None:
    from reelgen.core.accel import fp8_ffn

    _fake_torchao(monkeypatch, honours_flag=True)
    monkeypatch.setattr(fp8_ffn, "triton_available", lambda: True)
    model = FeedForwardModel()
    lossy.fp8_linears(model, "tensor")
    assert not any(isinstance(m, fp8_ffn.GeluFP8FeedForward) for m in model.modules())
