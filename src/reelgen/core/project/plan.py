"""Scenes resolved against their models: each scene's windows, requests and content key, checked once.

``plan_project`` is what the CLI and a ``project`` job handler both call: it
reads no weights and imports no torch. A scene's *key* is a hash of
everything that decides its pixels (model, prompt, size, length, seed, the
content of every input file, LoRAs, options, windows, enhancement) and of
nothing else, so a clip is re-rendered exactly when its picture would change.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelgen.core.content_hash import content_hash
from reelgen.core.enhance.registry import resolve_chain
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.model import Continuation, Project, Scene, SeedPolicy, Windows
from reelgen.core.project.windows import WindowSpec, split
from reelgen.core.spec import registry
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import SEED_LIMIT, EnhanceStep, GenerationRequest, ResolvedRequest, Task
from reelgen.core.spec.resolve import resolve

#: Bumped when the way a scene becomes pixels changes, so every clip is made again.
KEY_VERSION = 1


class ScenePlan(BaseModel):
    """One scene, resolved: everything a worker needs to render its clip (JSON-serialisable for a job).

    ``first`` is the first window's request, checked against the model;
    later windows are made from it by ``window_request`` once the window
    before them exists (they are conditioned on its last frames).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    scene_id: str
    index: int
    key: str
    first: ResolvedRequest
    windows: tuple[WindowSpec, ...]
    continuation: Task | None
    end_image: str | None
    frames: int
    colour_match: bool
    overlap: int
    enhance: tuple[EnhanceStep, ...]

    @property
    def label(self) -> str:
        return f"scene {self.scene_id!r} (scenes[{self.index}])"

    def input_files(self) -> list[tuple[str, str]]:
        """Every input file the scene reads, as (parameter, path): what a job ships to its worker."""
        files = self.first.input_files()
        return files + [("end_image", self.end_image)] if self.end_image else files

    def with_input_files(self, paths: dict[str, str]) -> ScenePlan:
        """A copy reading its inputs from new paths (a worker's copies); the key is unchanged."""
        end = paths.get("end_image", self.end_image) if self.end_image else None
        first = self.first.with_input_files({k: v for k, v in paths.items() if k != "end_image" or not end})
        return self.model_copy(update={"first": first, "end_image": end})

    def window_request(self, index: int, previous: Path) -> ResolvedRequest:
        """Window ``index`` (> 0), continuing ``previous``: its last frame (i2v) or its frames (extend)."""
        spec, first = self.windows[index], self.first
        fields: dict[str, Any] = dict(
            model=first.model,
            task=self.continuation,
            prompt=spec.prompt,
            negative_prompt=first.negative_prompt,
            width=first.width,
            height=first.height,
            num_frames=spec.frames,
            fps=first.fps,
            steps=first.steps,
            guidance=first.guidance,
            guidance_2=first.guidance_2,
            seed=spec.seed,
            reference_images=list(first.reference_images),
            source_strength=first.source_strength,
            loras=list(first.loras),
            weights=first.weights,
            audio=first.audio,
            options=first.options.model_dump(mode="json"),
            end_image=self.end_image if index == len(self.windows) - 1 else None,
        )
        fields["start_image" if self.continuation is Task.I2V else "source_video"] = str(previous)
        try:
            return resolve(GenerationRequest(**fields))
        except ReelgenError as exc:
            raise scene_error(self.label, f"scenes[{self.index}]", exc) from None


@dataclass(frozen=True)
class PlannedScene:
    """A scene of the project with its plan; ``render`` is None for a title card (drawn at export)."""

    scene: Scene
    index: int
    render: ScenePlan | None

    @property
    def scene_id(self) -> str:
        return str(self.scene.id)

    @property
    def label(self) -> str:
        return f"scene {self.scene_id!r} (scenes[{self.index}])"


