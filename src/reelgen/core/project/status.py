"""The whole project planned and checked, and where each scene stands: rendered, stale or missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.project.checks import check_files, check_references, check_scenes
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.lines import note_line
from reelgen.core.project.model import Project
from reelgen.core.project.plan import PlannedScene, ScenePlan, plan_scene


class SceneStatus(StrEnum):
    RENDERED = "rendered"  # the clip for the scene as it now reads is in clips/
    STALE = "stale"  # rendered before, but something that changes its pixels changed since
    MISSING = "missing"  # never rendered, or its clip was deleted
    CARD = "card"  # a title card: drawn at export, nothing to render


@dataclass(frozen=True)
class SceneState:
    """Where one scene stands, for `reelgen project status` and the API."""

    scene_id: str
    index: int
    status: SceneStatus
    model: str | None
    seconds: float
    windows: int
    windows_done: int
    clip: Path | None
    key: str | None


def plan_project(folder: ProjectFolder, project: Project | None = None) -> list[PlannedScene]:
    """Check the project and resolve every scene (no weights read, no torch): the plan renders follow.

    A job handler calls this once, then renders ``stale_scenes`` (each a
    ``ScenePlan``, keyed for idempotency) and exports when they are done.
    """
    project = project or folder.load()
    try:
        check_scenes(project)
        check_files(folder, project)
        _check_default_model(project)
        planned = []
        for i, scene in enumerate(project.scenes):
            plan = None if scene.title_card is not None else plan_scene(folder, project, scene, i)
            planned.append(PlannedScene(scene, i, plan))
        check_references(folder, project)
    except ReelgenError as exc:  # a mistake in the file names its line there
        raise note_line(exc, folder.file) from None
    return planned


def _check_default_model(project: Project) -> None:
    """A misspelt ``defaults.model`` is named there, not as the first scene that uses it (which says no model)."""
    from reelgen.core.spec import registry

    if not any(s.model is None and s.title_card is None for s in project.scenes):
        return  # every scene names its own: the default is never used
    try:
        registry.resolve(project.defaults.model)
    except ReelgenError as exc:
        raise InvalidRequest(f"defaults.model: {exc.message}", param="defaults.model") from None


def scene_state(folder: ProjectFolder, planned: PlannedScene, rendered: dict[str, str]) -> SceneState:
    plan = planned.render
    if plan is None:
        return SceneState(
            planned.scene_id, planned.index, SceneStatus.CARD, None, planned.scene.duration, 0, 0, None, None
        )
    clip = folder.clip(plan.key)
    if clip.is_file():
        status = SceneStatus.RENDERED
    elif rendered.get(planned.scene_id, plan.key) != plan.key:
        status = SceneStatus.STALE
    else:  # never rendered, or rendered as it reads and its clip deleted since: nothing changed, it is gone
        status = SceneStatus.MISSING
    work = folder.work(plan.key)
    # Done as a render resumes it: with its record (a window without one is made again).
    done = (
        sum(1 for w in work.glob("window-*[0-9].mp4") if w.with_suffix(".json").is_file())
        if work.is_dir() and status is not SceneStatus.RENDERED
        else 0
    )
    return SceneState(
        planned.scene_id,
        planned.index,
        status,
        plan.first.model,
        planned.scene.duration,
        len(plan.windows),
        len(plan.windows) if status is SceneStatus.RENDERED else done,
        clip if status is SceneStatus.RENDERED else None,
        plan.key,
    )


def status(folder: ProjectFolder, planned: list[PlannedScene] | None = None) -> list[SceneState]:
    """Each scene's state, in project order."""
    planned = planned if planned is not None else plan_project(folder)
    rendered = folder.rendered_keys()
    return [scene_state(folder, p, rendered) for p in planned]


def stale_scenes(folder: ProjectFolder, planned: list[PlannedScene]) -> list[ScenePlan]:
    """The scenes whose clip for their current key is not on disk, in project order."""
    return [p.render for p in planned if p.render is not None and not folder.clip(p.render.key).is_file()]


#: The most scene ids an error message names: a project of a thousand scenes said all of them.
LISTED = 10


def listed(ids: Sequence[str]) -> str:
    """``ids`` joined for a message, the first ten only (``a, b, ... and 990 more``)."""
    shown = ", ".join(ids[:LISTED])
    return f"{shown} and {len(ids) - LISTED} more" if len(ids) > LISTED else shown


def edited_since(folder: ProjectFolder, planned: list[PlannedScene]) -> list[PlannedScene]:
    """The scenes of project.yaml as it reads now whose pixels differ from ``planned`` (new scenes too)."""
    try:
        now = plan_project(folder)
    except InvalidRequest as exc:  # the edit is half done, or wrong: say so now, not at the next command
        raise InvalidRequest(
            f"{folder.file.name} changed while rendering and no longer checks out: {exc.message}",
            param=exc.param,
        ) from None
    before = {p.scene_id: p.render.key if p.render else None for p in planned}
    return [p for p in now if p.render is not None and before.get(p.scene_id) != p.render.key]
