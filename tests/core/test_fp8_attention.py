"""FP8 attention's arithmetic around the cuDNN kernel, with the kernel emulated on the CPU, and its refusals."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from reelgen.core import accel
from reelgen.core.accel import fp8_attention
from reelgen.core.accel.config import AccelConfig, parse
from reelgen.core.errors import InvalidRequest
from tests.core.helpers import loaded


class _EmulatedKernel:
    """cuDNN's FP8 forward as documented: descaled products, softmax weights rounded to e4m3, and the output
    as Hopper writes it (e4m3, divided by the values' descale) or as Blackwell does (bf16)."""

    def __init__(self, output: str = "e4m3") -> None:
        self.output = output

    def run(self, q: Any, k: Any, v: Any, dq: Any, dk: Any, dv: Any) -> Any:
        qf, kf, vf = (
            x.float().transpose(1, 2) * s.reshape(1, 1, 1, 1) for x, s in ((q, dq), (k, dk), (v, dv))
        )
        weights = torch.softmax(qf @ kf.transpose(-1, -2) * q.shape[-1] ** -0.5, dim=-1)
        weights = (weights * 448).to(torch.float8_e4m3fn).float() / 448
        out = (weights @ vf).transpose(1, 2).contiguous()  # the real op writes a contiguous (B, S, H, D)
        if self.output == "bf16":
            return out.to(torch.bfloat16)
        return (out / dv).clamp(-448, 448).to(torch.float8_e4m3fn)


def _reference(q: Any, k: Any, v: Any) -> Any:
    q32, k32, v32 = (x.float().transpose(1, 2) for x in (q, k, v))
    return torch.nn.functional.scaled_dot_product_attention(q32, k32, v32).transpose(1, 2)


@pytest.mark.parametrize("output", ["e4m3", "bf16"], ids=["hopper", "blackwell"])
def test_quantized_attention_stays_near_float32_and_centring_rescues_offset_keys_and_values(
    output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fp8_attention, "_graph", lambda key: _EmulatedKernel(output))
    fp8_attention.fp8_op()
    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, 256, 2, 128, generator=gen) for _ in range(3))
    # A channel offset shared by every token, as real keys and values carry.
    k, v = k + 4 * torch.randn(1, 1, 2, 128, generator=gen), v + 4 * torch.randn(1, 1, 2, 128, generator=gen)
    q, k, v = (x.to(torch.bfloat16) for x in (q, k, v))
    ref = _reference(q, k, v)
    out = fp8_attention.attention(q, k, v, None)
    assert out.dtype == torch.bfloat16 and out.shape == q.shape
    centred_error = float((out.float() - ref).norm() / ref.norm())
    assert centred_error < 0.03

    # Without centring, the offset takes the 3-bit mantissa: the attention part (output minus the
    # values' mean) is far worse.
    parts = [fp8_attention.quantize(x, center=False)[:2] for x in (q, k, v)]
    raw = torch.ops.reelgen.cudnn_fp8_attention(*(t for t, _ in parts), *(s for _, s in parts), 128**-0.5)
    plain = fp8_attention.read_output(raw, parts[2][1])
    mean = v.float().mean(dim=1, keepdim=True)
    plain_part = float((plain.float() - ref).norm() / (ref - mean).norm())
    centred_part = float((out.float() - ref).norm() / (ref - mean).norm())
    assert centred_part < plain_part / 2


def test_the_compilers_picture_of_the_op_matches_what_the_kernel_returns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Hopper the op returns the kernel's e4m3 so the rescale fuses in the block; its fake must say so."""
    monkeypatch.setattr(fp8_attention, "_graph", lambda key: _EmulatedKernel("e4m3"))
    monkeypatch.setattr(fp8_attention, "kernel_output_dtype", lambda device: torch.float8_e4m3fn)
    op = fp8_attention.fp8_op()
    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, 64, 2, 128, generator=gen).to(torch.bfloat16) for _ in range(3))
    parts = [fp8_attention.quantize(x, center=False)[:2] for x in (q, k, v)]
    args = (*(t for t, _ in parts), *(s for _, s in parts), 128**-0.5)
    assert op(*args).dtype == torch.float8_e4m3fn
    torch.library.opcheck(op, args, test_utils=("test_faketensor",))
    compiled = torch.compile(fp8_attention.attention, backend="aot_eager", fullgraph=True)
    assert torch.equal(compiled(q, k, v, None), fp8_attention.attention(q, k, v, None))


def test_quantize_maps_the_largest_magnitude_to_e4m3s_largest_value() -> None:
    x = torch.tensor([[[[0.5, -2.0], [1.0, 0.25]]]], dtype=torch.bfloat16)
    x8, descale, mean = fp8_attention.quantize(x, center=False)
    assert x8.dtype == torch.float8_e4m3fn and mean is None
    assert float(x8.float().abs().max()) == 448.0
    torch.testing.assert_close(x8.float() * descale, x.float(), rtol=0.07, atol=0)


def test_fp8_attention_is_refused_where_it_cannot_run_with_the_reason() -> None:
    assert parse("fp8-attention").lossy == ("fp8-attention",)
    fp8_attention.status.cache_clear()
    ok, reason = fp8_attention.status("cpu", (128,))
    assert not ok and "not a CUDA device" in reason
    runner: Any = loaded("wan-tiny")
    from dataclasses import replace

    runner.plan = replace(runner.plan, device="cuda:0", strategy="gpu")
    with pytest.raises(InvalidRequest, match="fp8-attention cannot run here: .*drop it") as info:
        accel.prepare(runner.pipe, runner.plan, AccelConfig(compile=False).with_lossy("fp8-attention"))
    assert info.value.param == "REELGEN_ACCEL"
