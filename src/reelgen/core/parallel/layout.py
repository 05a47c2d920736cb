"""How one run is laid out over several processes: guidance pairs, then attention split, decided from data alone.

Pure data and arithmetic (no torch), so the launcher can refuse a bad request
before any process starts and tests can check every choice directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import gcd
from typing import Any, Literal, get_args

from reelgen.core.errors import InvalidRequest
from reelgen.core.parallel.configs import ModelConfigs, ltx_pipe, wan_pipe
from reelgen.core.spec import registry
from reelgen.core.spec.request import ResolvedRequest

#: How attention is split inside one guidance half: "auto" picks Ulysses where the heads divide.
AttentionMode = Literal["auto", "ulysses", "ring"]
#: Whether the conditional and unconditional passes run on different processes.
CfgMode = Literal["auto", "on", "off"]


@dataclass(frozen=True)
class ParallelOptions:
    """What a caller may choose about a run over several GPUs; placement, never part of the request.

    - ``attention``: Ulysses (all-to-all of heads; needs heads divisible by the degree) or ring
      (key/value blocks passed around; needs an attention kernel that returns log-sum-exp, so
      CUDA only in diffusers 0.42). ``auto`` takes Ulysses where the heads divide and adds a
      ring factor for the rest.
    - ``cfg``: run the conditional and unconditional passes on different halves of the GPUs.
      ``auto`` does so whenever the request uses guidance and the GPU count is even: one
      exchange of the prediction per step costs far less than splitting attention.
    """

    attention: AttentionMode = "auto"
    cfg: CfgMode = "auto"

    def __post_init__(self) -> None:
        # A typo ("Ulysses", cfg=True) matched no branch and ran as "auto": another layout than
        # the one asked for, without a word.
        for name, value, valid in (
            ("attention", self.attention, get_args(AttentionMode)),
            ("cfg", self.cfg, get_args(CfgMode)),
        ):
            if value not in valid:
                raise InvalidRequest(
                    f"ParallelOptions {name}={value!r} is not one of {', '.join(map(repr, valid))}",
                    param=name,
                )


def wan_tokens(runner: Any, request: ResolvedRequest) -> int | None:
    """Video tokens of a Wan run: latent frames x latent rows x latent columns over the patch."""
    pipe = runner.pipe
    patch_t, patch_h, patch_w = pipe.transformer.config.patch_size
    frames = (request.num_frames - 1) // pipe.vae_scale_factor_temporal + 1
    scale = pipe.vae_scale_factor_spatial
    return (frames // patch_t) * (request.height // scale // patch_h) * (request.width // scale // patch_w)


def ltx_tokens(runner: Any, request: ResolvedRequest) -> int | None:
    """Video tokens of an LTX run; None through the condition pipeline, whose pinned clips add tokens."""
    if runner.pipelines[runner.pipeline_task(request)] == "LTXConditionPipeline":
        return None
    pipe = runner.pipe
    frames = (request.num_frames - 1) // pipe.vae_temporal_compression_ratio + 1
    scale, patch = pipe.vae_spatial_compression_ratio, pipe.transformer_spatial_patch_size
    rows, columns = request.height // scale // patch, request.width // scale // patch
    return frames // pipe.transformer_temporal_patch_size * rows * columns


@dataclass(frozen=True)
class FamilyTraits:
    """What the parallel layer must know of a family's diffusers pipelines."""

    #: Pipeline attributes holding a denoiser to split (Wan 2.2 A14B has two experts).
    transformers: tuple[str, ...]
    #: How the pipelines call the denoiser under guidance: two calls per step (conditional
    #: first, then unconditional) or one call on a batch of [unconditional, conditional].
    cfg_calls: Literal["sequential", "batched"]
    #: Whether cross-attention stays local (text tokens whole on every process).
    local_cross_attention: bool
    #: The sequence length a request gives the denoiser (None: only the pipeline knows it), from a
    #: runner whose ``pipe`` is the loaded pipeline, or in the parent the ``config_pipe`` shape of it.
    tokens: Callable[[Any, ResolvedRequest], int | None]
    #: Preset variants whose transformer has no split plan in diffusers (guidance halves only).
    unsplit_variants: frozenset[str] = frozenset()
    #: Whether the VAE decodes frame by frame through cached layers, so its layers can be pipelined.
    pipelined_decode: bool = False
    #: The loaded pipeline's shape (what ``tokens`` reads) from the config.json files, so the parent
    #: counts the tokens before anything loads; None: the processes alone count them.
    config_pipe: Callable[[ModelConfigs], Any] | None = None


