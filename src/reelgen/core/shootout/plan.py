"""Every model on every prompt, resolved once: the shoot-out's trials under stable keys.

``plan_shootout`` is what the CLI and a ``shootout`` job handler both call; it
imports no torch. A pair that cannot run (a text prompt on an image-only model
with no image) is planned as failed with the reason, so the report still has
its row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from reelgen.core.atomic import name_problem
from reelgen.core.errors import InvalidRequest, ModelNotAvailable, ReelgenError, from_validation_error
from reelgen.core.media import load_image
from reelgen.core.motion.makes import makes_video, what_it_makes
from reelgen.core.shootout.spec import PromptEntry, PromptsFile
from reelgen.core.spec import registry
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import GenerationRequest, Keyframe, ResolvedRequest, Task
from reelgen.core.spec.resolve import resolve


class Trial(BaseModel):
    """One model on one prompt. ``key`` (model--prompt id) is stable: a child job's key, a clip's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    model: str
    prompt_id: str
    prompt: str
    image: str | None = None
    request: ResolvedRequest | None = None
    error: dict[str, Any] | None = None


def _image(entry: PromptEntry, index: int, images: list[str], base_dir: Path) -> str | None:
    """The prompt's own image, else the CLI's images in turn; absolute, checked to exist."""
    if entry.image is not None:
        path, param = base_dir / Path(entry.image).expanduser(), f"prompts[{index}].image"
    elif images:
        # Named by its place in images, as the API's other checks of it say it (images[2]).
        at = index % len(images)
        path, param = Path(images[at]).expanduser(), f"images[{at}]"  # as a prompt's own image is
    else:
        return None
    too_long = name_problem(path)  # asking the disk of it (is_dir) raised "File name too long": internal
    if too_long:
        raise InvalidRequest(f"{param}: {too_long}", param=param)
    if path.is_dir():  # "does not exist" of a folder that does sent the person looking for a typo
        raise InvalidRequest(f"{param}: {path} is a folder; give an image file (.png, .jpg)", param=param)
    if not path.is_file():
        raise InvalidRequest(f"{param}: {path} does not exist", param=param)
    if entry.image is not None:
        # A file that is no picture failed every trial (each model loaded first) as "start_image: ...",
        # a field the prompts file has not, and the run exited 1, where a missing one stopped it at once.
        # (Start images given apart are read by the CLI and the API, naming their own fields.)
        load_image(path, param=param)
    return str(path.resolve())


def _images(
    prompts: PromptsFile, images: list[str], base_dir: Path, prompts_file: str | Path | None
) -> list[str | None]:
    """Each prompt's image (``_image``); a problem of one the prompts file names is said with the file's
    name, as its other problems are ("prompts[0].image: ..." left a person to guess which file)."""
    try:
        return [_image(entry, i, images, base_dir) for i, entry in enumerate(prompts.prompts)]
    except InvalidRequest as exc:
        if prompts_file is None or not (exc.param or "").startswith("prompts["):
            raise
        raise InvalidRequest(f"prompts file {prompts_file}: {exc.message}", param=exc.param) from None


def _every_image_taken(prompts: PromptsFile, images: list[str]) -> None:
    """Each start image goes to some prompt: one at the place of a prompt with its own image, and at
    no other's, was left out without a word (images are taken by place, prompt i getting images[i % n])."""
    if not images:
        return
    entries = prompts.prompts
    taken = {i % len(images) for i, entry in enumerate(entries) if entry.image is None}
    at = next((at for at in range(len(images)) if at not in taken), None)
    if at is None:
        return
    owner = next(entry for i, entry in enumerate(entries) if i % len(images) == at)
    raise InvalidRequest(
        f"the start image {images[at]} goes to no prompt: start images are taken one per prompt in turn, "
        f"and its place is that of prompt {owner.id!r}, which has its own image; leave that start image out, or "
        "move it to the place of a prompt without one",
        param=f"images[{at}]",
    )


