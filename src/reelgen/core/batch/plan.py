"""Manifest items resolved once: each item's request (or Ken Burns request), camera path, viability and key.

``plan_batch`` is what the CLI and a ``batch`` job handler both call. It reads
no weights and imports no torch, and it costs no GPU time: keyframes that
score under the viability threshold are skipped here, with the reason. An item
that cannot run (an unreadable image, a path outside its image ...) is planned as
failed with its error, so one bad item never stops the others.
"""

from __future__ import annotations

import difflib
import logging
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelgen.core.batch.conditioned import AVATAR_MODEL, conditioned_request
from reelgen.core.batch.create import item_seed
from reelgen.core.batch.inputs import image_problem, said_of
from reelgen.core.batch.key import content_key
from reelgen.core.batch.manifest import BatchItem, Manifest, merged
from reelgen.core.batch.prompt import fill_prompt, template_values
from reelgen.core.errors import Cancelled, InvalidRequest, ModelNotAvailable, ReelgenError
from reelgen.core.media import load_image
from reelgen.core.motion.conditioning import Conditioning
from reelgen.core.motion.kenburns import KEN_BURNS, KenBurnsRequest
from reelgen.core.motion.makes import makes_video, what_it_makes
from reelgen.core.motion.path import CameraPath
from reelgen.core.motion.presets import Motion
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.spec import registry
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.viability import Viability, assess_keyframe

log = logging.getLogger(__name__)

#: Folder (under the output folder) for the start and end crops given to keyframe models.
MOTION_FRAMES = "motion-frames"
#: A Ken Burns clip's size and length when the manifest gives none.
KEN_BURNS_SHAPE = {"width": 1280, "height": 720, "fps": 24.0, "seconds": 5.0}
Shape4 = tuple[int, int, int, float]  # an item's output width, height, frame count and rate


class PlannedItem(BaseModel):
    """One manifest item, resolved: what to render, where, its content key, or why it will not run.

    ``output`` is the item's name (a batch job's stable child key); ``key``
    hashes everything that decides its pixels, input files by content.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int
    output: str
    video: str
    key: str = ""
    model: str | None = None
    prompt: str = ""
    images: tuple[str, ...] = ()
    request: ResolvedRequest | None = None
    ken_burns: KenBurnsRequest | None = None
    motion: dict[str, Any] | None = None
    viability: dict[str, Any] | None = None
    skipped: str | None = None
    error: dict[str, Any] | None = None

    @property
    def runnable(self) -> bool:
        return self.error is None and self.skipped is None

    @property
    def meta_path(self) -> Path:
        return Path(self.video).with_name(f"{self.output}.video_meta.json")

    @property
    def motion_path(self) -> Path:
        return Path(self.video).with_name(f"{self.output}.motion.json")


def output_folder(manifest: Manifest, base_dir: Path, output_dir: str | Path | None = None) -> Path:
    """Where outputs go: ``output_dir`` if given, else the manifest's, relative to its folder; ``~`` is the
    home folder, as in image paths (``"output_dir": "~/renders"`` made a folder named ``~`` beside the manifest)."""
    folder = Path(output_dir if output_dir is not None else manifest.defaults.output_dir).expanduser()
    return (base_dir / folder).resolve()


def check_models(manifest: Manifest, source: str | None = None, *, unnamed_ok: bool = False) -> None:
    """Every model an item uses exists, and every item has one (``unnamed_ok``: a manifest still to be
    edited, as ``manifest create`` may write). A typo (often in ``defaults.model``, so in every item) is
    the manifest's error, said once before any work, rather than the same failure for every item.

    ``source`` (``manifest shots/manifest.json``) starts the message, as the manifest's other errors do.
    """
    said = f"{source}: " if source else ""
    unnamed = [i for i, item in enumerate(manifest.items) if not (item.model or manifest.defaults.model)]
    if unnamed and not unnamed_ok:  # every such item failed alike, exit 1, as if the run had gone wrong
        items = manifest.items
        which = (
            "no item names a model and defaults.model is not set"
            if len(unnamed) == len(items)
            else ", ".join(f"items[{i}] ({items[i].stem})" for i in unnamed[:3])
            + (f" and {len(unnamed) - 3} more" if len(unnamed) > 3 else "")
            + f" name{'s' if len(unnamed) == 1 else ''} no model, and defaults.model is not set"
        )
        raise InvalidRequest(
            f"{said}{which}; set defaults.model (or each item's model): a model `reelgen models` lists, "
            f"or {KEN_BURNS}",
            param="defaults.model",
        )
    seen: set[str] = set()
    for i, item in enumerate(manifest.items):
        name, where = (
            (item.model, f"items[{i}].model") if item.model else (manifest.defaults.model, "defaults.model")
        )
        if not name or name == KEN_BURNS or name in seen:
            continue
        try:
            _, preset = registry.resolve(name)
        except ModelNotAvailable as exc:
            message = f"{said}{where}: {_with_ken_burns(name, exc.message)}"
            raise ModelNotAvailable(message, param=where) from None
        if not makes_video(preset):  # reelgen-lipsync: an item without a keyframe failed only once run
            raise InvalidRequest(
                f"{said}{where}: {AVATAR_MODEL.format(made=what_it_makes(preset))}", param=where
            )
        seen.add(name)


def _with_ken_burns(name: str, message: str) -> str:
    """The registry's message, which knows only models, told that a batch also takes ken-burns."""
    # The registry's list and its 'did you mean' leave ken-burns out, so 'ken-burn' found no match.
    if difflib.get_close_matches(name.lower(), [KEN_BURNS], n=1, cutoff=0.6):
        return (
            f"unknown model {name!r}; did you mean {KEN_BURNS}? (a pan and zoom over the keyframe, no model)"
        )
    if "known models:" not in message:  # a near model name was offered: ken-burns would bury it
        return message
    return f"{message}; a batch also takes {KEN_BURNS} (a pan and zoom over the keyframe, no model)"


