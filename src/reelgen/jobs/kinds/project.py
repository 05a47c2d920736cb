"""The ``project`` kind: a storyboard's stale scenes rendered as child jobs, their clips kept, then an export.

The API (or any caller) makes the payload with ``project_job``, which plans
the project once (no torch, no weights) and fixes which scenes this job
renders. ``advance`` then walks each scene, restart-safe from its arguments:

1. A scene that fits one window is one ``scene`` child (key ``scene-KEY``); a
   longer one is one child per window (``window-KEY-NNN``), each handed the
   windows before it, then a ``scene`` child for the last window and the join.
   A finished window is kept in the project's ``windows/KEY/`` as an in-process
   render keeps it, so a later job (or ``reelgen project render``) resumes there.
2. As a scene's last child completes, its clip and record go to ``clips/KEY``
   and ``state.json`` records the scene at that key (the clip it replaces goes).
3. With every scene done, an ``export`` child joins the clips on a worker; its
   film replaces ``exports/NAME`` only when it completed.

The key of a child is the scene's content key, so the same key is the same
pixels: two scenes that read alike share one render.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.model import Project
from reelgen.core.project.plan import ScenePlan
from reelgen.jobs.kinds.base import WAIT, Child, Complete, Fail, ParentKind, Spawn, Step
from reelgen.jobs.kinds.export import (
    EXPORT,
    ExportPayload,
    copy_in,
    export_payload,
    film_target,
    install_export,
)
from reelgen.jobs.kinds.scene import SCENE, ScenePayload, WindowFiles, window_name
from reelgen.jobs.records import Facts, Job, JobStatus

PROJECT = "project"
EXPORT_KEY = "export"


class ProjectPayload(BaseModel):
    """A project job: which scenes to render (planned when it was made), and whether to export after.

    ``plans`` are the scenes this job renders, in project order; ``current`` is
    every rendered scene's key as the project then read (a clip no scene uses
    any more is removed when its scene's new clip arrives).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: str
    title: str = ""
    scenes: list[str] | None = None
    force: bool = False
    render: bool = True
    export: bool = False
    overrides: dict[str, Any] = Field(default_factory=dict)
    allow_stale: bool = False
    plans: list[ScenePlan] = Field(default_factory=list)
    current: list[str] = Field(default_factory=list)

    def unique_plans(self) -> list[ScenePlan]:
        """One plan per key (scenes that read alike render once), in project order."""
        seen: dict[str, ScenePlan] = {}
        for plan in self.plans:
            seen.setdefault(plan.key, plan)
        return list(seen.values())

    def expected_children(self) -> int:
        """Children a job makes when nothing was rendered before it: one per window, one export."""
        return sum(len(p.windows) for p in self.unique_plans()) + int(self.export)


def scene_key(plan: ScenePlan) -> str:
    return f"scene-{plan.key}"


def window_key(plan: ScenePlan, index: int) -> str:
    return f"window-{plan.key}-{index:03d}"


def project_job(
    folder: ProjectFolder,
    *,
    scenes: Sequence[str] | None = None,
    force: bool = False,
    render: bool = True,
    export: bool = False,
    overrides: dict[str, Any] | None = None,
    allow_stale: bool = False,
) -> ProjectPayload:
    """Plan ``folder`` and say what a job would do; every mistake is an ``InvalidRequest`` naming its field.

    ``render``: the scenes whose clips are missing or stale (``scenes`` by id;
    ``force``: again anyway). ``export``: then join them into a film, with
    ``overrides`` over the file's export settings. An export alone is checked
    here whole (every scene rendered as it reads, unless ``allow_stale``).
    """
    from reelgen.core.project.choose import chosen_scenes
    from reelgen.core.project.export import check_rate
    from reelgen.core.project.status import plan_project, stale_scenes

    project = folder.load()
    planned = plan_project(folder, project)
    plans = [p.render for p in planned if p.render is not None]
    chosen = chosen_scenes(planned, scenes)  # a title card named is said to be one, as in process
    todo = chosen if force else [p for p in stale_scenes(folder, planned) if p in chosen]
    if export and render and todo:
        _check_export_name(folder, project, overrides)  # the rest is checked once the scenes exist
    elif export:
        export_payload(folder, overrides, allow_stale)
        check_rate(folder, overrides, allow_stale)
    return ProjectPayload(
        folder=str(folder.root),
        title=project.title,
        scenes=list(scenes) if scenes else None,
        force=force,
        render=render,
        export=export,
        overrides=dict(overrides or {}),
        allow_stale=allow_stale,
        plans=todo if render else [],
        current=[p.key for p in plans],
    )


def _check_export_name(folder: ProjectFolder, project: Project, overrides: dict[str, Any] | None) -> None:
    """The export settings and the film's name, as ``export_payload`` checks them, before the scenes render.

    Only the settings were checked here: a film named ``film.gif`` (which a server does not make) or
    ``x.webm`` for an mp4 export was taken, every stale scene rendered, and the export refused at the end.
    """
    from reelgen.core.project.export import export_settings

    film_target(folder, project, export_settings(project.export, overrides), overrides)


@dataclass(frozen=True)
class _Scene:
    """Where one scene of a job stands: a child to make, a child running, done, or failed (why)."""

    spawn: Child | None = None
    running: bool = False
    failed: str | None = None


_DONE = _Scene()


