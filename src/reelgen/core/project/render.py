"""Rendering a project: each stale scene window by window (resumable), joined, enhanced and kept as a clip."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from reelgen import __version__
from reelgen.core.atomic import staged
from reelgen.core.cache import ModelCache
from reelgen.core.encode import dump_json, encode_into, write_video
from reelgen.core.errors import Cancelled, InvalidRequest, ReelgenError
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project.choose import chosen_scenes
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.lock import scenes_held
from reelgen.core.project.plan import ScenePlan, content_key
from reelgen.core.project.said_once import plan_said_once
from reelgen.core.project.status import edited_since, plan_project, stale_scenes
from reelgen.core.project.windows import join, match_colour
from reelgen.core.record import RECORD_FORMAT
from reelgen.core.spec.request import Task
from reelgen.core.types import Video


@dataclass(frozen=True)
class SceneRender:
    """One scene's clip, and which of its windows this run rendered and which it found done."""

    scene_id: str
    clip: Path
    rendered: list[int]
    resumed: list[int]


@dataclass
class ProjectRender:
    """What a project render did: scenes rendered now, and scenes whose clips were already current."""

    rendered: list[SceneRender] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    #: Scenes that read differently now than when the render began: project.yaml or an input file was
    #: edited meanwhile, so they are stale again (an input replaced mid-scene leaves that scene unrendered).
    edited: list[str] = field(default_factory=list)
    #: Told of each scene as it is rendered: said only at the end, a stopped render named none it finished.
    on_rendered: Callable[[SceneRender], None] | None = field(default=None, repr=False)

    def add(self, done: SceneRender) -> None:
        self.rendered.append(done)
        if self.on_rendered is not None:
            self.on_rendered(done)


def _window_path(work: Path, index: int) -> Path:
    return work / f"window-{index:03d}.mp4"


def _condition(plan: ScenePlan, index: int, previous: Video, work: Path) -> Path:
    """The input window ``index`` continues from: the last frame (first-frame models) or the clip (extend)."""
    if plan.continuation is Task.I2V:
        path = work / f"window-{index:03d}-start.png"
        Image.fromarray(previous.frames[-1]).save(path)
        return path
    return write_video(previous, work / f"window-{index:03d}-source.mp4")


def _window(
    plan: ScenePlan,
    index: int,
    work: Path,
    previous: Video | None,
    progress: Progress,
    render_kwargs: dict[str, Any],
) -> bool:
    """Make window ``index`` unless a finished one is on disk; True if it was rendered now."""
    from reelgen.core.render import render

    path = _window_path(work, index)
    if path.is_file() and path.with_suffix(".json").is_file():
        return False
    request = (
        plan.first
        if previous is None
        else plan.window_request(index, _condition(plan, index, previous, work))
    )
    message = f"{plan.label}: window {index + 1}/{len(plan.windows)}"
    progress.emit(ProgressEvent("window", index, len(plan.windows), 0.0, message=message))
    render(request, path, progress=progress, **render_kwargs)
    return True


def _windows(
    plan: ScenePlan, work: Path, upto: int, progress: Progress, render_kwargs: dict[str, Any]
) -> tuple[list[Video], list[dict[str, Any]], list[int], list[int]]:
    """Windows 0..``upto`` in order, each made now or found finished in ``work``, read back and matched.

    Returns the (colour-matched) videos, each window's entry for the clip's record, and
    which windows were rendered now and which were resumed.
    """
    from reelgen.core.media import read_video

    videos: list[Video] = []
    windows: list[dict[str, Any]] = []
    rendered: list[int] = []
    resumed: list[int] = []
    for index, spec in enumerate(plan.windows[: upto + 1]):
        made = _window(plan, index, work, videos[-1] if videos else None, progress, render_kwargs)
        (rendered if made else resumed).append(index)
        # Read back from disk, so a resumed run continues from exactly the frames an unbroken one would.
        video = read_video(_window_path(work, index))
        colour = None
        if videos and plan.colour_match:
            overlap = spec.keep_from or plan.overlap
            frames, colour = match_colour(video.frames, videos[-1].frames, overlap)
            video = Video(frames, video.fps, video.audio)
        videos.append(video)
        windows.append({"index": index, "rendered_now": made, "colour_match": colour})
        progress.emit(ProgressEvent("window", index + 1, len(plan.windows), 0.0))
    return videos, windows, rendered, resumed