#: The families whose denoisers diffusers 0.42 can split (``_cp_plan`` on their transformers).
FAMILIES: dict[str, FamilyTraits] = {
    # WanVACETransformer3DModel declares no ``_cp_plan`` in diffusers 0.42.
    "wan": FamilyTraits(
        ("transformer", "transformer_2"),
        "sequential",
        False,
        wan_tokens,
        unsplit_variants=frozenset({"vace"}),
        pipelined_decode=True,
        config_pipe=wan_pipe,
    ),
    # LTX's cross-attention mask keeps all heads, which Ulysses cannot take apart: its text
    # tokens stay whole on every process and only the video tokens are split.
    "ltx": FamilyTraits(("transformer",), "batched", True, ltx_tokens, config_pipe=ltx_pipe),
}


@dataclass(frozen=True)
class AttentionSplit:
    """Degrees of diffusers' ``ContextParallelConfig``; ``uneven`` takes sequences or heads that do not divide."""

    ulysses: int = 1
    ring: int = 1
    uneven: bool = False

    @property
    def degree(self) -> int:
        return self.ulysses * self.ring


@dataclass(frozen=True)
class Layout:
    """``processes`` = ``cfg`` x ``attention.degree``; process r is guidance half r // degree."""

    processes: int
    cfg: int
    attention: AttentionSplit

    def as_dict(self) -> dict[str, object]:
        split = self.attention
        return {
            "processes": self.processes,
            "cfg_parallel": self.cfg > 1,
            "context_parallel": (
                {"ulysses": split.ulysses, "ring": split.ring, "uneven": split.uneven}
                if split.degree > 1
                else None
            ),
        }


def check_family(family: str, label: str, gpus: int) -> FamilyTraits:
    traits = FAMILIES.get(family)
    if traits is None:
        # `reelgen models` shows families by label: "the ltx family" alone read as if LTX-2 were in it.
        known = registry.families()
        shown = " or ".join(sorted(known[f].label if f in known else f for f in FAMILIES))
        raise InvalidRequest(
            f"{label} cannot split one run over {gpus} GPUs yet; runs over several GPUs support "
            f"the {' and '.join(sorted(FAMILIES))} families (the models `reelgen models` lists as "
            f"{shown}). Use --gpus 1",
            param="gpus",
        )
    return traits


def check_split(traits: FamilyTraits, preset_name: str, variant: str, processes: int, cfg: int) -> None:
    """Refuse an attention split on a model whose transformer diffusers cannot split."""
    if processes // cfg > 1 and variant in traits.unsplit_variants:
        # Without guidance halves (guidance 1, an odd count, cfg="off") "only its guidance passes
        # can be shared: use --gpus 1" read as if this request had passes to share.
        advice = (
            "use --gpus 2 (one guidance pass each)"
            if cfg == 2
            else "use --gpus 1, or --gpus 2 with guidance above 1 (one guidance pass each)"
        )
        raise InvalidRequest(
            f"{preset_name}'s transformer cannot be split over GPUs (diffusers has no plan for it); "
            f"only its two guidance passes can be shared: {advice}",
            param="gpus",
        )


def cfg_degree(processes: int, guidance: float, mode: CfgMode) -> int:
    """2 when the two guidance passes go to different processes, else 1."""
    uses_guidance = guidance > 1.0  # diffusers runs the unconditional pass only above 1
    if mode == "off" or (mode == "auto" and (not uses_guidance or processes % 2)):
        return 1
    if not uses_guidance:
        raise InvalidRequest(
            f"guidance-parallel runs need guidance above 1 (an unconditional pass to move); "
            f"this request has guidance {guidance}",
            param="gpus",
        )
    if processes % 2:
        raise InvalidRequest(
            f"guidance-parallel runs pair processes; {processes} GPUs cannot be split in two halves",
            param="gpus",
        )
    return 2