def _conditioning(preset: Preset, image: str | None) -> dict[str, Any]:
    """A start image where the model takes one (that is what images are for), else text alone."""
    if image is not None and Task.I2V in preset.tasks:
        return {"task": Task.I2V, "start_image": image}
    if image is not None and Task.KEYFRAMES in preset.tasks:
        return {"task": Task.KEYFRAMES, "keyframes": [Keyframe(image=image, frame=0)]}
    if Task.T2V in preset.tasks:
        return {"task": Task.T2V}
    # Said in the fields' names, as every door reads it (the API and the page have no --images):
    # the CLI says its option for the bracketed field itself.
    raise InvalidRequest(
        f"{preset.name} needs a start image and this prompt has none; give the prompt an image (its "
        "image field in the prompts) or start images, one per prompt in turn (images)",
        param="images",
    )


def _failed(trial: Trial, exc: ReelgenError) -> Trial:
    return trial.model_copy(update={"error": {"message": exc.message, "code": exc.code, "param": exc.param}})


def _presets(models: list[str]) -> list[Preset]:
    """Each model's preset; a wrong one's error has its place as param (``models[2]``), as other list
    fields' do: param ``models`` left a long list to search (the API starts its message with it)."""
    presets: list[Preset] = []
    for i, name in enumerate(models):
        at = f"models[{i}]"
        try:
            preset = registry.resolve(name)[1]
        except ModelNotAvailable as exc:
            raise ModelNotAvailable(exc.message, param=at) from None
        first = next((j for j, p in enumerate(presets) if p.name == preset.name), None)
        if first is not None:
            # Trials are keyed (and their clips named) model--prompt: a second run would overwrite the first.
            raise InvalidRequest(f"models are named once each; repeated: {preset.name}", param=at)
        if not makes_video(preset):
            # A talking-avatar model failed every row as "needs a start image and this prompt has none",
            # of prompts that had one: it needs a voice, which no shoot-out gives.
            raise InvalidRequest(
                f"{what_it_makes(preset)}, and a shoot-out runs each model on text prompts (and start "
                "images); leave it out (`reelgen models` lists each model's tasks)",
                param=at,
            )
        presets.append(preset)
    return presets


def plan_shootout(
    models: list[str],
    prompts: PromptsFile,
    *,
    base_dir: str | Path = ".",
    images: list[str] | None = None,
    prompts_file: str | Path | None = None,
) -> list[Trial]:
    """Trials for every model (in the order given) on every prompt. An unknown model stops it here.

    ``prompts_file``: the file the prompts were read from, named in its images' problems (None: a body).
    """
    if not models:
        raise InvalidRequest("name at least one model (--models A,B)", param="models")
    presets = _presets(models)
    if images and len(images) > len(prompts.prompts):
        # Taken one per prompt in turn, the extra images would be left out without a word.
        raise InvalidRequest(
            f"{len(images)} images for {len(prompts.prompts)} prompt(s): images are taken one per prompt "
            "in turn; give at most one per prompt, or give a prompt its own image in the prompts file",
            param="images",
        )
    _every_image_taken(prompts, images or [])
    base = Path(base_dir).resolve()
    files = _images(prompts, images or [], base, prompts_file)
    asked = prompts.settings.model_dump(exclude_none=True)
    trials = []
    for preset in presets:
        for entry, image in zip(prompts.prompts, files, strict=True):
            trial = Trial(
                key=f"{preset.name}--{entry.id}",
                model=preset.name,
                prompt_id=entry.id,
                prompt=entry.prompt,
                image=image,
            )
            try:
                fields = {
                    "model": preset.name,
                    "prompt": entry.prompt,
                    "negative_prompt": entry.negative_prompt,
                    **asked,
                }
                request = resolve(
                    GenerationRequest.model_validate({**fields, **_conditioning(preset, image)})
                )
                # A text-only model ignores the image: the trial did not get one, so it says none.
                given = image if request.task is not Task.T2V else None
                trial = trial.model_copy(update={"request": request, "image": given})
            except ValidationError as exc:
                trial = _failed(trial, from_validation_error(exc))
            except ReelgenError as exc:
                trial = _failed(trial, exc)
            trials.append(trial)
    return trials
