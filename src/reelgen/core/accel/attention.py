"""The attention kernel: FlashAttention-4 (``flash_attn.cute``) where it is installed and checks out, else SDPA.

reelgen registers one backend, ``reelgen``, with diffusers' attention
dispatcher. Self-attention without a mask goes to FA4 when it passed its
self-check at load; everything else (masked text cross-attention, head sizes
FA4 lacks, a failed check) goes to torch SDPA with cuDNN's kernel preferred,
which on Hopper runs about 1.6x faster than SDPA's default flash kernel. FA4
runs as a torch custom op, so regional ``torch.compile`` sees one opaque node
instead of breaking its graph around a Python call into the CuTe DSL.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: The name reelgen's backend is registered under in diffusers' ``AttentionBackendName``.
BACKEND = "reelgen"
#: Head sizes FA4's Hopper forward kernel is built for.
FA4_HEAD_DIMS = frozenset({64, 96, 128})
#: Largest relative error against float32 attention that FA4 may show at load (bf16 rounding is ~4e-3).
SELF_CHECK_TOLERANCE = 1e-2


@dataclass
class Routing:
    """What the registered backend does, set per model at load; read on every attention call."""

    fa4: bool = False
    cudnn_first: bool = True
    #: Self-attention in FP8 through cuDNN (the opt-in lossy mode ``fp8-attention``).
    fp8: bool = False


_ROUTING = Routing()


@dataclass(frozen=True)
class AttentionChoice:
    """The kernel chosen for a model, and why (recorded with every video)."""

    kernel: str  # "fa4" or "sdpa"
    reason: str


def choose(want: str, device: str, head_dims: set[int]) -> AttentionChoice:
    """FA4 when asked for (or ``auto``) and usable on ``device`` at every head size, else SDPA with the reason."""
    if want == "sdpa":
        return AttentionChoice("sdpa", "SDPA asked for (REELGEN_ACCEL=sdpa)")
    ok, reason = fa4_status(device, tuple(sorted(head_dims)))
    if ok:
        return AttentionChoice("fa4", reason)
    if want == "fa4":
        log.warning("FlashAttention-4 was asked for but cannot run: %s; using SDPA", reason)
    return AttentionChoice("sdpa", f"FlashAttention-4 not used: {reason}")


def hopper_or_blackwell(device: str, kernel: str) -> str | None:
    """Why ``kernel`` cannot run on ``device`` (not CUDA, or not compute capability 9.x/10.x), or None."""
    import torch

    if not device.startswith("cuda") or not torch.cuda.is_available():
        return "not a CUDA device"
    major, minor = torch.cuda.get_device_capability(device)
    if major not in (9, 10):
        return f"compute capability {major}.{minor}; {kernel} runs on Hopper (9.x) and Blackwell (10.x)"
    return None


@functools.cache
def fa4_status(device: str, head_dims: tuple[int, ...]) -> tuple[bool, str]:
    """Whether FA4 imports, suits this GPU and these head sizes, and matches float32 attention here."""
    if reason := hopper_or_blackwell(device, "FA4"):
        return False, reason
    unsupported = [d for d in head_dims if d not in FA4_HEAD_DIMS]
    if unsupported:
        return False, f"head size {unsupported[0]} is not one FA4 is built for ({sorted(FA4_HEAD_DIMS)})"
    _persistent_kernel_cache()
    try:
        import flash_attn.cute  # noqa: F401
    except Exception as exc:  # ImportError, or a CuTe DSL that fails to load its libraries
        return False, f"flash_attn.cute is not importable ({type(exc).__name__}: {exc}); install reelgen[gpu]"
    try:
        worst = max(self_check_error(device, d) for d in head_dims)
    except Exception as exc:  # a JIT or launch failure is a reason to fall back, not to fail the run
        return False, f"self-check raised {type(exc).__name__}: {str(exc)[:200]}"
    if not worst <= SELF_CHECK_TOLERANCE:
        return False, f"self-check relative error {worst:.2e} > {SELF_CHECK_TOLERANCE:.0e}"
    return True, f"flash_attn.cute passed its self-check (relative error {worst:.1e} vs float32)"


def _persistent_kernel_cache() -> None:
    """Let FA4 keep its JIT-compiled kernels on disk (read when ``flash_attn.cute`` is imported)."""
    import os

    from reelgen.core import settings

    os.environ.setdefault("FLASH_ATTENTION_CUTE_DSL_CACHE_ENABLED", "1")
    os.environ.setdefault("FLASH_ATTENTION_CUTE_DSL_CACHE_DIR", str(settings.home() / "compile" / "fa4"))


def self_check_error(device: str, head_dim: int) -> float:
    """FA4's relative error against float32 attention on random bf16 inputs, self- and cross-attention shapes."""
    import torch

    op = fa4_op()
    gen = torch.Generator(device).manual_seed(0)
    worst = 0.0
    for q_len, kv_len in ((1024, 1024), (777, 77)):  # ragged lengths cross tile edges
        q, k, v = (
            torch.randn(1, n, 4, head_dim, device=device, dtype=torch.bfloat16, generator=gen)
            for n in (q_len, kv_len, kv_len)
        )
        out = op(q, k, v, None).float()
        ref = _sdpa(q.float(), k.float(), v.float(), None, None)
        worst = max(worst, float((out - ref).norm() / ref.norm()))
    return worst


