"""The fused GELU-to-FP8 cast of FP8 feed-forwards: what it computes, and that the swapped layer still does the FFN.

The Triton kernel runs on CUDA only (the GPU probe compares it with ``reference``
there); on this CPU the op runs ``reference`` and FP8 products run on
``torch._scaled_mm``'s CPU path, so the layer's arithmetic is checked end to end.
"""

from __future__ import annotations

import pytest
import torch
from diffusers.models.attention import FeedForward

from reelgen.core.accel import fp8_ffn


def _relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.float() - b.float()).norm() / b.float().norm())


def test_the_cast_keeps_each_rows_gelu_within_e4m3s_precision_and_its_largest_value_at_448() -> None:
    gen = torch.Generator().manual_seed(0)
    hidden = torch.randn(64, 96, generator=gen) * torch.logspace(-2, 2, 64).unsqueeze(
        1
    )  # rows of any magnitude
    quantized, scales = fp8_ffn.gelu_fp8_op()(hidden.to(torch.bfloat16))
    assert quantized.dtype == torch.float8_e4m3fn and scales.shape == (64, 1)
    assert torch.equal(quantized.float().abs().amax(dim=1), torch.full((64,), fp8_ffn.E4M3_MAX))
    act = torch.nn.functional.gelu(hidden.to(torch.bfloat16).float(), approximate="tanh")
    assert _relative(quantized.float() * scales, act) < 0.04  # e4m3 keeps 3 mantissa bits: about 2-3 %


def test_the_op_is_a_well_formed_custom_op_whose_fake_matches_what_it_returns() -> None:
    hidden = torch.randn(8, 48, dtype=torch.bfloat16)
    torch.library.opcheck(fp8_ffn.gelu_fp8_op(), (hidden,), test_utils=("test_schema", "test_faketensor"))


def test_a_swapped_feed_forward_computes_what_the_bf16_one_did_within_fp8_error() -> None:
    torch.manual_seed(0)
    ffn = FeedForward(64, inner_dim=256, activation_fn="gelu-approximate").to(torch.bfloat16).eval()
    x = torch.randn(2, 10, 64, dtype=torch.bfloat16)
    with torch.no_grad():
        expected = ffn(x)
        up, down = fp8_ffn.fusable(ffn) or pytest.fail("a tanh-GELU FeedForward is fusable")
        fused = fp8_ffn.GeluFP8FeedForward(up, down)
        got = fused(x)
    assert got.shape == expected.shape and got.dtype == torch.bfloat16
    assert _relative(got, expected) < 0.06
    assert fused.down_weight.dtype == torch.float8_e4m3fn  # the down weight is held in FP8 only


@pytest.mark.parametrize(
    ("ffn", "why"),
    [
        (FeedForward(64, inner_dim=128, activation_fn="geglu"), "gated activation"),
        (FeedForward(64, inner_dim=128, activation_fn="gelu"), "erf GELU"),
        (FeedForward(64, inner_dim=120, activation_fn="gelu-approximate"), "width not a multiple of 16"),
        (torch.nn.Linear(64, 64), "not a feed-forward"),
    ],
)
def test_feed_forwards_the_cast_cannot_take_are_left_alone(ffn: torch.nn.Module, why: str) -> None:
    assert fp8_ffn.fusable(ffn) is None, why


def test_feed_forwards_named_in_keep_stay_as_they_are() -> None:
    block = torch.nn.Module()
    block.ff = FeedForward(32, inner_dim=64, activation_fn="gelu-approximate")
    block.ff_context = FeedForward(32, inner_dim=64, activation_fn="gelu-approximate")
    assert fp8_ffn.fuse_feed_forwards(block, keep=("ff_context.net.2",)) == ["ff"]
    assert isinstance(block.ff, fp8_ffn.GeluFP8FeedForward) and isinstance(block.ff_context, FeedForward)


@pytest.mark.parametrize("width", [16, 48, 3072, 5120, 8192, 8960, 13824, 15360])
def test_the_kernels_three_blocks_cover_a_row_in_powers_of_two_with_little_left_over(width: int) -> None:
    blocks = fp8_ffn.pieces(width)
    assert all(b >= 16 and b & (b - 1) == 0 for b in blocks)  # Triton's blocks are powers of two
    assert width <= sum(blocks) <= max(width * 1.07, width + 32)  # 8,960 is 8,192 + 512 + 256 exactly


def test_a_swapped_feed_forward_compiles_as_one_graph() -> None:
    torch.manual_seed(0)
    ffn = FeedForward(32, inner_dim=64, activation_fn="gelu-approximate").to(torch.bfloat16).eval()
    fused = fp8_ffn.GeluFP8FeedForward(*(fp8_ffn.fusable(ffn) or pytest.fail("fusable")))
    x = torch.randn(3, 32, dtype=torch.bfloat16)
    torch._dynamo.reset()
    compiled = torch.compile(fused, fullgraph=True, backend="aot_eager")  # a graph break raises here
    with torch.no_grad():
        assert torch.equal(compiled(x), fused(x))