def render_window(
    plan: ScenePlan,
    work: Path,
    index: int,
    *,
    progress: Progress | None = None,
    cache: ModelCache | None = None,
    device: str | None = None,
    vram_budget_gib: float | None = None,
) -> Path:
    """Make window ``index`` of ``plan`` in ``work`` (and any window before it not there yet); returns its file.

    What ``render_scene`` does for one window at a time: a job service renders a long
    scene as one job per window, each handed the finished windows before it, so a lost
    worker costs one window at most and any worker can continue. ``render_scene`` on the
    same ``work`` then finds every window and makes the same clip as an unbroken run.
    """
    if not 0 <= index < len(plan.windows):
        raise InvalidRequest(
            f"{plan.label} has {len(plan.windows)} windows; there is no window {index}", param="window"
        )
    progress = plan_said_once(progress or Progress())
    render_kwargs = {"cache": cache or ModelCache(), "device": device, "vram_budget_gib": vram_budget_gib}
    work.mkdir(parents=True, exist_ok=True)
    _windows(plan, work, index, progress, render_kwargs)
    return _window_path(work, index)


def render_scene(
    plan: ScenePlan,
    work: Path,
    output: Path,
    *,
    progress: Progress | None = None,
    cache: ModelCache | None = None,
    device: str | None = None,
    vram_budget_gib: float | None = None,
) -> SceneRender:
    """Render ``plan``'s windows into ``work`` (keeping finished ones), then write the scene's clip to ``output``.

    Each window after the first continues the one before, as read back from
    disk and colour-matched, so a run killed between windows resumes at the
    next one and makes the same clip. ``work`` is removed once the clip is in place.
    """
    from reelgen.core.devices import device_info
    from reelgen.core.enhance import run_chain

    progress = progress or Progress()
    render_kwargs = {"cache": cache or ModelCache(), "device": device, "vram_budget_gib": vram_budget_gib}
    work.mkdir(parents=True, exist_ok=True)

    # 1-2. Windows in order; each starts from the (matched) one before it.
    videos, windows, rendered, resumed = _windows(plan, work, len(plan.windows) - 1, progress, render_kwargs)

    # 3. Joined and trimmed to the scene's length, then the enhancement chain.
    clip = join(videos, plan.windows, plan.frames)
    clip, stages = run_chain(clip, plan.enhance, progress, device_info(device).device)

    # 4. The clip and its record, then the windows are no longer needed.
    record = _scene_record(plan, clip, windows, stages, work)
    # A Ctrl-C after the last frame was made was answered "cancelling", then the clip was written and
    # the render ended as done (exit 0): checked here and while encoding, so the windows stay to resume.
    progress.cancel.check()
    # The clip and its record replace an earlier pair together or not at all (a full disk, Ctrl-C).
    with staged(output, output.with_suffix(".json")) as (clip_file, record_file):
        shown = {k: v for k, v in record.items() if k != "windows"}
        size, check = (clip.width, clip.height), progress.cancel.check
        encode_into(clip_file, clip.frames, size, clip.fps, shown, clip.audio, check=check)
        check()
        dump_json(record_file, record)
    shutil.rmtree(work, ignore_errors=True)
    if work.parent.is_dir() and not any(work.parent.iterdir()):
        work.parent.rmdir()  # no scene left half-rendered
    return SceneRender(plan.scene_id, output, rendered, resumed)


def _scene_record(
    plan: ScenePlan, clip: Video, windows: list[dict[str, Any]], stages: list[dict[str, Any]], work: Path
) -> dict[str, Any]:
    """What the clip's record says: the plan, each window's own record and colour match, the stages."""
    return {
        "reelgen": __version__,
        "record_format": RECORD_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "scene": plan.scene_id,
        "key": plan.key,
        "plan": plan.model_dump(mode="json"),
        "windows": [{**w, "record": _sidecar(_window_path(work, w["index"]))} for w in windows],
        "enhance": stages,
        "output": {
            "frames": clip.num_frames,
            "width": clip.width,
            "height": clip.height,
            "fps": str(clip.fps),
        },
    }