class ProjectKind(ParentKind[ProjectPayload]):
    """Renders a project's scenes as children, keeps their clips in the folder, then exports."""

    name = PROJECT
    payload_model = ProjectPayload

    def facts(self, payload: ProjectPayload) -> Facts:
        models = sorted({p.first.model for p in payload.plans})
        action = "render" if payload.plans else "export" if payload.export else "check"
        return Facts(model=", ".join(models)[:200], prompt=f"{action} project {payload.title!r}")

    def advance(self, parent: Job, payload: ProjectPayload, children: Sequence[Job]) -> Step:
        folder = ProjectFolder.find(payload.folder)
        by_key = {str(c.child_key): c for c in children}
        states = [self._scene(folder, payload, plan, by_key) for plan in payload.unique_plans()]
        spawn = tuple(s.spawn for s in states if s.spawn is not None)
        if spawn:
            return Spawn(spawn)
        if any(s.running for s in states):
            return WAIT
        failed = [s.failed for s in states if s.failed]
        if failed:
            return Fail(f"{len(failed)} scene(s) did not render: {'; '.join(failed)}")
        result: dict[str, Any] = {
            "rendered": [p.scene_id for p in payload.plans],
            "scenes": {p.scene_id: p.key for p in payload.plans},
            "children": {str(c.child_key): c.id for c in children},
        }
        if not payload.export:
            return Complete(result)
        return self._export(folder, payload, by_key.get(EXPORT_KEY), result)

    # ---- one scene ---------------------------------------------------------------------------

    def _scene(
        self, folder: ProjectFolder, payload: ProjectPayload, plan: ScenePlan, by_key: dict[str, Job]
    ) -> _Scene:
        last = by_key.get(scene_key(plan))
        if last is not None:
            if not last.terminal:
                return _Scene(running=True)
            if last.status is not JobStatus.COMPLETED:
                return _Scene(failed=_why(plan.label, last))
            install_clip(folder, payload, plan, last)
            return _DONE
        if folder.clip(plan.key).is_file() and not payload.force:
            return _DONE  # rendered by another job meanwhile
        work = folder.work(plan.key)
        if payload.force and not any(k.startswith(f"window-{plan.key}-") for k in by_key):
            shutil.rmtree(work, ignore_errors=True)  # forced: windows of an earlier render do not count
        done: list[WindowFiles] = []
        for index in range(len(plan.windows) - 1):
            files = WindowFiles(
                video=str(work / f"{window_name(index)}.mp4"), record=str(work / f"{window_name(index)}.json")
            )
            if not (Path(files.video).is_file() and Path(files.record).is_file()):
                child = by_key.get(window_key(plan, index))
                if child is None:
                    return _Scene(
                        spawn=Child(window_key(plan, index), SCENE, ScenePayload.of(plan, index, done))
                    )
                if not child.terminal:
                    return _Scene(running=True)
                if child.status is not JobStatus.COMPLETED:
                    what = f"{plan.label} window {index + 1}/{len(plan.windows)}"
                    return _Scene(failed=_why(what, child))
                install_window(child, Path(files.video), Path(files.record))
            done.append(files)
        return _Scene(spawn=Child(scene_key(plan), SCENE, ScenePayload.of(plan, None, done)))

    # ---- the export ----------------------------------------------------------------------------

    def _export(
        self, folder: ProjectFolder, payload: ProjectPayload, child: Job | None, result: dict[str, Any]
    ) -> Step:
        if child is None:
            return Spawn(
                (Child(EXPORT_KEY, EXPORT, export_payload(folder, payload.overrides, payload.allow_stale)),)
            )
        if not child.terminal:
            return WAIT
        if child.status is not JobStatus.COMPLETED:
            return Fail(_why("the export", child) + "; the previous export is unchanged", "export_failed")
        name = ExportPayload.model_validate(child.payload).name
        path = install_export(folder, child, name)
        checked = child.result or {}
        result["export"] = {
            "name": name,
            "path": str(path),
            "job": child.id,
            **{k: checked.get(k) for k in ("frames", "width", "height", "fps", "audio")},
        }
        return Complete(result)


def install_window(child: Job, video: Path, record: Path) -> None:
    """A finished window child's files into the scene's ``windows/KEY/``, where renders resume from."""
    files = (child.result or {}).get("files", {})
    copy_in({Path(files["metadata"]): record, Path(files["video"]): video})


def install_clip(folder: ProjectFolder, payload: ProjectPayload, plan: ScenePlan, child: Job) -> None:
    """A scene's finished clip into ``clips/KEY`` and ``state.json``; nothing to do when it is there already."""
    from reelgen.core.project.render import forget_old_clip

    same = [p for p in payload.plans if p.key == plan.key]
    rendered = folder.rendered_keys()
    if folder.clip(plan.key).is_file() and all(rendered.get(p.scene_id) == plan.key for p in same):
        return
    files = (child.result or {}).get("files", {})
    clip = folder.clip(plan.key)
    copy_in({Path(files["metadata"]): clip.with_suffix(".json"), Path(files["video"]): clip})
    current = set(payload.current)
    for scene in same:
        forget_old_clip(folder, scene, current)
        folder.mark_rendered(scene.scene_id, scene.key)
    work = folder.work(plan.key)
    shutil.rmtree(work, ignore_errors=True)
    if work.parent.is_dir() and not any(work.parent.iterdir()):
        work.parent.rmdir()


def _why(what: str, child: Job) -> str:
    error = child.error or {"code": child.status.value, "message": ""}
    return f"{what} ({child.id}) {child.status.value}: {error['code']}: {error['message']}"
