"""Opt-in lossy FP8 attention: Q, K and V cast to e4m3 with one scale each, run by cuDNN's fused FP8 kernel.

Attention is most of a large video DiT's time (about 70 % of a Wan 14B step at
1280x720x81), and FP8 linear layers leave it in bf16, which is why they gain
1.12x there against 1.26x on LTX. FlashAttention-4's FP8 path is built for
Blackwell only; cuDNN's FP8 SDPA forward runs on Hopper too, through the
``nvidia-cudnn-frontend`` graph API (``reelgen[gpu]``).

Precision, in the order it is spent: each of Q, K and V gets one scale (its
largest magnitude maps to e4m3's 448). Keys and values are centred over the
tokens first, because a channel offset shared by all tokens eats the 3-bit
mantissa of every token. Centring keys leaves the softmax unchanged (it adds
one constant to each query's row of scores) and centring values is undone by
adding the mean back to the output, since each row of softmax weights sums to
one. The softmax weights themselves are quantized inside the kernel with a
fixed scale of 448. The quantization runs in the compiled block (Inductor fuses
the reduction and the cast); the kernel is one opaque custom op.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

log = logging.getLogger(__name__)

#: Largest finite e4m3 value.
E4M3_MAX = 448.0
#: Head sizes the mode runs at. cuDNN's FP8 forward takes 64 too, but on an H200 it ran slower there than
#: bf16 attention (443 against 459 TFLOP/s at LTX 2B's shape; 825 against 579 at Wan 14B's 128-wide
#: heads: docs/benchmarks.md, run 12).
HEAD_DIMS = frozenset({128})
#: Largest relative error against float32 attention the self-check accepts on random inputs. It measured
#: 5.9e-2 on an H200 (bf16 attention: about 4e-3); a mis-scaled kernel measured 0.78-0.99 there, so a
#: kernel outside this is broken, not merely imprecise.
SELF_CHECK_TOLERANCE = 0.12
#: Output types tried when a graph is built, best first. Blackwell writes bf16 or FP16 (read back as bf16:
#: attention outputs are bounded by the values' range, far inside FP16's). Hopper's kernel writes e4m3
#: only (cuDNN 9.19 declines the others there), scaled by the values' scale: each output is a weighted
#: mean of the (centred) values, so it stays within their largest magnitude.
_OUTPUT_TYPES = ("BFLOAT16", "HALF", "FP8_E4M3")


def quantize(x: Any, *, center: bool) -> tuple[Any, Any, Any]:
    """``x`` (B, S, H, D) as e4m3 with one float32 descale (1, 1, 1, 1), and the mean taken off first (or None)."""
    import torch

    mean = x.mean(dim=1, keepdim=True) if center else None
    if mean is not None:
        x = x - mean
    amax = x.abs().amax().float().clamp_min(1e-12)
    scaled = (x.float() * (E4M3_MAX / amax)).clamp(-E4M3_MAX, E4M3_MAX)
    return scaled.to(torch.float8_e4m3fn), (amax / E4M3_MAX).reshape(1, 1, 1, 1), mean


def attention(query: Any, key: Any, value: Any, scale: float | None) -> Any:
    """FP8 attention on diffusers' (B, S, H, D) bf16 tensors; returns bf16 (B, S, H, D). Needs ``fp8_op()`` first."""
    q8, dq, _ = quantize(query, center=False)
    k8, dk, _ = quantize(key, center=True)
    v8, dv, v_mean = quantize(value, center=True)
    import torch

    softmax_scale = scale if scale is not None else query.shape[-1] ** -0.5
    raw = torch.ops.reelgen.cudnn_fp8_attention(q8, k8, v8, dq, dk, dv, float(softmax_scale))
    return (read_output(raw, dv) + v_mean).to(query.dtype)


def read_output(raw: Any, descale_v: Any) -> Any:
    """The kernel's output as attention values: e4m3 holds them divided by the values' descale (Hopper).

    The rescale happens here rather than in the custom op so that, in a compiled block, it fuses with
    adding the values' mean back: one pass over the output. Inside the op it was three eager passes
    through float32 copies, 1.4 ms per two Wan 1.3B blocks at 832x480x81 on an H200; the step went
    from 1.18x to 1.21x the lossless one (docs/benchmarks.md, run 16; 1.26x since run 17's fused GELU cast).
    """
    import torch

    return raw.float() * descale_v if raw.dtype == torch.float8_e4m3fn else raw


def kernel_output_dtype(device: Any) -> Any:
    """What the op returns on ``device``: the kernel's own e4m3 on Hopper (cuDNN 9.19 writes nothing else
    there), bf16 elsewhere (Blackwell writes it directly)."""
    import torch

    if device.type == "cuda" and torch.cuda.get_device_capability(device)[0] == 9:
        return torch.float8_e4m3fn
    return torch.bfloat16


