"""The backend contract: what a model family declares, and the shared diffusers plumbing."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict

from reelgen.core.devices import DeviceInfo, MemoryPlan, empty_cache, plan_memory
from reelgen.core.progress import Progress, StageTracker
from reelgen.core.rules import SizeRules
from reelgen.core.types import GenerationRequest, Task

if TYPE_CHECKING:
    import torch

    from reelgen.core.weights import WeightSource


class NoOptions(BaseModel):
    """Options model of a family that takes no extra options."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Preset:
    """A named model: checkpoint id and the defaults a request falls back to.

    ``parts_gib`` are resident weight sizes in ``dtype`` (for the memory
    planner). A ``tiny`` preset is built from small configs with seeded random
    weights instead of being downloaded.
    """

    name: str
    family: str
    description: str
    repo_id: str | None
    tasks: frozenset[Task]
    width: int
    height: int
    num_frames: int
    fps: float
    steps: int
    guidance: float
    parts_gib: dict[str, float]
    guidance_2: float | None = None
    revision: str | None = None
    dtype: str = "bfloat16"
    tiny: bool = False
    rules: SizeRules | None = None
    variant: str = ""  # family-specific switch, e.g. "wan2.2-a14b"
    options: dict[str, Any] = field(default_factory=dict)
    bundled: str | None = None  # diffusers folder shipped inside the reelgen package, e.g. "assets/micro"
    #: Other hub repos the model also loads parts from, each with file patterns to skip on pull.
    companions: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class BackendInfo:
    """What a family declares to the registry."""

    family: str
    label: str
    tasks: frozenset[Task]
    presets: tuple[Preset, ...]
    rules: SizeRules
    options: type[BaseModel] = NoOptions
    supports_lora: bool = True

    def rules_for(self, preset: Preset) -> SizeRules:
        return preset.rules or self.rules


class Backend(ABC):
    """One loaded model of a family. Heavy imports happen in ``load``.

    Subclasses set ``info`` and implement ``build_tiny``, ``load`` and
    ``generate``. ``generate`` receives a request whose fields are all
    resolved (size, frames, steps, seed ...) and checked against the rules.
    """

    info: ClassVar[BackendInfo]
    #: Bumped when a family's tiny builder changes, so stale tiny folders are rebuilt.
    tiny_version: ClassVar[int] = 1

    def __init__(self, preset: Preset) -> None:
        self.preset = preset
        self.plan: MemoryPlan | None = None
        self.source: WeightSource | None = None
        self.lora_records: list[dict[str, Any]] = []

    @classmethod
    @abstractmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        """Write a diffusers folder of tiny seeded random weights for ``preset`` into ``folder``."""

    @abstractmethod
    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Load weights from ``source`` and place them by ``plan``."""

    @abstractmethod
    def generate(self, request: GenerationRequest, progress: Progress) -> Any:
        """Run the model; returns a ``Video``."""

    def unload(self) -> None:
        for name in list(vars(self)):
            if name.startswith("pipe"):
                setattr(self, name, None)
        empty_cache()

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak of a run in GiB; families refine this."""
        pixels = (request.width or 0) * (request.height or 0) * (request.num_frames or 0)
        return 1.0 + pixels * 12 / 1024**3

    def plan_for(
        self, request: GenerationRequest, device: DeviceInfo, budget_gib: float | None
    ) -> MemoryPlan:
        """The memory plan for ``request``; families with special recipes override this."""
        return plan_memory(
            self.preset.parts_gib,
            self.working_gib(request),
            device,
            budget_gib=budget_gib,
            dtype=self.preset.dtype,
        )

    def validate_inputs(self, request: GenerationRequest) -> None:  # noqa: B027 - optional hook
        """Family-specific request checks beyond size rules; raise InvalidRequest."""


# ---- shared diffusers plumbing ------------------------------------------------------------


def apply_plan(pipe: Any, plan: MemoryPlan) -> None:
    """Place a diffusers pipeline's parts according to ``plan``."""
    import torch

    device = torch.device(plan.device)
    if plan.strategy in ("gpu", "cpu"):
        pipe.to(device)
    elif plan.strategy == "model_offload":
        pipe.enable_model_cpu_offload(device=device)
    elif plan.strategy == "group_offload":
        # VAEs decode through ``vae.decoder`` rather than ``vae.forward``, so block-level hooks
        # never bring their top-level layers over ("weight type CPU" errors): the VAE, small next
        # to the transformer, stays on the device instead (LTX-2's audio VAE decodes the same way).
        pipe.enable_group_offload(
            onload_device=device,
            offload_device=torch.device("cpu"),
            offload_type="block_level",
            num_blocks_per_group=1,
            use_stream=True,
            exclude_modules=["vae", "audio_vae"],
        )
    elif plan.strategy == "sequential_offload":
        pipe.enable_sequential_cpu_offload(device=device)
    if plan.attention_slicing and hasattr(pipe, "enable_attention_slicing"):
        pipe.enable_attention_slicing()
    vae: Any = getattr(pipe, "vae", None)
    # Some VAEs (e.g. SVD's temporal decoder) declare these switches but cannot honour them.
    with contextlib.suppress(NotImplementedError):
        if plan.vae_tiling and hasattr(vae, "enable_tiling"):
            vae.enable_tiling()
    with contextlib.suppress(NotImplementedError):
        if plan.vae_slicing and hasattr(vae, "enable_slicing"):
            vae.enable_slicing()


