"""The runner contract (a loaded model) and the ``DiffusersBackend`` template every diffusers family fills in.

A family declares tables (task -> pipeline class, part dtypes, preview
factors, the single-file transformer class) and overrides one or two hooks
(``task_inputs`` most often). The template does the rest the same way for
all: load a folder or a single file, build sibling pipelines over one set of
weights, place them by the memory plan, apply LoRAs, report progress and
honour cancel at every step, and turn the output into a ``Video``.
"""

from __future__ import annotations

import contextlib
import inspect
import weakref
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from reelgen.core.backends.placement import apply_plan
from reelgen.core.backends.plumbing import (
    apply_loras,
    generator,
    latent_preview,
    single_file_transformer,
    step_callback,
    video_of,
)
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import CancelToken, Progress, ProgressEvent, StageTracker
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import v2v_steps
from reelgen.core.types import Video
from reelgen.core.weights import pipeline_named

if TYPE_CHECKING:
    from reelgen.core.accel import Accel, AccelConfig
    from reelgen.core.weights import WeightSource


class Runner(ABC):
    """One loaded model of a family: ``load``, then ``generate`` any number of times, then ``unload``.

    Heavy imports happen in ``load``. ``generate`` receives a ``ResolvedRequest``:
    every field is set and already checked against the family's spec.
    """

    #: Whether ``load`` uses diffusers or transformers, whose own loading bars are then turned off
    #: first (``reelgen.core.cache``); a runner that uses neither need not import them (seconds).
    uses_hub_libraries: ClassVar[bool] = True
    #: False for a model that reads no text at all (SVD animates its start image alone).
    reads_prompt: ClassVar[bool] = True

    @classmethod
    def unread_text(cls, request: ResolvedRequest, label: str) -> str | None:
        """Which of the request's text will not steer this model, in words, or None when all of it will.

        Said before the model loads; the record keeps the text as it was given.
        """
        if not cls.reads_prompt:
            given = [
                name
                for name, text in (("prompt", request.prompt), ("negative prompt", request.negative_prompt))
                if text
            ]
            return f"{label} reads no text: the {' and '.join(given)} will not steer it" if given else None
        why = cls.negative_unread(request) if request.negative_prompt else None
        return f"the negative prompt has no effect on {label} {why}" if why else None

    @classmethod
    def negative_unread(cls, request: ResolvedRequest) -> str | None:
        """Why a negative prompt goes unread in this request (a clause), or None when it is read."""
        if request.guidance <= 1:  # diffusers runs no unconditional pass at guidance 1 or below
            return f"at guidance {request.guidance:g}: it counts only above 1 (classifier-free guidance)"
        return None

    def __init__(self, spec: FamilySpec, preset: Preset) -> None:
        self.spec = spec
        self.preset = preset
        self.plan: MemoryPlan | None = None
        self.source: WeightSource | None = None
        #: The LoRAs the last ``generate`` applied, with their files' hashes (for the record).
        self.lora_records: list[dict[str, Any]] = []
        #: How a run over several GPUs was laid out (``reelgen.core.parallel``), for the record.
        self.parallel: dict[str, Any] | None = None
        #: How the fast path runs this model (``reelgen.core.accel``), for the record.
        self.accel_record: dict[str, Any] = {}

    @abstractmethod
    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Load weights from ``source`` and place them by ``plan``."""

    @abstractmethod
    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        """Run the model once; returns exactly ``request.num_frames`` frames at ``request.fps``."""

    def release(self) -> None:
        """Drop this runner's hold on its weights; the memory returns at the next ``empty_cache``
        (the model cache runs one for all the runners it releases together)."""
        for name in list(vars(self)):
            if name.startswith("pipe"):
                setattr(self, name, None)


class DiffusersBackend(Runner):
    """The template of a diffusers family; see the module docstring for what a family fills in."""

    #: Task -> diffusers pipeline class name. The checkpoint loads as the class of the preset's first
    #: task in this order; the other tasks' pipelines are built over the same modules on first use.
    pipelines: ClassVar[Mapping[Task, str]]
    #: Parts kept in another dtype than the plan's (Wan's VAE and image encoder lose detail in bf16).
    part_dtypes: ClassVar[Mapping[str, str]] = {}
    #: The transformer class a single checkpoint file holds; None: this family loads folders only.
    single_file_class: ClassVar[str | None] = None
    #: The family's C x 3 latent-to-RGB factors for live previews (None: a fixed projection).
    rgb_factors: ClassVar[list[list[float]] | None] = None
    #: Latents in the step callback are (B, C, F, H, W); True for families that put frames first.
    frames_first_latents: ClassVar[bool] = False
    #: Load LoRAs into ``transformer_2`` too (two-expert models).
    lora_into_second_transformer: ClassVar[bool] = False
    #: Plan dtype -> diffusers ``variant`` of the smaller weight files some repos ship beside the
    #: full-precision ones (``{"float16": "fp16"}`` reads ``*.fp16.safetensors`` where they exist).
    weight_variants: ClassVar[Mapping[str, str]] = {}
    #: ``to_video`` reads frames through ``frames_of``, so the pipeline may return them as device
    #: tensors (``output_type="pt"``) on the fast path, converted to uint8 on the GPU.
    frames_on_device: ClassVar[bool] = False

    def __init__(self, spec: FamilySpec, preset: Preset) -> None:
        super().__init__(spec, preset)
        self.pipe: Any = None
        self.pipes: dict[Task, Any] = {}
        self.accel: Accel | None = None
        #: The running call's cancel token, read by the hooks ``cancel_between_blocks`` puts on blocks.
        self._cancel: CancelToken | None = None
        self._cancel_hooked: weakref.WeakSet[Any] = weakref.WeakSet()

    # ---- hooks ------------------------------------------------------------------------------

    def pipeline_class(self, task: Task) -> Any:
        """The diffusers class that runs ``task``; override to adapt a stock class."""
        import diffusers

        return getattr(diffusers, self.pipelines[task])

    def pipeline_task(self, request: ResolvedRequest) -> Task:
        """Whose pipeline runs ``request``; LTX picks by the inputs given (images pinned or not)."""
        return request.task

    def sibling_kwargs(self, task: Task) -> dict[str, Any]:
        """Extra constructor arguments of ``task``'s pipeline beyond the shared modules."""
        return {}

    def from_pretrained(self, cls: Any, source: WeightSource, dtype: Any) -> Any:
        """The main pipeline from a diffusers folder; override to join in parts from other repos.

        ``dtype`` is what ``from_pretrained`` takes: one dtype, or one per part (``part_dtypes``).
        """
        return cls.from_pretrained(
            str(source.path), dtype=dtype, variant=self.weight_variant(source), local_files_only=True
        )

    def weight_variant(self, source: WeightSource) -> str | None:
        """The ``weight_variants`` entry for the plan's dtype, if the folder holds such files."""
        variant = self.weight_variants.get(self.plan.dtype) if self.plan is not None else None
        if variant is None or not any(source.path.rglob(f"*.{variant}.safetensors")):
            return None
        return variant

    def after_load(self) -> None:  # noqa: B027 - optional hook
        """Read what the family needs from the loaded checkpoint (scheduler config, defaults)."""

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        """The pipeline arguments of ``request.task`` (images, source frames ...), merged last."""
        return {}

    def denoise_steps(self, request: ResolvedRequest) -> int:
        """Steps the pipeline will run: video-to-video runs only the last ``source_strength`` share."""
        if request.task is Task.V2V:
            return v2v_steps(request.steps, request.source_strength)
        return request.steps

    def call(self, pipe: Any, kwargs: dict[str, Any], tracker: StageTracker) -> Any:
        """Run the pipeline; families whose pipelines lack step callbacks hook the scheduler instead."""
        return pipe(
            **kwargs,
            callback_on_step_end=step_callback(tracker, self.preview),
            callback_on_step_end_tensor_inputs=["latents"],
        )

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        """The pipeline's output as a ``Video`` (LTX-2 adds its soundtrack here)."""
        return video_of(self.frames_of(result), request.fps)

    def output_type(self) -> str:
        """``"pt"`` (frames stay on the GPU) where the family and the fast path allow it, else ``"np"``."""
        on_device = self.frames_on_device and self.accel is not None and self.accel.frames_on_device
        return "pt" if on_device else "np"

    @staticmethod
    def frames_of(result: Any) -> Any:
        """The first video of a pipeline's output as (T, H, W, 3) frames in [0, 1].

        ``output_type="np"`` gives that as NumPy already; ``"pt"`` gives a (T, C, H, W)
        tensor, put channels-last here as a view (no copy, still on its device).
        """
        frames = result.frames[0]
        return frames.permute(0, 2, 3, 1) if hasattr(frames, "permute") else frames

    def preview(self, latents: Any) -> Any:
        if self.frames_first_latents:
            latents = latents.permute(0, 2, 1, 3, 4)
        return latent_preview(latents, self.rgb_factors)

    # ---- load -------------------------------------------------------------------------------

    def main_task(self) -> Task:
        return next(t for t in self.pipelines if t in self.preset.tasks)

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Load the checkpoint as its main pipeline, then place it (siblings share its modules)."""
        self.source, self.plan = source, plan
        dtype = torch_dtype(plan.dtype)
        dtypes = {part: torch_dtype(name) for part, name in self.part_dtypes.items()}
        if plan.device == "cpu":
            dtypes = {}  # float32 throughout on the CPU
        main = self.main_task()
        cls = self.pipeline_class(main)
        dtype_arg: Any = {**dtypes, "default": dtype} if dtypes else dtype
        if source.kind == "single_file":
            self.pipe = self._load_single_file(cls, source, dtype, dtype_arg)
        else:
            try:
                self.pipe = self.from_pretrained(cls, source, dtype_arg)
            except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
                # What diffusers raises for a folder that is not this model's (junk or another family's
                # model_index.json, missing parts); CUDA out-of-memory is a RuntimeError and still
                # reaches the render's offload ladder.
                raise self._unloadable(source, exc, cls.__name__) from exc
        self.place(self.pipe, plan)

    def _unloadable(self, source: WeightSource, exc: Exception, expected: str = "") -> InvalidRequest:
        """The error for a diffusers folder that does not load as this preset, naming the folder (and
        the pipeline it holds instead, when its model_index.json names another)."""
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        reason = f"no entry {lines[0]}" if isinstance(exc, KeyError) else lines[0][:300].rstrip(".")
        held = pipeline_named(Path(source.path))
        if held and expected and held != expected:  # diffusers' own words were its internals ('FrozenDict')
            reason = f"it holds a {held}, not a {expected} ({reason})"
        if source.origin == "local":
            return InvalidRequest(
                f"weights folder {source.path} does not load as {self.preset.name} ({self.spec.label}): "
                f"{reason}. Give a diffusers folder of that model (as `save_pretrained` writes it), "
                "or leave --weights out",
                param="weights",
            )
        again = f"; fetch it again with `reelgen pull {self.preset.name}`" if self.preset.repo_id else ""
        return InvalidRequest(
            f"{self.preset.name}'s weights in {source.path} do not load: {reason}{again}", param="model"
        )

    def place(self, pipe: Any, plan: MemoryPlan, accel: AccelConfig | None = None) -> None:
        """Adopt a loaded pipeline: bars off, the family's ``after_load``, placement by ``plan``, fast path.

        ``load`` ends here; the benchmark calls it with a pipeline built in memory.
        """
        self.pipe, self.plan = pipe, plan
        pipe.set_progress_bar_config(disable=True)  # reelgen draws its own bar
        self.pipes = {self.main_task(): pipe}
        self.after_load()
        apply_plan(pipe, plan)
        self.accelerate(accel)

    def accelerate(self, config: AccelConfig | None = None) -> None:
        """Apply ``reelgen.core.accel``'s fast path (``REELGEN_ACCEL`` unless ``config`` is given)."""
        from reelgen.core import accel

        assert self.plan is not None, "accelerate() runs after the pipeline is placed"
        self.accel = accel.prepare(self.pipe, self.plan, config)
        self.accel_record = self.accel.record

    def _load_single_file(self, cls: Any, source: WeightSource, dtype: Any, dtype_arg: Any) -> Any:
        import diffusers

        if self.single_file_class is None:
            raise InvalidRequest(
                f"{self.spec.label} loads diffusers folders only; {source.path} is a single file. "
                "Give the folder `reelgen pull` or save_pretrained wrote (--weights DIR)",
                param="weights",
            )
        model_cls = getattr(diffusers, self.single_file_class)
        transformer = single_file_transformer(model_cls, source, self.preset, dtype)
        return cls.from_pretrained(
            str(source.base), transformer=transformer, dtype=dtype_arg, local_files_only=True
        )

    def pipeline_for(self, task: Task) -> Any:
        """``task``'s pipeline over the loaded modules; no weights are copied."""
        pipe = self.pipes.get(task)
        if pipe is None:
            cls = self.pipeline_class(task)
            accepted = inspect.signature(cls.__init__).parameters
            shared = {k: v for k, v in self.pipe.components.items() if k in accepted}
            pipe = self.pipes[task] = cls(**shared, **self.sibling_kwargs(task))
            pipe.set_progress_bar_config(disable=True)
        return pipe

    # ---- generate ---------------------------------------------------------------------------

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        """The arguments nearly every diffusers video pipeline takes, from the request."""
        return dict(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt or None,
            width=request.width,
            height=request.height,
            num_frames=request.num_frames,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            generator=generator(request.seed),
            output_type=self.output_type(),
        )

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        """Run one request through the pipeline its task needs; returns frames at ``request.fps``."""
        # 1. LoRAs go into the shared transformer(s), so every task pipeline sees them.
        self.lora_records = apply_loras(
            self.pipe,
            request.loras,
            into_second_transformer=self.lora_into_second_transformer,
            model=self.preset.name,
        )
        for lora in self.lora_records:  # diffusers only logs layers it left out; say it where it is seen
            if lora.get("layers_not_applied"):
                message = (
                    f"warning: LoRA {Path(lora['path']).name}: {lora['layers_not_applied']} of its layers are not "
                    f"layers of {self.preset.name} and were left out (made for another model or variant?)"
                )
                progress.emit(ProgressEvent("loras", 0, 0, 0.0, message=message))

        # 2. The task's pipeline and its inputs.
        pipe = self.pipeline_for(self.pipeline_task(request))
        kwargs = {**self.common_inputs(request), **self.task_inputs(request, pipe)}

        # 3. Denoise with progress, previews and cancel between steps; the pipeline decodes.
        tracker = progress.stage("denoise", self.denoise_steps(request))
        running = self.accel.running(pipe) if self.accel is not None else contextlib.nullcontext()
        try:
            with running, self.cancel_between_blocks(pipe, progress):
                result = self.call(pipe, kwargs, tracker)
        finally:
            if pipe is not self.pipe:
                # Offload hooks belong to the main pipeline; re-arm them so nothing stays resident.
                self.pipe.maybe_free_model_hooks()
        return self.to_video(result, request)

    # ---- cancel inside a step ---------------------------------------------------------------

    @contextlib.contextmanager
    def cancel_between_blocks(self, pipe: Any, progress: Progress) -> Iterator[None]:
        """Check cancel before every repeated transformer block, so a cancel lands within one block.

        One denoising step of a large model can take minutes; the step callback
        alone would let a cancel wait that long. The hooks go on each block once
        and read the running call's token, so a compiled block sees the same
        hooks on every call (no recompiles); outside a call they do nothing.
        """
        import torch

        runner = weakref.ref(self)  # the hooks must not keep an unloaded model alive

        def check(_module: Any, _args: Any) -> None:
            token = getattr(runner(), "_cancel", None)
            if token is not None:
                token.check()

        for block in _repeated_blocks(pipe):
            if block not in self._cancel_hooked:
                block.register_forward_pre_hook(torch.compiler.disable(check))
                self._cancel_hooked.add(block)
        self._cancel = progress.cancel
        try:
            yield
        finally:
            self._cancel = None


def _repeated_blocks(pipe: Any) -> Iterator[Any]:
    """The blocks diffusers lists as repeated (``_repeated_blocks``) in each of the pipeline's models."""
    for component in getattr(pipe, "components", {}).values():
        names = set(getattr(component, "_repeated_blocks", None) or ())
        if names and hasattr(component, "modules"):
            yield from (m for m in component.modules() if type(m).__name__ in names)