@functools.cache
def fa4_op() -> Any:
    """``torch.ops.reelgen.fa4_attention``: FA4's forward on (B, S, H, D) tensors, opaque to the compiler."""
    import torch

    # The schema is spelled out: string annotations (this module's __future__ import) cannot be inferred.
    @torch.library.custom_op(
        "reelgen::fa4_attention",
        mutates_args=(),
        schema="(Tensor query, Tensor key, Tensor value, float? scale) -> Tensor",
    )
    def fa4_attention(
        query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, scale: float | None
    ) -> torch.Tensor:
        from flash_attn.cute import flash_attn_func

        out = flash_attn_func(query.contiguous(), key.contiguous(), value.contiguous(), softmax_scale=scale)
        return out[0] if isinstance(out, tuple) else out

    @fa4_attention.register_fake
    def _(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, scale: float | None) -> torch.Tensor:
        return query.new_empty((*query.shape[:-1], value.shape[-1]))

    return fa4_attention


def _sdpa(query: Any, key: Any, value: Any, attn_mask: Any, scale: float | None) -> Any:
    """torch SDPA on diffusers' (B, S, H, D) layout."""
    import torch

    q, k, v = (x.transpose(1, 2) for x in (query, key, value))
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, scale=scale)
    return out.transpose(1, 2)


def _reelgen_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
    _parallel_config: Any = None,
) -> Any:
    """The registered backend: FP8 or FA4 for plain attention when enabled, SDPA for the rest."""
    import torch

    plain = attn_mask is None and not is_causal and dropout_p == 0.0 and not enable_gqa
    if _ROUTING.fp8 and plain and query.shape[1] == key.shape[1] and query.dtype == torch.bfloat16:
        # Self-attention only: text cross-attention is cheap, and FP8 would add its error for nothing.
        from reelgen.core.accel import fp8_attention

        if query.shape[-1] in fp8_attention.HEAD_DIMS:
            return fp8_attention.attention(query, key, value, scale)
    if (
        _ROUTING.fa4
        and plain
        and query.dtype in (torch.bfloat16, torch.float16)
        and query.shape[-1] in FA4_HEAD_DIMS
    ):
        return torch.ops.reelgen.fa4_attention(query, key, value, scale)
    if is_causal or dropout_p or enable_gqa:
        q, k, v = (x.transpose(1, 2) for x in (query, key, value))
        out = torch.nn.functional.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=attn_mask,
            dropout_p=dropout_p,
            is_causal=is_causal,
            scale=scale,
            enable_gqa=enable_gqa,
        )
        return out.transpose(1, 2)
    return _sdpa(query, key, value, attn_mask, scale)


@functools.cache
def register() -> Any:
    """Add ``reelgen`` to diffusers' backend names and registry (once); returns its enum member."""
    from diffusers.models.attention_dispatch import AttentionBackendName, _AttentionBackendRegistry

    member: Any = AttentionBackendName._value2member_map_.get(BACKEND)
    if member is None:
        # AttentionBackendName is a closed Enum; its lookups go through these three tables.
        member = str.__new__(AttentionBackendName, BACKEND)
        member._name_, member._value_ = BACKEND.upper(), BACKEND
        AttentionBackendName._member_map_[member._name_] = member
        AttentionBackendName._value2member_map_[BACKEND] = member
        AttentionBackendName._member_names_.append(member._name_)
    _AttentionBackendRegistry.register(member)(_reelgen_attention)
    return member


def apply(models: list[Any], choice: AttentionChoice, *, fp8: bool = False) -> None:
    """Point every attention module of ``models`` at the ``reelgen`` backend, routed by ``choice`` (and FP8)."""
    register()
    if choice.kernel == "fa4":
        fa4_op()
    if fp8:
        from reelgen.core.accel import fp8_attention

        fp8_attention.fp8_op()
    _ROUTING.fa4 = choice.kernel == "fa4"
    _ROUTING.fp8 = fp8
    for model in models:
        model.set_attention_backend(BACKEND)


def reset(models: list[Any]) -> None:
    """Put ``models`` back on diffusers' default attention (stock behaviour)."""
    from diffusers.models.attention_dispatch import (
        DIFFUSERS_ATTN_BACKEND,
        AttentionBackendName,
        _AttentionBackendRegistry,
    )

    _ROUTING.fa4 = _ROUTING.fp8 = False
    for model in models:
        model.reset_attention_backend()
    # set_attention_backend also moved the process-wide default; stock code reads that one.
    _AttentionBackendRegistry.set_active_backend(AttentionBackendName(DIFFUSERS_ATTN_BACKEND))