def scene_error(
    label: str, where: str, exc: ReelgenError, taken: dict[str, str] | None = None
) -> InvalidRequest:
    """A request error re-told for the project file: which scene, and the field under it.

    ``taken``: the request fields the scene takes from elsewhere in the file (``width`` from
    ``defaults.width``, ``reference_images`` from the project's), so a problem with one names that
    field; said as the scene's ("scenes[0].width"), it sent the person to a scene that sets none.
    """
    root = re.match(r"[a-z_0-9]*", exc.param or "")
    field = (taken or {}).get(root[0]) if root else None
    if field is not None and exc.param:
        said = exc.message.removeprefix(f"{exc.param}: ")
        field += exc.param[len(root[0]) :] if root else ""
        return InvalidRequest(f"{field} (given to {label}): {said}", param=field)
    param = f"{where}.{exc.param}" if exc.param else where
    if exc.param == "num_frames":
        param = f"{where}.duration"
    return InvalidRequest(f"{label}: {exc.message}", param=param)


def taken_fields(project: Project, scene: Scene) -> dict[str, str]:
    """The request fields ``scene`` takes from ``defaults`` or the project, by the file's name for them."""
    taken = {"width": "defaults.width", "height": "defaults.height"}  # a scene sets neither itself
    taken |= {name: f"defaults.{name}" for name in _DEFAULTED if getattr(scene, name) is None}
    if scene.reference_images is None and project.reference_images:
        taken["reference_images"] = "reference_images"
    return taken


#: The scene's own fields that, left out, are its defaults' (``steps: 0`` is refused by the file's rules).
_DEFAULTED = ("steps", "guidance", "negative_prompt", "enhance")


def scene_seed(project: Project, scene: Scene) -> int:
    if scene.seed is not None:
        return scene.seed
    base = project.defaults.seed
    if project.defaults.seed_policy is SeedPolicy.FIXED:
        return base
    # Mixed with the id, not the position: inserting a scene does not re-seed (and re-render) the rest.
    return (base + zlib.crc32(str(scene.id).encode())) % SEED_LIMIT


def _continuation(
    preset: Preset,
    asked: Continuation,
    first: Task,
    label: str,
    param: str,
    total: int,
    window: int,
    rules: Any,
) -> Task:
    """How this model continues a window: extend where it can (or was asked), else its first frame."""
    wanted = {Continuation.EXTEND: [Task.EXTEND], Continuation.FIRST_FRAME: [Task.I2V]}.get(
        asked, [Task.EXTEND, Task.I2V]
    )
    for task in wanted:
        if task in preset.tasks:
            return task
    able = sorted(
        name
        for name, (_, p) in registry.presets().items()
        if first in p.tasks and any(t in p.tasks for t in wanted)
    )
    # The window is the model's usual clip, not its longest: a scene the model can make in one longer
    # clip only needs windows.frames raised, which is the cheapest fix to name.
    one = rules.snap_frames(total)
    fix = (
        f"set windows.frames: {one} (one clip of the whole scene), shorten the scene"
        if one >= total
        else f"shorten the scene (one {preset.name} clip is at most {one} frames)"
    )
    raise InvalidRequest(
        f"{label} is {total} frames, longer than one {preset.name} window ({window} frames) and "
        f"{preset.name} cannot continue a clip ({' or '.join(t.value for t in wanted)}); {fix}, "
        f"or use a model that can: {', '.join(able) or 'none installed'}",
        param=f"{param}.model",
    )


def _window_frames(scene: Scene, preset: Preset, rules: Any, label: str, param: str) -> int:
    if scene.windows.frames is None:
        return preset.num_frames
    try:
        rules.check_frames(scene.windows.frames)
    except InvalidRequest as exc:
        # The model's rule names its request field (num_frames:), which the project file calls windows.frames.
        said = exc.message.removeprefix("num_frames: ")
        raise InvalidRequest(f"{label}: windows.frames: {said}", param=f"{param}.windows.frames") from None
    return scene.windows.frames


