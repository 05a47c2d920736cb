"""Replaying a project's scene clip: its recorded plan rendered again, window by window, as ``project render`` does."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from reelgen.core.errors import InvalidRequest, from_validation_error

if TYPE_CHECKING:
    from reelgen.core.progress import Progress
    from reelgen.core.project.plan import ScenePlan
    from reelgen.core.project.render import SceneRender


def is_scene(record: dict[str, Any]) -> bool:
    """Whether ``record`` is a project scene clip's (its plan and windows, no request of its own)."""
    return isinstance(record.get("plan"), dict) and "scene" in record and "key" in record


def with_windows(record: dict[str, Any], path: Path) -> dict[str, Any]:
    """``record`` with its windows' records, which only the sidecar keeps (the clip carries the rest)."""
    import json

    sidecar = path.with_suffix(".json")
    if "windows" in record or not sidecar.is_file():
        return record
    try:
        fuller = json.loads(sidecar.read_text())
    except (OSError, ValueError):
        return record
    same = isinstance(fuller, dict) and fuller.get("key") == record.get("key") and "windows" in fuller
    return dict(fuller) if same else record


def recorded_hashes(record: dict[str, Any]) -> dict[str, str]:
    """Each input file's SHA-256 by path, as the windows' own records hold them (the scene's holds none)."""
    from reelgen.core.replay_inputs import recorded_inputs

    hashes: dict[str, str] = {}
    for window in record.get("windows") or []:
        inner = window.get("record") if isinstance(window, dict) else None
        for entry in recorded_inputs(inner if isinstance(inner, dict) else {}).values():
            if isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str):
                hashes[entry["path"]] = entry["sha256"]
    return hashes


def recorded_plan(record: dict[str, Any], source: str | Path) -> ScenePlan:
    """The scene plan a clip's record holds, checked as a new scene's first window is."""
    from reelgen.core.export.timeline import render_again
    from reelgen.core.project.plan import ScenePlan
    from reelgen.core.spec.resolve import check_resolved

    try:
        plan = ScenePlan.model_validate(record["plan"])
        check_resolved(plan.first)
    except ValidationError as exc:
        problem = from_validation_error(exc, prefix="plan.").message
        raise InvalidRequest(
            f"{source} holds a scene this reelgen cannot replay ({problem}); "
            f"{render_again(_scene_id(record), _render_command(Path(source)))}",
            param="path",
        ) from None
    except InvalidRequest as exc:
        raise InvalidRequest(
            f"{source} holds a scene that cannot be made: {exc.message}", param="path"
        ) from None
    return plan


def _scene_id(record: dict[str, Any]) -> str | None:
    """The scene the record is of, if it says one ("ID" is said otherwise)."""
    scene = record.get("scene")
    return scene if isinstance(scene, str) and scene else None


def _render_command(clip: Path) -> str | None:
    """The render of the project ``clip`` sits in (``FOLDER/clips/KEY.mp4``), or None where it sits in
    none: the hint then says FOLDER, as every other one does, for the person to fill in."""
    import shlex

    from reelgen.core.project.folder import PROJECT_FILE

    root = clip.expanduser().absolute().parent.parent
    if clip.parent.name != "clips" or not (root / PROJECT_FILE).is_file():
        return None
    return f"reelgen project render {shlex.quote(str(root))}"


def replay_scene(
    path: str | Path,
    record: dict[str, Any],
    output: Path,
    *,
    allow_changed_inputs: bool = False,
    progress: Progress,
    device: str | None = None,
    inputs: list[str] | None = None,
) -> SceneRender:
    """Render the scene ``record`` describes again into ``output``, its inputs checked by SHA-256 first.

    Found by their recorded paths, or moved with the clip (a project folder moved as a whole).
    """
    from reelgen.core.progress import ProgressEvent
    from reelgen.core.project.render import render_scene
    from reelgen.core.replay_inputs import (
        CHANGED,
        NOT_THE_FILE,
        given_files,
        lora_params,
        moved_file,
        put_back,
    )
    from reelgen.core.weights import sha256_file

    plan = recorded_plan(record, path)
    full = with_windows(record, Path(path))
    hashes = recorded_hashes(full)
    given = given_files(inputs, [param for param, _ in plan.input_files()] + lora_params(plan.first.loras))
    gone, changed, moved = [], [], {}
    for param, file in plan.input_files():
        digest = hashes.get(file)
        found = moved_file(Path(file), digest, Path(path))
        now = Path(given[param]) if param in given else found or Path(file)
        if now != Path(file):
            moved[param] = str(now)
        if found is not None and param not in given:
            said = f"{param}: {file} no longer exists; using {found}, the same file"
            progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=said))
        if not now.is_file():
            gone.append(f"{param}: {now} no longer exists")
        elif digest is None:
            changed.append(f"{param}: {now} cannot be checked: the record holds no SHA-256 of it")
        elif digest != sha256_file(now):
            # As a clip's replay says it: a file named with --input never "changed", it is another file.
            changed.append(f"{param}: {now} {NOT_THE_FILE if now != Path(file) else CHANGED}")
    plan, unchecked = _check_loras(plan, full, Path(path), given, (gone, changed), progress)
    if gone or (changed and not allow_changed_inputs):
        hint = put_back(gone) if gone else "pass --allow-changed-inputs to replay with them as they are now"
        raise InvalidRequest(f"cannot replay {path}: {'; '.join(gone or changed)}; {hint}", param="inputs")
    for problem in changed + unchecked:
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=f"warning: {problem}"))
    plan = plan.with_input_files(moved) if moved else plan
    work = Path(tempfile.mkdtemp(prefix="reelgen-replay-"))
    try:
        return render_scene(plan, work / "windows", output, progress=progress, device=device)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_loras(
    plan: ScenePlan,
    record: dict[str, Any],
    source: Path,
    given: dict[str, str],
    problems: tuple[list[str], list[str]],
    progress: Progress,
) -> tuple[ScenePlan, list[str]]:
    """The plan with its LoRAs taken where ``--input loras[i]=FILE`` (``given``) says, or found where they
    moved with the clip, each checked by the SHA-256 its first window's record holds: gone and changed ones
    are added to ``problems`` (gone, changed); returns those the record holds no hash of. Unchecked, a LoRA
    file edited since made other frames without a word."""
    from reelgen.core.progress import ProgressEvent
    from reelgen.core.replay_inputs import lora_problems, moved_loras

    windows = record.get("windows")
    first = (
        windows[0].get("record")
        if isinstance(windows, list) and windows and isinstance(windows[0], dict)
        else None
    )
    applied = first.get("loras") if isinstance(first, dict) else None
    named = [
        lora.model_copy(update={"path": given[f"loras[{i}]"]}) if f"loras[{i}]" in given else lora
        for i, lora in enumerate(plan.first.loras)
    ]
    loras, said = moved_loras(applied, named, source)
    for line in said:
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=line))
    # Where the plan named each one before any was found moved, as a clip's replay passes its request's:
    # without them loras[1] of one file listed twice was "cannot be checked" once moved, though checked.
    named_at = [lora.path for lora in plan.first.loras]
    lora_gone, lora_changed, unchecked = lora_problems(applied, loras, named_at)
    problems[0].extend(lora_gone)
    problems[1].extend(lora_changed)
    if loras == list(plan.first.loras):
        return plan, unchecked
    return plan.model_copy(update={"first": plan.first.model_copy(update={"loras": tuple(loras)})}), unchecked