@functools.cache
def fp8_op() -> Any:
    """``torch.ops.reelgen.cudnn_fp8_attention``: cuDNN's FP8 SDPA forward, opaque to the compiler."""
    import torch

    @torch.library.custom_op(
        "reelgen::cudnn_fp8_attention",
        mutates_args=(),
        schema="(Tensor q, Tensor k, Tensor v, Tensor descale_q, Tensor descale_k, Tensor descale_v, "
        "float scale) -> Tensor",
    )
    def cudnn_fp8_attention(
        q: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
        descale_q: torch.Tensor,
        descale_k: torch.Tensor,
        descale_v: torch.Tensor,
        scale: float,
    ) -> torch.Tensor:
        q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
        return _graph(_key(q, k, v, scale)).run(q, k, v, descale_q, descale_k, descale_v)

    @cudnn_fp8_attention.register_fake
    def _(
        q: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
        descale_q: torch.Tensor,
        descale_k: torch.Tensor,
        descale_v: torch.Tensor,
        scale: float,
    ) -> torch.Tensor:
        return q.new_empty((*q.shape[:-1], v.shape[-1]), dtype=kernel_output_dtype(q.device))

    return cudnn_fp8_attention


def _key(q: Any, k: Any, v: Any, scale: float) -> tuple[Any, ...]:
    return (tuple(q.shape), tuple(k.shape), tuple(v.shape), scale, q.device.index or 0)


class _Graph:
    """One built cuDNN FP8 SDPA graph for one set of shapes (contiguous BSHD inputs)."""

    def __init__(self, key: tuple[Any, ...]) -> None:
        import cudnn
        import torch

        q_shape, k_shape, v_shape, scale, device = key
        self.device = torch.device("cuda", device)
        self.out_shape = (*q_shape[:-1], v_shape[-1])
        self.handle = _handle(device)
        errors = []
        hopper = torch.cuda.get_device_capability(self.device)[0] == 9
        for name in ("FP8_E4M3",) if hopper else _OUTPUT_TYPES:  # cuDNN 9.19 says so for Hopper
            try:
                self._build(cudnn, q_shape, k_shape, v_shape, scale, getattr(cudnn.data_type, name))
            except Exception as exc:  # an output type this cuDNN cannot fuse: try the next
                errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:300]}")
                continue
            self.output_type = name
            break
        else:
            raise RuntimeError("cuDNN built no FP8 attention graph: " + " | ".join(errors))
        self.constants = {
            tensor: torch.full((1, 1, 1, 1), value, dtype=torch.float32, device=self.device)
            for tensor, value in ((self.descale_s, 1 / E4M3_MAX), (self.scale_s, E4M3_MAX))
        }

    def _build(
        self, cudnn: Any, q_shape: Any, k_shape: Any, v_shape: Any, scale: float, out_type: Any
    ) -> None:
        graph = cudnn.pygraph(
            io_data_type=cudnn.data_type.FP8_E4M3,
            intermediate_data_type=cudnn.data_type.FLOAT,
            compute_data_type=cudnn.data_type.FLOAT,
            handle=self.handle,
        )
        q, k, v = (
            graph.tensor(
                name=name, dim=_bhsd(shape), stride=_bhsd_stride(shape), data_type=cudnn.data_type.FP8_E4M3
            )
            for name, shape in (("q", q_shape), ("k", k_shape), ("v", v_shape))
        )
        scalars = [
            graph.tensor(name=name, dim=[1, 1, 1, 1], stride=[1, 1, 1, 1], data_type=cudnn.data_type.FLOAT)
            for name in ("descale_q", "descale_k", "descale_v", "descale_s", "scale_s", "scale_o")
        ]
        out, _stats, amax_s, amax_o = graph.sdpa_fp8(
            q=q,
            k=k,
            v=v,
            descale_q=scalars[0],
            descale_k=scalars[1],
            descale_v=scalars[2],
            descale_s=scalars[3],
            scale_s=scalars[4],
            scale_o=scalars[5],
            generate_stats=False,
            attn_scale=scale,
            use_causal_mask=False,
            name="fp8_attention",
        )
        out.set_output(True).set_dim(_bhsd(self.out_shape)).set_stride(_bhsd_stride(self.out_shape))
        out.set_data_type(out_type)
        for amax in (amax_s, amax_o):
            amax.set_output(False).set_dim([1, 1, 1, 1]).set_stride([1, 1, 1, 1]).set_data_type(
                cudnn.data_type.FLOAT
            )
        graph.validate()
        graph.build_operation_graph()
        graph.create_execution_plans([cudnn.heur_mode.A, cudnn.heur_mode.FALLBACK])
        graph.check_support()
        graph.build_plans()
        self.graph, self.q, self.k, self.v, self.out = graph, q, k, v, out
        self.descale_q, self.descale_k, self.descale_v, self.descale_s, self.scale_s, self.scale_o = scalars
        self.workspace_bytes = int(graph.get_workspace_size())

    def run(self, q: Any, k: Any, v: Any, descale_q: Any, descale_k: Any, descale_v: Any) -> Any:
        import cudnn
        import torch

        dtype = {"BFLOAT16": torch.bfloat16, "HALF": torch.float16}.get(self.output_type, torch.float8_e4m3fn)
        fp8_out = dtype == torch.float8_e4m3fn
        out = torch.empty(self.out_shape, dtype=dtype, device=self.device)
        workspace = torch.empty(max(self.workspace_bytes, 1), dtype=torch.uint8, device=self.device)
        cudnn.set_stream(self.handle, torch.cuda.current_stream(self.device).cuda_stream)
        pack = {
            self.q: q.permute(0, 2, 1, 3),  # the (B, H, S, D) views the graph was declared with
            self.k: k.permute(0, 2, 1, 3),
            self.v: v.permute(0, 2, 1, 3),
            self.descale_q: descale_q,
            self.descale_k: descale_k,
            self.descale_v: descale_v,
            self.out: out.permute(0, 2, 1, 3),
            self.scale_o: descale_v.reciprocal() if fp8_out else torch.ones_like(descale_v),
            **self.constants,
        }
        self.graph.execute(pack, workspace, handle=self.handle)
        if out.dtype == kernel_output_dtype(self.device):
            return out  # ``read_output`` rescales it where the compiler can fuse that
        return (out.float() * descale_v if fp8_out else out).to(torch.bfloat16)