def _first_request(
    folder: ProjectFolder, project: Project, scene: Scene, window: WindowSpec, fps: float, single: bool
) -> GenerationRequest:
    """The first window's request, with every path from the project file made absolute."""
    defaults = project.defaults
    references = scene.reference_images
    if references is None:  # the project's go to the scenes whose model takes them; the rest were refused
        takes = registry.resolve(scene.model or defaults.model)[1].reference_images
        references = project.reference_images if takes else []
    return GenerationRequest.model_validate(
        dict(
            model=scene.model or defaults.model,
            prompt=window.prompt,
            negative_prompt=defaults.negative_prompt
            if scene.negative_prompt is None
            else scene.negative_prompt,
            width=defaults.width,
            height=defaults.height,
            num_frames=window.frames,
            fps=fps,
            steps=scene.steps or defaults.steps,
            guidance=defaults.guidance if scene.guidance is None else scene.guidance,
            seed=window.seed,
            start_image=folder.path(scene.start_image) if scene.start_image else None,
            end_image=folder.path(scene.end_image) if scene.end_image and single else None,
            keyframes=[k.model_copy(update={"image": folder.path(k.image)}) for k in scene.keyframes],
            reference_images=[folder.path(p) for p in references],
            loras=[lora.model_copy(update={"path": folder.path(lora.path)}) for lora in scene.loras],
            options=scene.options,
        )
    )


#: The request inputs a scene fills with images (its others, a source video or a voice, it never sets).
_IMAGE_INPUTS = ("start_image", "end_image", "keyframes", "reference_images")


def _check_images(first: ResolvedRequest, end_image: str | None) -> None:
    """Every image the scene names opens as one: else the render fails at that scene, after the ones before it."""
    from reelgen.core.media import load_image

    images = [(param, path) for param, path in first.input_files() if param.startswith(_IMAGE_INPUTS)]
    for param, path in images + ([("end_image", end_image)] if end_image else []):
        load_image(path, param)


def _keyframes_unwindowed(
    label: str, where: str, model: str, rules: Any, total: int, window: int, fps: float
) -> InvalidRequest:
    """Keyframes on a scene of several windows: refused, naming the one window that holds the scene where
    the model's rule has one (it was told only to shorten or split the scene)."""
    one = rules.snap_frames(total)
    fix = f"set windows.frames: {one} (one clip of the whole scene), " if one >= total else ""
    return InvalidRequest(
        f"{label}: keyframes need the scene in one window ({window} frames, {window / fps:.2f}s "
        f"for {model}); {fix}shorten it or split it into scenes",
        param=f"{where}.keyframes",
    )