def _sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.with_suffix(".json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def render_project(
    folder: ProjectFolder,
    *,
    scenes: Sequence[str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
    cache: ModelCache | None = None,
    device: str | None = None,
    vram_budget_gib: float | None = None,
    on_rendered: Callable[[SceneRender], None] | None = None,
) -> ProjectRender:
    """Render the scenes whose clips are missing or stale (or ``scenes`` by id; ``force``: again anyway);
    ``on_rendered`` is told of each scene as it is rendered."""
    progress = plan_said_once(progress or Progress())
    began = folder.file.read_bytes()
    planned = plan_project(folder)
    plans = chosen_scenes(planned, scenes)
    todo = plans if force else [p for p in stale_scenes(folder, planned) if p in plans]
    # Before any scene renders: a folder that takes no file would otherwise fail after minutes of work.
    if todo:
        folder.check_kept(folder.clips, "its scenes' clips")
        folder.check_kept(folder.root / "windows", "the windows of long scenes")
    for plan in todo:
        folder.check_writes(folder.work(plan.key) / "window-000.mp4", "the windows of its scenes")
        folder.check_writes(folder.clip(plan.key), "its scenes' clips")
    if todo:
        folder.check_writes(folder.state_file, "state.json, the record of its rendered scenes")
    check_weights(todo)
    result = ProjectRender(current=[p.scene_id for p in plans if p not in todo], on_rendered=on_rendered)
    # Every scene's key, not only the chosen ones': `render --scene a` deleted a clip scene b still used.
    keys = {p.render.key for p in planned if p.render is not None}
    made: dict[str, Path] = {}  # two scenes that read alike are the same pixels: rendered once
    with scenes_held(folder.root, todo):
        owned = cache is None
        cache = cache or ModelCache()
        try:
            for i, plan in enumerate(todo):
                # A clip already there was rendered meanwhile by another render of this content that
                # ended between the stale check and the lock: these pixels, current, not rendered twice.
                meanwhile = plan.key not in made and not force and folder.clip(plan.key).is_file()
                if (plan.key in made and made[plan.key].is_file()) or meanwhile:
                    forget_old_clip(folder, plan, keys)
                    folder.mark_rendered(plan.scene_id, plan.key)
                    if meanwhile:
                        result.current.append(plan.scene_id)
                    else:
                        result.add(SceneRender(plan.scene_id, made[plan.key], [], []))
                    continue
                progress.emit(ProgressEvent("project", i, len(todo), 0.0, message=f"{plan.label}: rendering"))
                if force:
                    shutil.rmtree(folder.work(plan.key), ignore_errors=True)
                try:
                    done = render_scene(
                        plan,
                        folder.work(plan.key),
                        folder.clip(plan.key),
                        progress=progress,
                        cache=cache,
                        device=device,
                        vram_budget_gib=vram_budget_gib,
                    )
                except ReelgenError as exc:
                    raise _failed_in(exc, plan, result) from None
                progress.emit(ProgressEvent("project", i + 1, len(todo), 0.0))
                if (
                    content_key(plan) != plan.key
                ):  # an input was replaced as it rendered: the clip may show either
                    for path in (done.clip, done.clip.with_suffix(".json")):
                        path.unlink(missing_ok=True)
                    result.edited.append(plan.scene_id)
                    continue
                forget_old_clip(folder, plan, keys)
                folder.mark_rendered(plan.scene_id, plan.key)
                made[plan.key] = done.clip
                result.add(done)
        finally:
            if owned:
                cache.free()
    if folder.file.read_bytes() != began:
        try:
            now = edited_since(folder, planned)
        except InvalidRequest as exc:  # said as an error, the scenes this render made went unsaid
            kept = [r.scene_id for r in result.rendered]
            exc.message += f" (rendered as the file read before, and kept: {', '.join(kept)})" if kept else ""
            exc.args = (exc.message,)
            raise
        result.edited += [p.scene_id for p in now if p.scene_id not in result.edited]
    return result


def check_weights(todo: Sequence[ScenePlan]) -> None:
    """Every model the render needs has its weights here, before the first scene renders.

    The whole project is checked before anything renders: a later scene on a model never pulled
    would otherwise fail after the scenes before it had taken their minutes (or hours) of work.
    """
    from reelgen.core import weights
    from reelgen.core.spec import registry

    seen: set[tuple[str, str | None]] = set()
    for plan in todo:
        if (plan.first.model, plan.first.weights) in seen:
            continue
        seen.add((plan.first.model, plan.first.weights))
        spec, preset = registry.resolve(plan.first.model)
        if preset.tiny:  # built here on first use, never missing
            continue
        try:
            weights.locate(spec, preset, plan.first.weights)
        except ReelgenError as exc:
            exc.message = f"{plan.label}: {exc.message} (nothing was rendered)"
            exc.args = (exc.message,)
            raise exc from None


def _failed_in(exc: ReelgenError, plan: ScenePlan, result: ProjectRender) -> ReelgenError:
    """``exc`` (same kind and code) naming the scene it stopped and what this render had finished.

    A model's own message ("out of memory ...") says nothing of which scene of the film hit it, and
    the finished scenes are printed only when the whole render succeeds.
    """
    if isinstance(exc, Cancelled) or exc.message.startswith(plan.label):
        return exc
    kept = [r.scene_id for r in result.rendered]
    done = f" (rendered before it and kept: {', '.join(kept)})" if kept else ""
    exc.message = f"{plan.label}: {exc.message}{done}"
    exc.args = (exc.message,)
    return exc


def forget_old_clip(folder: ProjectFolder, plan: ScenePlan, current: set[str]) -> None:
    """Delete the clip this scene had before (its pixels are replaced) unless a scene in ``current`` uses it.

    Call it before ``folder.mark_rendered(plan.scene_id, plan.key)``: it reads the key recorded so far.
    """
    old = folder.rendered_keys().get(plan.scene_id)
    if old and old != plan.key and old not in current:
        for path in (folder.clip(old), folder.clip(old).with_suffix(".json")):
            path.unlink(missing_ok=True)
