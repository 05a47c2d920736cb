"""The ``scene`` kind: one storyboard scene's clip, or one window of a long scene, made on a worker.

A project job (``reelgen.jobs.kinds.project``) renders a scene that fits one
model window as one ``scene`` child. A longer scene becomes one child per
window and a last child that renders the final window and joins them: each
window child is handed the finished windows before it (as input files, by
value), so a lost worker or a restarted service costs one window at most and
any worker on any node continues where the last finished window left off.
Frames come out exactly as ``reelgen project render`` makes them in process:
the same ``render_window``/``render_scene`` read the same windows back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reelgen.core.errors import ReelgenError
from reelgen.core.project.plan import ScenePlan
from reelgen.jobs.artifacts import verify_video
from reelgen.jobs.events import RunResult
from reelgen.jobs.kinds.base import WorkerContext, WorkerKind
from reelgen.jobs.records import Facts, Job

SCENE = "scene"


class WindowFiles(BaseModel):
    """A finished window of a long scene: its video and its record (``window-NNN.mp4`` and ``.json``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    video: str
    record: str


class ScenePayload(BaseModel):
    """The scene's plan; ``window``: make only that window (else the whole clip); ``done``: windows before it.

    ``model`` repeats ``plan.first.model`` at the top level, where a worker
    looks for the model a job uses (so ``free`` never unloads it mid-run).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    plan: ScenePlan
    window: int | None = Field(default=None, ge=0)
    done: list[WindowFiles] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ScenePayload:
        count = len(self.plan.windows)
        if self.model != self.plan.first.model:
            raise ValueError(f"model {self.model!r} is not the plan's model {self.plan.first.model!r}")
        if self.window is not None and self.window >= count - 1:
            raise ValueError(f"window {self.window}: the last of {count} windows is made with the clip")
        wanted = count - 1 if self.window is None else self.window
        if len(self.done) > wanted:
            raise ValueError(f"{len(self.done)} finished windows given; at most {wanted} come before")
        return self

    @classmethod
    def of(
        cls, plan: ScenePlan, window: int | None = None, done: list[WindowFiles] | None = None
    ) -> ScenePayload:
        return cls(model=plan.first.model, plan=plan, window=window, done=done or [])

    @property
    def frames(self) -> int:
        """Frames the window (or, before any enhancement, the clip) holds."""
        return self.plan.frames if self.window is None else self.plan.windows[self.window].frames


def window_name(index: int) -> str:
    """The file stem ``render_scene`` keeps window ``index`` under: ``window-003``."""
    return f"window-{index:03d}"


class SceneKind(WorkerKind[ScenePayload]):
    """Renders a ``ScenePlan`` (or one window of it) with the worker's model cache."""

    name = SCENE
    payload_model = ScenePayload

    def facts(self, payload: ScenePayload) -> Facts:
        first = payload.plan.first
        return Facts(
            model=first.model,
            prompt=first.prompt,
            seed=first.seed,
            width=first.width,
            height=first.height,
            num_frames=payload.frames,
            fps=first.fps,
        )

    def input_files(self, payload: ScenePayload) -> list[tuple[str, str]]:
        files = payload.plan.input_files()
        for i, window in enumerate(payload.done):
            files += [(f"done[{i}].video", window.video), (f"done[{i}].record", window.record)]
        return files

    def with_input_files(self, payload: ScenePayload, paths: dict[str, str]) -> ScenePayload:
        plan = payload.plan.with_input_files({k: v for k, v in paths.items() if not k.startswith("done[")})
        done = [
            WindowFiles(
                video=paths.get(f"done[{i}].video", w.video), record=paths.get(f"done[{i}].record", w.record)
            )
            for i, w in enumerate(payload.done)
        ]
        return payload.model_copy(update={"plan": plan, "done": done})

    def model(self, payload: ScenePayload) -> str | None:
        return payload.model

    def least_gib(self, payload: ScenePayload, total_gib: float) -> float | None:
        from reelgen.core.spec import registry

        try:
            spec, preset = registry.resolve(payload.model)
        except ReelgenError:
            return None  # a model only the workers know; they check it themselves
        return spec.least_gib(preset, payload.plan.first, total_gib)

    def run(self, payload: ScenePayload, context: WorkerContext) -> RunResult:
        from reelgen.core.project.render import render_scene, render_window
        from reelgen.jobs.kinds.render import make_room

        plan = payload.plan
        work = context.folder / "windows"
        _place_windows(payload.done, work)
        make_room(context.cache, plan.first)
        if payload.window is not None:
            path = render_window(plan, work, payload.window, progress=context.progress, cache=context.cache)
            files = {"video": path.read_bytes(), "metadata": path.with_suffix(".json").read_bytes()}
            return RunResult(files=files, frames=payload.frames)
        clip = context.folder / "clip.mp4"
        render_scene(plan, work, clip, progress=context.progress, cache=context.cache)
        return RunResult(
            files={"video": clip.read_bytes(), "metadata": clip.with_suffix(".json").read_bytes()},
            frames=_clip_frames(clip),
        )

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """Decode the window or clip as the export will: every frame there, none of them black."""
        return verify_video(files["video"], result.frames)


def _place_windows(done: list[WindowFiles], work: Path) -> None:
    """Put the shipped windows where ``render_window``/``render_scene`` look for finished ones."""
    work.mkdir(parents=True, exist_ok=True)
    for i, window in enumerate(done):
        for source, suffix in ((window.video, ".mp4"), (window.record, ".json")):
            target = work / f"{window_name(i)}{suffix}"
            try:
                os.replace(source, target)  # the worker's own copy: moving it costs nothing
            except OSError:
                shutil.copyfile(source, target)


def _clip_frames(clip: Path) -> int:
    import json

    return int(json.loads(clip.with_suffix(".json").read_text())["output"]["frames"])
