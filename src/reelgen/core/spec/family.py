"""What a model family declares, as data: its presets, rules, options, memory model and runner's name.

Validation, memory planning and job placement ask a ``FamilySpec``; nothing
builds a loaded model just to ask a question. The runner (the code that loads
weights and calls diffusers) is named by a dotted path and imported only when a
model is loaded, so this module and every family's spec stay free of torch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from reelgen.core.spec.memory import GIB, LADDER, DeviceInfo, MemoryPlan, Strategy, plan_memory
from reelgen.core.spec.request import NoOptions, ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

if TYPE_CHECKING:
    from reelgen.core.backends.base import Runner


@dataclass(frozen=True)
class Preset:
    """A named model: checkpoint id and the defaults a request falls back to.

    ``parts_gib`` are resident weight sizes in ``dtype`` (for the memory
    planner); ``dims`` are the denoiser's hidden and feed-forward widths (for
    its activation estimate). A ``tiny`` preset is built from small configs with
    seeded random weights instead of being downloaded. ``variant`` is a
    family-specific architecture switch (which pipeline class a checkpoint
    loads as); behaviour never keys on ``name``.
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
    variant: str = ""
    dims: tuple[int, int] = (0, 0)
    options: dict[str, Any] = field(default_factory=dict)
    bundled: str | None = None  # diffusers folder shipped inside the reelgen package, e.g. "assets/micro"
    #: Other hub repos the model also loads parts from, each with file patterns to skip on pull.
    companions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: How many reference images (``reference_images``) the model takes; 0: it takes none.
    reference_images: int = 0
    #: Whether the model can pin the clip's last frame to an ``end_image`` (its family's check may
    #: still ask for more, such as a start image too); resolve refuses one for a model that cannot.
    end_image: bool = False

    @property
    def vram_gib(self) -> float:
        """Resident size of every part together (what `reelgen models` shows)."""
        return round(sum(self.parts_gib.values()), 2)


def pixels_working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """A family-neutral activation estimate: 12 bytes per output pixel on top of 1 GiB."""
    return 1.0 + request.width * request.height * request.num_frames * 12 / GIB


#: Family-specific request checks beyond the size rules; raise ``InvalidRequest``.
Check = Callable[[Preset, ResolvedRequest], None]
#: A family's own plan for a device and budget (e.g. AnimateDiff's low-VRAM recipe), or None.
Recipe = Callable[[Preset, ResolvedRequest, DeviceInfo, float | None], MemoryPlan | None]


def _import(target: str | Any) -> Any:
    """``package.module:attribute`` -> the attribute; anything else is returned as it is."""
    if not isinstance(target, str):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class FamilySpec:
    """A model family as data, registered through the ``reelgen.backends`` entry-point group.

    ``runner`` and ``tiny_builder`` name (``module:attribute``) or are the runner
    class and the function that writes a tiny build of a preset into a folder.
    """

    family: str
    label: str
    presets: tuple[Preset, ...]
    rules: SizeRules
    runner: str | type[Runner]
    tiny_builder: str | Callable[[Preset, Path], None]
    options: type[BaseModel] = NoOptions
    supports_lora: bool = True
    #: Bumped when the tiny builder changes, so stale tiny folders are rebuilt.
    tiny_version: int = 1
    working_gib: Callable[[Preset, ResolvedRequest], float] = pixels_working_gib
    #: The activation peak with VAE tiling on, for families whose tiled decode is bounded by the tile.
    tiled_working_gib: Callable[[Preset, ResolvedRequest], float] | None = None
    #: For pipelines that call the denoiser once per CFG pass (which the fast path batches): the
    #: activation peak with the passes one at a time, untiled (False) or tiled (True).
    split_working_gib: Callable[[Preset, ResolvedRequest, bool], float] | None = None
    check: Check | None = None
    recipe: Recipe | None = None

    @property
    def tasks(self) -> frozenset[Task]:
        return frozenset(t for p in self.presets for t in p.tasks)

    def rules_for(self, preset: Preset) -> SizeRules:
        return preset.rules or self.rules

    def plan(
        self,
        preset: Preset,
        request: ResolvedRequest,
        device: DeviceInfo,
        budget_gib: float | None,
        rungs: tuple[Strategy, ...] = LADDER,
    ) -> MemoryPlan:
        """The fastest placement of ``preset``'s parts that fits ``device`` (or ``budget_gib``).

        ``rungs`` narrows the offload ladder (a family's own recipe is then skipped).
        """
        if self.recipe is not None and rungs == LADDER:
            special = self.recipe(preset, request, device, budget_gib)
            if special is not None:
                return special
        return plan_memory(
            preset.parts_gib,
            self.working_gib(preset, request),
            device,
            budget_gib=budget_gib,
            dtype=preset.dtype,
            tiled_working_gib=None
            if self.tiled_working_gib is None
            else self.tiled_working_gib(preset, request),
            split_working_gib=None
            if self.split_working_gib is None or request.guidance <= 1
            else (
                self.split_working_gib(preset, request, False),
                self.split_working_gib(preset, request, True),
            ),
            rungs=rungs,
        )

    def least_gib(self, preset: Preset, request: ResolvedRequest, total_gib: float) -> float:
        """GPU memory the run needs at the leanest placement that fits a card of ``total_gib``."""
        card = DeviceInfo("cuda:0", "GPU", total_gib, total_gib)
        return self.plan(preset, request, card, total_gib).need_gib

    def runner_class(self) -> type[Runner]:
        """The runner, imported now (this is where torch and diffusers come in)."""
        cls: type[Runner] = _import(self.runner)
        return cls

    def build_tiny(self, preset: Preset, folder: Path) -> None:
        _import(self.tiny_builder)(preset, folder)