def plan_batch(
    manifest: Manifest,
    base_dir: str | Path,
    output_dir: str | Path | None = None,
    *,
    progress: Progress | None = None,
) -> list[PlannedItem]:
    """Every item of ``manifest`` planned; ``base_dir`` is the manifest's folder (relative paths start there).

    With ``progress``, each item checked is a ``checking`` event and a cancel stops between items: scoring
    the keyframes of 10000 items takes minutes, which Ctrl-C could not cut short and nothing showed.
    """
    base = Path(base_dir).resolve()
    out = output_folder(manifest, base, output_dir)
    begun, total = time.monotonic(), len(manifest.items)
    plan: list[PlannedItem] = []
    for i in range(total):
        if progress is not None and progress.cancel.cancelled:
            raise Cancelled(
                f"batch {progress.cancel.reason} while checking its items ({i} of {total} checked), "
                "before any was made; run the batch again to make them"
            )
        plan.append(plan_item(manifest, i, base, out))
        if progress is not None:
            progress.emit(ProgressEvent("checking", i + 1, total, time.monotonic() - begun))
    return plan


def plan_item(manifest: Manifest, index: int, base_dir: Path, out: Path) -> PlannedItem:
    item = manifest.items[index]
    where = f"items[{index}]"
    model = item.model or manifest.defaults.model
    planned = PlannedItem(index=index, output=item.stem, video=str(out / item.file_name), model=model)
    try:
        return _plan(manifest, item, where, base_dir, out, planned)
    except ReelgenError as exc:
        param = exc.param if exc.param and exc.param.startswith(where) else f"{where}.{exc.param or 'model'}"
        message = exc.message if exc.message.startswith(where) else f"{where} ({item.stem}): {exc.message}"
        return planned.model_copy(update={"error": {"message": message, "code": exc.code, "param": param}})
    except Exception as exc:  # a bug met planning one item must not cost the others, as run_item's rule is
        log.exception("batch item %s could not be planned", item.stem)
        message = f"{where} ({item.stem}): internal error ({type(exc).__name__}: {exc}); please report it"
        return planned.model_copy(
            update={"error": {"message": message, "code": "internal_error", "param": where}}
        )