def single_file_transformer(model_cls: Any, source: WeightSource, preset: Preset, dtype: Any) -> Any:
    """The transformer in a single checkpoint file, configured from the preset's diffusers folder.

    The other parts (text encoder, VAE, scheduler) come from ``source.base``;
    without it the error says how to get it.
    """
    from reelgen.core.errors import InvalidRequest

    if source.base is None:
        raise InvalidRequest(
            f"single-file checkpoint {source.path} needs the rest of {preset.name} (text encoder, VAE, "
            f"configs) from a diffusers folder, and {preset.repo_id or 'its repo'} is not in the "
            f"Hugging Face cache. Fetch it with `reelgen pull {preset.name}`, or pass the diffusers "
            "folder as --weights",
            param="weights",
        )
    try:
        return model_cls.from_single_file(
            str(source.path),
            config=str(source.base),
            subfolder="transformer",
            dtype=dtype,
            local_files_only=True,
        )
    except (ValueError, KeyError, RuntimeError, OSError) as exc:
        raise InvalidRequest(
            f"weights file {source.path} is not a {model_cls.__name__} checkpoint matching "
            f"{preset.name} ({exc})",
            param="weights",
        ) from None


def generator(seed: int) -> torch.Generator:
    """A CPU generator: the same seed gives the same noise on any device."""
    import torch

    return torch.Generator("cpu").manual_seed(seed)


def step_callback(
    tracker: StageTracker, preview: Callable[[Any], np.ndarray | None] | None = None
) -> Callable[..., dict[str, Any]]:
    """A ``callback_on_step_end`` that reports progress and raises Cancelled between steps.

    Raising (not ``pipe._interrupt``) is what stops a diffusers pipeline
    without decoding a half-denoised video.
    """

    def on_step_end(pipe: Any, i: int, t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        latents = kwargs.get("latents")
        make = (lambda: preview(latents)) if preview is not None and latents is not None else None
        tracker.advance(i + 1, make)
        return kwargs

    return on_step_end


def frames_to_uint8(frames: Any) -> np.ndarray:
    """Pipeline output (T, H, W, 3) floats in [0, 1] -> uint8; NaN becomes black, not garbage."""
    if hasattr(frames, "detach"):
        frames = frames.detach().float().cpu().numpy()
    arr = np.nan_to_num(np.asarray(frames, dtype=np.float32), nan=0.0)
    return (np.clip(arr, 0.0, 1.0) * 255.0).round().astype(np.uint8)


def latent_preview(
    latents: Any, rgb_factors: list[list[float]] | None = None, max_side: int = 96
) -> np.ndarray:
    """Project (B, C, F, H, W) latents to small uint8 RGB frames without the VAE.

    ``rgb_factors`` is the family's C x 3 linear map; without it (or when the
    channel count differs, as in tiny models) a fixed seeded projection is used.
    """
    import torch

    lat = latents[0].detach().float().cpu()  # C, F, H, W
    channels = lat.shape[0]
    if rgb_factors is not None and len(rgb_factors) == channels:
        weight = torch.tensor(rgb_factors, dtype=torch.float32)
    else:
        weight = torch.randn(channels, 3, generator=torch.Generator().manual_seed(channels))
        weight /= channels**0.5
    rgb = torch.einsum("cfhw,cr->fhwr", lat, weight)
    lo, hi = rgb.amin(), rgb.amax()
    rgb = (rgb - lo) / (hi - lo + 1e-6)
    stride = max(1, max(rgb.shape[1], rgb.shape[2]) // max_side)
    return (rgb[:, ::stride, ::stride] * 255).round().to(torch.uint8).numpy()


def apply_loras(
    pipe: Any, loras: list[Any], *, into_second_transformer: bool = False
) -> list[dict[str, Any]]:
    """Load several LoRAs at their strengths; returns records with each file's SHA-256.

    Adapters already loaded from an earlier run are dropped first, so a cached
    pipeline never carries a previous request's LoRAs.
    """
    from reelgen.core.errors import InvalidRequest
    from reelgen.core.weights import sha256_file

    loaded = getattr(pipe, "get_list_adapters", None)
    if loaded is not None and any(loaded().values()):
        pipe.unload_lora_weights()
    if not loras:
        return []
    names, strengths, records = [], [], []
    for i, lora in enumerate(loras):
        path = Path(lora.path).expanduser()
        name = f"lora_{i}"
        try:
            pipe.load_lora_weights(str(path), weight_name=lora.weight_name, adapter_name=name)
            if into_second_transformer:
                pipe.load_lora_weights(
                    str(path), weight_name=lora.weight_name, adapter_name=name, load_into_transformer_2=True
                )
        except (ValueError, KeyError, RuntimeError, OSError) as exc:
            raise InvalidRequest(
                f"loras[{i}].path: {path} could not be applied to this model ({exc})",
                param=f"loras[{i}].path",
            ) from None
        names.append(name)
        strengths.append(lora.strength)
        records.append({"path": str(path), "strength": lora.strength, "sha256": sha256_file(path)})
    pipe.set_adapters(names, adapter_weights=strengths)
    return records