def plan_scene(folder: ProjectFolder, project: Project, scene: Scene, index: int) -> ScenePlan:
    """Resolve ``scene`` against its model: windows, first request, enhancement chain and content key."""
    label, where = f"scene {scene.id!r} (scenes[{index}])", f"scenes[{index}]"
    try:
        # 1. The model, the rate and the scene's length in frames.
        spec, preset = registry.resolve(scene.model or project.defaults.model)
        rules = spec.rules_for(preset)
        fps = project.defaults.fps or preset.fps
        total = round(scene.duration * fps)
        if total < 1:  # rendered as one frame, the scene would last longer than the file says
            raise InvalidRequest(
                f"{label}: duration {scene.duration:g}s is shorter than one frame at {fps:g} fps "
                f"({preset.name}); give at least {1 / fps:.3g}s",
                param=f"{where}.duration",
            )

        for i, key in enumerate(scene.keyframes):  # rendered past the end, then trimmed away with it, unsaid
            if key.frame >= total:
                raise InvalidRequest(
                    f"{label}: keyframes[{i}].frame {key.frame} is past the scene's last frame ({total - 1}: "
                    f"{scene.duration:g}s at {fps:g} fps); give one from 0 to {total - 1}",
                    param=f"{where}.keyframes[{i}].frame",
                )

        # 2. Windows: one if the scene fits the model's window, else overlapping ones that continue.
        window = _window_frames(scene, preset, rules, label, where)
        start = Task.I2V if scene.start_image else Task.T2V
        continuation = (
            None
            if total <= window
            else _continuation(preset, scene.windows.continuation, start, label, where, total, window, rules)
        )
        if continuation is not None and scene.keyframes:
            raise _keyframes_unwindowed(label, where, preset.name, rules, total, window, fps)
        windows = split(
            total,
            window,
            rules,
            continuation,
            scene.windows.prompts,
            scene.prompt or "",
            scene_seed(project, scene),
        )
        if len(scene.windows.prompts) > len(windows):  # a prompt past the last window would never be seen
            raise InvalidRequest(
                f"{label}: windows.prompts has {len(scene.windows.prompts)} prompts but the scene is "
                f"{len(windows)} window{'s' if len(windows) > 1 else ''} of up to {window} frames; "
                "drop the extra prompts, or lengthen the scene",
                param=f"{where}.windows.prompts",
            )

        # 3. The first window resolved (this checks size, inputs, options ...), then the chain.
        first = resolve(_first_request(folder, project, scene, windows[0], fps, continuation is None))
        _check_images(first, folder.path(scene.end_image) if scene.end_image else None)
        steps = project.defaults.enhance if scene.enhance is None else scene.enhance
        enhance = resolve_chain(steps, first.width, first.height, total, first.fps)
    except InvalidRequest as exc:
        taken = taken_fields(project, scene)
        raise exc if exc.message.startswith(label) else scene_error(label, where, exc, taken) from None
    except ReelgenError as exc:
        raise scene_error(label, where, exc, taken_fields(project, scene)) from None
    plan = ScenePlan(
        scene_id=str(scene.id),
        index=index,
        key="",
        first=first,
        windows=windows,
        continuation=continuation,
        end_image=folder.path(scene.end_image) if scene.end_image and continuation else None,
        frames=total,
        colour_match=scene.windows.colour_match,
        overlap=scene.windows.overlap,
        enhance=enhance,
    )
    if plan.end_image:
        _check_last_window(plan, where, window / fps, rules.snap_frames(total))
    return plan.model_copy(update={"key": content_key(plan)})


def _check_last_window(plan: ScenePlan, where: str, seconds: float, one: int) -> None:
    """The end image, which only the last window takes, is one that window can pin.

    Only the first window was checked, so a long scene ended in this error at its last window,
    after every window before it had rendered. ``one`` is the longest clip the model's rule allows
    up to the scene's length: where it holds the scene, ``windows.frames`` is named.
    """
    model = plan.first.model
    if plan.continuation is Task.EXTEND:
        # "fit the scene in one window (0.38s)" read as shorten it, where a longer window held it whole.
        whole = f"set windows.frames: {one} (one clip of the whole scene), " if one >= plan.frames else ""
        raise InvalidRequest(
            f"{plan.label}: end_image: the scene is {len(plan.windows)} windows, each an extend of the one "
            f"before, and {model} cannot pin the last frame of an extend; leave end_image out, {whole}fit the "
            f"scene in one window ({seconds:.2f}s), or set windows.continuation: first_frame",
            param=f"{where}.end_image",
        )
    assert plan.end_image is not None
    # The end image stands in for the window before: any image does for the check.
    plan.window_request(len(plan.windows) - 1, Path(plan.end_image))


def content_key(plan: ScenePlan) -> str:
    """A hash of everything that decides the scene's pixels; input files count by content, not path."""
    paths = [p for _, p in plan.first.input_files()] + [lora.path for lora in plan.first.loras]
    if plan.end_image:
        paths.append(plan.end_image)
    data = plan.model_dump(mode="json", exclude={"key", "scene_id", "index"})
    if len(plan.windows) == 1:  # colour matching and overlap only matter where windows meet
        data.pop("colour_match")
        data.pop("overlap")
    elif plan.continuation is Task.I2V or not plan.colour_match:
        # Unused (a first-frame window compares the one frame it shares): changing it re-rendered every
        # window for the same pixels. The default keeps the key such scenes always had.
        data["overlap"] = Windows.model_fields["overlap"].default
    data["version"] = KEY_VERSION
    return content_hash(data, paths)