def _images(item: BatchItem, where: str, base_dir: Path) -> tuple[str, ...]:
    found = []
    for i, name in enumerate(item.images):
        param = f"{where}.images[{i}]"
        problem = image_problem(name, base_dir)
        if problem is not None:
            raise InvalidRequest(said_of(param, problem), param=param)
        found.append(str((base_dir / Path(name).expanduser()).resolve()))
    return tuple(found)


def _shape(settings: dict[str, Any], model: str) -> tuple[int, int, int, float]:
    """Output width, height, frame count and rate, as ``resolve`` would fill them."""
    if settings["num_frames"] is not None and settings["seconds"] is not None:
        raise InvalidRequest("give num_frames or seconds, not both", param="num_frames")
    if model == KEN_BURNS:
        fps = settings["fps"] or KEN_BURNS_SHAPE["fps"]
        frames = settings["num_frames"] or max(
            2, round((settings["seconds"] or KEN_BURNS_SHAPE["seconds"]) * fps)
        )
        return (
            settings["width"] or int(KEN_BURNS_SHAPE["width"]),
            settings["height"] or int(KEN_BURNS_SHAPE["height"]),
            frames,
            fps,
        )
    spec, preset = registry.resolve(model)
    fps = settings["fps"] or preset.fps
    if settings["num_frames"] is not None:
        frames = settings["num_frames"]
    elif settings["seconds"] is not None:
        frames = spec.rules_for(preset).frames_for_seconds(settings["seconds"], fps)
    else:
        frames = preset.num_frames
    return settings["width"] or preset.width, settings["height"] or preset.height, frames, fps


def _path(
    motion: Motion, images: tuple[str, ...], size: tuple[int, int], frames: int, fps: float, where: str
) -> CameraPath:
    if len(images) != 1:
        # "this item gives 2" left the way out unsaid: a path, or the person's own first and last frame.
        two = ' (or "motion": null to start and end on its two images)' if len(images) == 2 else ""
        raise InvalidRequest(
            f"a camera path moves over one keyframe image; this item gives {len(images)}: give it one{two}",
            param=f"{where}.images",
        )
    picture = load_image(images[0], f"{where}.images[0]")
    return motion.path(picture.size, size, frames, fps, param=f"{where}.motion")


def _viability(
    images: tuple[str, ...], path: CameraPath | None, shape: Shape4, threshold: float, where: str
) -> tuple[dict[str, Any], str | None]:
    """The weakest keyframe's viability (the first is judged by the path's smallest crop, if any),
    and why the item is skipped, or None when every keyframe passes."""
    width, height, frames, _ = shape
    worst: tuple[int, Viability] | None = None
    for i, image in enumerate(images):
        crop = min(path.rects(frames), key=lambda r: r.width) if path is not None and i == 0 else None
        # Named as the manifest names it: read by the scorer, it was "image", a field no manifest has.
        viability = assess_keyframe(load_image(image, f"{where}.images[{i}]"), (width, height), crop=crop)
        if worst is None or viability.score < worst[1].score:
            worst = (i, viability)
    assert worst is not None
    index, viability = worst
    found = {**viability.as_dict(), "image": images[index]}
    if viability.passes(threshold):
        return found, None
    which = f"keyframe {Path(images[index]).name}" if len(images) > 1 else "keyframe"
    why = f"{which} scored {viability.score:.2f} (threshold {threshold:g}): {'; '.join(viability.reasons(threshold))}"
    return found, why