def attention_split(
    degree: int, heads: int, tokens: int | None, mode: AttentionMode, on_cuda: bool
) -> AttentionSplit:
    """How ``degree`` processes share attention over ``tokens`` video tokens and ``heads`` heads.

    ``tokens`` is None when the sequence length is only known inside the pipeline (pinned
    conditions add tokens); then the uneven variant, which takes any length, is used.
    """
    if degree == 1:
        return AttentionSplit()
    even = tokens is not None and tokens % degree == 0
    if mode == "ring":
        need_cuda_for_ring(on_cuda)
        return AttentionSplit(ring=degree, uneven=not even)
    if heads % degree == 0 or mode == "ulysses" or not on_cuda:
        # Ulysses' uneven variant pads heads and sequence, on any device (``heads_fit`` says how far).
        return AttentionSplit(ulysses=degree, uneven=not even or heads % degree != 0)
    ulysses = gcd(heads, degree)
    if ulysses == 1 or not even:
        return AttentionSplit(ulysses=degree, uneven=True)
    return AttentionSplit(ulysses=ulysses, ring=degree // ulysses)


def need_cuda_for_ring(on_cuda: bool) -> None:
    if not on_cuda:
        raise InvalidRequest(
            "ring attention needs an attention kernel that returns its log-sum-exp; diffusers has "
            "those for CUDA only. On the CPU use attention='ulysses'",
            param="gpus",
        )


def plan_layout(
    processes: int,
    guidance: float,
    heads: int,
    tokens: int | None,
    options: ParallelOptions,
    on_cuda: bool,
) -> Layout:
    """Guidance halves first (one exchange per step), then attention over what is left in each half."""
    cfg = cfg_degree(processes, guidance, options.cfg)
    degree = processes // cfg
    split = attention_split(degree, heads, tokens, options.attention, on_cuda)
    if not heads_fit(heads, split.ulysses):
        # diffusers asserted this inside the first step, after every process had loaded the model:
        # "AssertionError: Padding head num 1 should be less than new local head num 1".
        counts = [str(cfg * k) for k in range(1, degree) if heads_fit(heads, k)]
        listed = ", ".join(counts[:-1]) + (" or " if len(counts) > 1 else "") + counts[-1]
        raise InvalidRequest(
            f"the model's {heads} attention heads cannot be shared by {split.ulysses} processes: diffusers "
            f"pads them to a multiple of {split.ulysses} only while the padding is less than each process's "
            f"share; use --gpus {listed}{_ring_refused(heads, degree, tokens, options, on_cuda)}",
            param="gpus",
        )
    return Layout(processes, cfg, split)


def _ring_refused(
    heads: int, degree: int, tokens: int | None, options: ParallelOptions, on_cuda: bool
) -> str:
    """Why a ring factor did not take the heads Ulysses alone cannot: the video's tokens (a clause, or "")."""
    ulysses = gcd(heads, degree)
    if not on_cuda or options.attention != "auto" or ulysses == 1:
        return ""  # no ring factor was possible: the count alone is at fault
    ring = f"Ulysses {ulysses} with a ring of {degree // ulysses}"
    if tokens is None:
        return (
            f" ({ring} takes only a sequence that divides by {degree}, and this one is known only to "
            "the pipeline: pinned images and clips add tokens)"
        )
    return (
        f", or a size and frame count whose video tokens divide by {degree} ({ring} takes only "
        f"those; this request makes {tokens})"
    )


def heads_fit(heads: int, ulysses: int) -> bool:
    """Whether Ulysses over ``ulysses`` processes takes ``heads``: they divide, or the padding is below each share."""
    if heads % ulysses == 0:
        return True
    pad = ulysses - heads % ulysses
    return pad < (heads + pad) // ulysses
