"""What the parent reads of a model's split from its config.json files, before anything loads.

The parent loads nothing, yet must refuse what every process would refuse once it
had loaded the model: attention heads the split cannot share, and a video whose
tokens a ring factor cannot cut. Both come from the transformer's and the VAE's
config.json, with the arithmetic diffusers' pipelines apply to them when built.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelgen.core.parallel.layout import FamilyTraits
    from reelgen.core.spec.family import FamilySpec, Preset
    from reelgen.core.spec.request import ResolvedRequest
    from reelgen.core.weights import WeightSource


@dataclass(frozen=True)
class ModelConfigs:
    """The transformer's and the VAE's config.json (None where that is not there), as diffusers wrote them."""

    transformer: dict[str, Any]
    vae: dict[str, Any] | None

    @property
    def heads(self) -> int:
        return int(self.transformer["num_attention_heads"])


def read_configs(source: WeightSource) -> ModelConfigs | None:
    """The configs the processes will build the model from; None where the transformer's cannot be read.

    A checkpoint file takes its configs from the diffusers folder beside it (``base``),
    as its loader does; without one, the processes refuse it for that.
    """
    folder = source.path if source.kind == "diffusers" else source.base
    if folder is None:
        return None
    transformer, vae = (_read(folder / part / "config.json") for part in ("transformer", "vae"))
    return ModelConfigs(transformer, vae) if transformer is not None else None


def _read(path: Path) -> dict[str, Any] | None:
    try:
        config = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return config if isinstance(config, dict) else None


def _part(config: dict[str, Any], **defaults: Any) -> SimpleNamespace:
    """A module as a pipeline reads it: its ``config``, with the class's defaults for keys left out."""
    return SimpleNamespace(config=SimpleNamespace(**{**defaults, **config}))


def wan_pipe(configs: ModelConfigs) -> SimpleNamespace:
    """What ``WanPipeline`` (and the image-to-video one) derive from the configs (diffusers 0.42).

    AutoencoderKLWan's scale factors default to 4 and 8, which a Wan 2.1 VAE config.json
    written before diffusers added them leaves out; Wan 2.2 TI2V 5B's says 16 spatially.
    """
    vae = _part(configs.vae or {}, scale_factor_temporal=4, scale_factor_spatial=8)
    return SimpleNamespace(
        transformer=_part(configs.transformer, patch_size=(1, 2, 2)),
        vae=vae,
        vae_scale_factor_temporal=vae.config.scale_factor_temporal,
        vae_scale_factor_spatial=vae.config.scale_factor_spatial,
    )


def ltx_pipe(configs: ModelConfigs) -> SimpleNamespace:
    """What ``LTXPipeline`` derives from the configs (diffusers 0.42).

    AutoencoderKLLTXVideo takes its compression from the config, or else from its patch
    times 2 per scaling block of the encoder (defaults: 4 x 2**3 = 32, 1 x 2**3 = 8).
    """
    vae = _part(
        configs.vae or {},
        patch_size=4,
        patch_size_t=1,
        spatio_temporal_scaling=(True, True, True, False),
        spatial_compression_ratio=None,
        temporal_compression_ratio=None,
        timestep_conditioning=False,
    )
    scaling = 2 ** sum(bool(s) for s in vae.config.spatio_temporal_scaling)
    spatial, temporal = vae.config.spatial_compression_ratio, vae.config.temporal_compression_ratio
    transformer = _part(configs.transformer, patch_size=1, patch_size_t=1)
    return SimpleNamespace(
        transformer=transformer,
        vae=vae,
        vae_spatial_compression_ratio=vae.config.patch_size * scaling if spatial is None else spatial,
        vae_temporal_compression_ratio=vae.config.patch_size_t * scaling if temporal is None else temporal,
        transformer_spatial_patch_size=transformer.config.patch_size,
        transformer_temporal_patch_size=transformer.config.patch_size_t,
    )


#: A count of tokens that divides by any number of processes: the most permissive layout, taken
#: where the configs cannot tell (the processes count again once the model is loaded).
ANY_DIVISOR = 0


def video_tokens(
    traits: FamilyTraits, spec: FamilySpec, preset: Preset, configs: ModelConfigs, request: ResolvedRequest
) -> int | None:
    """The tokens ``request``'s video makes, as every process will count them once loaded.

    The family's own count (``traits.tokens``) runs on its runner with a pipeline shaped
    from the configs, so the request is routed (LTX's condition pipeline: None, a sequence
    only the pipeline knows) and counted as in the processes.
    """
    if traits.config_pipe is None or configs.vae is None:
        return ANY_DIVISOR
    runner: Any = spec.runner_class()(spec, preset)
    try:
        runner.pipe = traits.config_pipe(configs)
        return traits.tokens(runner, request)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError, IndexError):
        return ANY_DIVISOR  # a config these pipelines would not build from: the processes say why