def _plan(
    manifest: Manifest, item: BatchItem, where: str, base_dir: Path, out: Path, planned: PlannedItem
) -> PlannedItem:
    # 1. The item's settings over the defaults, its model, images and output shape.
    settings = merged(manifest.defaults, item)
    model = settings["model"]
    if not model:
        raise InvalidRequest("names no model; set the item's model or defaults.model", param=f"{where}.model")
    images = _images(item, where, base_dir)
    width, height, frames, fps = shape = _shape(settings, model)
    if model != KEN_BURNS:
        # Before the keyframes are judged against it: a size the model cannot make skipped them as
        # "crop it to 7.81:1", exit 0, and the width error came only once the pictures were cropped.
        spec, preset = registry.resolve(model)
        spec.rules_for(preset).check_size(width, height)
        spec.rules_for(preset).check_frames(frames)
    motion: Motion | None = settings["motion"]

    # 2. The prompt and negative prompt, their placeholders filled.
    first = images[0] if images else None
    values = template_values(item.stem, first, planned.index, model, motion, settings["variables"])
    prompt = fill_prompt(settings["prompt"] or "", values, f"{where}.prompt")
    # Filled as the prompt is: "{stem}" reached the model as written.
    negative = settings["negative_prompt"]
    if negative:
        negative = fill_prompt(negative, values, f"{where}.negative_prompt", what="negative prompt")
    planned = planned.model_copy(update={"model": model, "prompt": prompt, "images": images})

    # 3. The camera path over the first image (checked), then 4. every keyframe's viability.
    path = None
    if motion is not None and (images or model == KEN_BURNS):
        path = _path(motion, images, (width, height), frames, fps, where)
    if images:
        viability, why = _viability(images, path, shape, manifest.defaults.viability_threshold, where)
        planned = planned.model_copy(update={"viability": viability})
        if why:
            return planned.model_copy(update={"skipped": why})

    # 5. What to render: a Ken Burns clip, or a model request conditioned on the images and path.
    if model == KEN_BURNS:
        planned = _ken_burns(planned, motion, path, shape, where)
    else:
        seed = item.seed if item.seed is not None else item_seed(manifest.defaults.seed, item.stem)
        fields = {
            "model": model,
            "prompt": prompt,
            "negative_prompt": negative,
            "width": width,
            "height": height,
            "num_frames": frames,
            "fps": fps,
            "steps": settings["steps"],
            "guidance": settings["guidance"],
            "seed": seed,
            "options": settings["options"],
        }
        request, conditioning = conditioned_request(
            {k: v for k, v in fields.items() if v is not None},
            model,
            motion,
            path,
            images,
            shape,
            out / MOTION_FRAMES,
            item.stem,
            where,
        )
        doc = _motion_doc(motion, path, images, shape, conditioning) if motion else None
        planned = planned.model_copy(update={"request": request, "motion": doc})
    return planned.model_copy(update={"key": content_key(planned)})


def _ken_burns(
    planned: PlannedItem,
    motion: Motion | None,
    path: CameraPath | None,
    shape: tuple[int, int, int, float],
    where: str,
) -> PlannedItem:
    if path is None:
        raise InvalidRequest(
            "ken-burns films one keyframe image along a camera path; give images and a motion",
            param=f"{where}.motion" if planned.images else f"{where}.images",
        )
    width, height, frames, fps = shape
    job = KenBurnsRequest(
        image=planned.images[0], path=path, width=width, height=height, num_frames=frames, fps=fps
    )
    filmed = Conditioning("ken_burns", note="filmed from the keyframe, no model")
    doc = _motion_doc(motion, path, planned.images, shape, filmed)
    return planned.model_copy(update={"ken_burns": job, "motion": doc})


def _motion_doc(
    motion: Motion | None,
    path: CameraPath | None,
    images: tuple[str, ...],
    shape: tuple[int, int, int, float],
    conditioning: Conditioning,
) -> dict[str, Any]:
    """The motion companion: the move as asked, the path it became, the crop of every frame, how it was used."""
    width, height, frames, fps = shape
    return {
        "motion": motion.model_dump(mode="json", exclude_none=True) if motion else None,
        "label": motion.label if motion else "still camera",
        "keyframe": images[0] if images else None,
        "output_size": [width, height],
        "num_frames": frames,
        "fps": fps,
        "path": path.model_dump(mode="json") if path else None,
        "frames": [[round(v, 3) for v in (r.x, r.y, r.width, r.height)] for r in path.rects(frames)]
        if path
        else None,
        "how": conditioning.how,
        "note": conditioning.note,
    }