def _bhsd(shape: tuple[int, ...]) -> list[int]:
    """cuDNN's (B, H, S, D) dims of a diffusers (B, S, H, D) tensor."""
    b, s, h, d = shape
    return [b, h, s, d]


def _bhsd_stride(shape: tuple[int, ...]) -> list[int]:
    """Strides of a contiguous (B, S, H, D) tensor, in cuDNN's (B, H, S, D) order."""
    _b, s, h, d = shape
    return [s * h * d, d, h * d, 1]


@functools.cache
def _graph(key: tuple[Any, ...]) -> _Graph:
    return _Graph(key)


@functools.cache
def _handle(device: int) -> Any:
    import cudnn
    import torch

    with torch.cuda.device(device):
        return cudnn.create_handle()


@functools.cache
def status(device: str, head_dims: tuple[int, ...]) -> tuple[bool, str]:
    """Whether cuDNN's FP8 attention imports, suits this GPU and these head sizes, and is accurate enough here."""
    from reelgen.core.accel.attention import hopper_or_blackwell

    if reason := hopper_or_blackwell(device, "cuDNN's FP8 attention"):
        return False, reason
    unsupported = [d for d in head_dims if d not in HEAD_DIMS]
    if unsupported:
        return False, (
            f"the model's attention heads are {unsupported[0]} wide; FP8 attention runs with "
            f"{', '.join(map(str, sorted(HEAD_DIMS)))}-wide heads (Wan), the only size where it measured "
            "faster than bf16"
        )
    try:
        import cudnn  # noqa: F401
    except Exception as exc:  # ImportError, or a frontend that cannot find libcudnn
        return (
            False,
            f"cudnn (nvidia-cudnn-frontend) is not importable ({type(exc).__name__}: {exc}); install reelgen[gpu]",
        )
    try:
        fp8_op()
        worst = max(self_check_error(device, d) for d in head_dims)
    except Exception as exc:  # a graph cuDNN cannot build here is a reason to fall back, not to fail the run
        return False, f"self-check raised {type(exc).__name__}: {str(exc)[:300]}"
    if not worst <= SELF_CHECK_TOLERANCE:
        return False, f"self-check relative error {worst:.2e} > {SELF_CHECK_TOLERANCE}"
    return True, f"cuDNN FP8 attention passed its self-check (relative error {worst:.1e} vs float32)"


def self_check_error(device: str, head_dim: int) -> float:
    """FP8 attention's relative error against float32 attention on random inputs with a channel offset."""
    import torch

    gen = torch.Generator(device).manual_seed(0)
    shape = (1, 1024, 4, head_dim)
    q, k, v = (torch.randn(shape, device=device, generator=gen) for _ in range(3))
    k = k + 2 * torch.randn(1, 1, 4, head_dim, device=device, generator=gen)  # an offset centring removes
    q, k, v = (x.to(torch.bfloat16) for x in (q, k, v))
    out = attention(q, k, v, None).float()
    q32, k32, v32 = (x.float().transpose(1, 2) for x in (q, k, v))
    ref = torch.nn.functional.scaled_dot_product_attention(q32, k32, v32).transpose(1, 2)
    return float((out - ref).norm() / ref.norm())
