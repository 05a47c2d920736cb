"""The ``export`` kind: a project's rendered clips joined into one film on a worker, never rendering.

Exporting decodes every clip and encodes the film: CPU time the API process
should not spend, so it runs on a worker like a render. The worker gets the
project by value (its file's text and every file it names, clips included, at
their places in the folder), rebuilds the folder in its scratch space and
runs ``export_project`` there; the film comes back as bytes and the project
job puts it in the project's ``exports/`` (``install_export``), so a failed
export leaves the previous one as it was.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import GenerationFailed, InvalidRequest, ReelgenError
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project.folder import PROJECT_FILE, ProjectFolder
from reelgen.core.project.model import Project
from reelgen.jobs.events import RunResult
from reelgen.jobs.kinds.base import WorkerContext, WorkerKind
from reelgen.jobs.records import Facts, Job

if TYPE_CHECKING:
    from reelgen.core.export.settings import ExportSettings

EXPORT = "export"

#: Progress events sent per export (one per frame would be one database row per frame).
PROGRESS_EVENTS = 100


class ExportPayload(BaseModel):
    """A project to export: its file's text, the files it reads by place in the folder, and how to export.

    ``files`` maps a path inside the project folder (``clips/KEY.mp4``,
    ``assets/music.mp3``, ``state.json``) to where the file is now.
    ``name`` is the film's file name in ``exports/``; ``source`` the project file the film
    is recorded as made from (the worker exports a copy in its scratch space).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    project: str
    source: str | None = None
    files: dict[str, str] = Field(default_factory=dict)
    name: str = Field(min_length=1, max_length=255)
    overrides: dict[str, Any] = Field(default_factory=dict)
    allow_stale: bool = False


def named_files(project: Project) -> list[tuple[str, str]]:
    """Every file the project file names, as (field, path as written): inputs, music, LUT, images, fonts."""
    out: list[tuple[str, str]] = [
        (f"reference_images[{i}]", p) for i, p in enumerate(project.reference_images)
    ]
    for i, scene in enumerate(project.scenes):
        at = f"scenes[{i}]"
        for name in ("start_image", "end_image"):
            if getattr(scene, name):
                out.append((f"{at}.{name}", getattr(scene, name)))
        out += [(f"{at}.keyframes[{j}].image", k.image) for j, k in enumerate(scene.keyframes)]
        out += [(f"{at}.reference_images[{j}]", p) for j, p in enumerate(scene.reference_images or [])]
        out += [(f"{at}.loras[{j}].path", lora.path) for j, lora in enumerate(scene.loras)]
        if scene.title_card is not None and scene.title_card.font:
            out.append((f"{at}.title_card.font", scene.title_card.font))
    if project.soundtrack is not None:
        out.append(("soundtrack.file", project.soundtrack.file))
    settings = project.export
    if settings.lut:
        out.append(("export.lut", settings.lut))
    if settings.watermark is not None:
        out.append(("export.watermark.image", settings.watermark.image))
    out += [(f"export.texts[{i}].font", t.font) for i, t in enumerate(settings.texts) if t.font]
    return out


def export_payload(
    folder: ProjectFolder, overrides: dict[str, Any] | None = None, allow_stale: bool = False
) -> ExportPayload:
    """What a worker needs to export ``folder`` as it is now; refuses (``InvalidRequest``) what would fail.

    Checks everything the export checks before decoding a frame: the project,
    the settings with ``overrides``, and that every scene is rendered as it
    reads (or, with ``allow_stale``, was rendered once).
    """
    from reelgen.core.project.checks import absolute_export
    from reelgen.core.project.export import export_settings, segments
    from reelgen.core.project.status import plan_project

    project = folder.load()
    settings = export_settings(project.export, overrides)
    project = project.model_copy(update={"export": settings})
    planned = plan_project(folder, project)
    target = film_target(folder, project, absolute_export(folder, settings), overrides)
    wanted = {_inside(folder, path) for _, path in named_files(project)}
    for segment in segments(folder, planned, allow_stale):
        if segment.clip is not None:
            wanted |= {
                _inside(folder, str(segment.clip)),
                _inside(folder, str(segment.clip.with_suffix(".json"))),
            }
    if folder.state_file.is_file():
        wanted.add("state.json")
    files = {rel: str(folder.root / rel) for rel in sorted(r for r in wanted if r is not None)}
    return ExportPayload(
        title=project.title,
        project=folder.file.read_text(),
        source=str(folder.file),
        files=files,
        name=target.name,
        overrides=dict(overrides or {}),
        allow_stale=allow_stale,
    )


def film_target(
    folder: ProjectFolder, project: Project, settings: ExportSettings, overrides: dict[str, Any] | None
) -> Path:
    """Where a server export of ``folder`` with ``settings`` puts its film, in ``exports/``; refuses
    (``InvalidRequest``) a name with a folder, or one a server's film cannot have.

    The export and a render asked to export after it both check the name here, so both say it alike.
    """
    from reelgen.core.export.write import check_output
    from reelgen.core.project.export import export_target, setting_names

    names = setting_names(overrides)
    target = export_target(folder, project, settings)
    if target.parent != folder.exports:
        raise InvalidRequest(
            f"{names('output')}: {settings.output!r} must be a file name ending in .{settings.container.value}, "
            "with no folder",
            param=names("output"),
        )
    # The suffix is checked as a local export checks it, so the message names the container setting
    # and the extensions a film may have, and .WEBM is taken as .webm is.
    check_output(target, settings, names, on_server=True)
    return target


def _inside(folder: ProjectFolder, path: str) -> str | None:
    """``path`` relative to the project folder, or None for a file outside it (it is read where it is)."""
    full = Path(folder.path(path))
    try:
        return full.relative_to(folder.root).as_posix()
    except ValueError:
        return None


class ExportKind(WorkerKind[ExportPayload]):
    """Runs ``export_project`` on a copy of the project folder made in the worker's scratch space."""

    name = EXPORT
    payload_model = ExportPayload

    def facts(self, payload: ExportPayload) -> Facts:
        return Facts(prompt=f"export {payload.name} of {payload.title!r}")

    def input_files(self, payload: ExportPayload) -> list[tuple[str, str]]:
        return sorted(payload.files.items())

    def with_input_files(self, payload: ExportPayload, paths: dict[str, str]) -> ExportPayload:
        return payload.model_copy(
            update={"files": {rel: paths.get(rel, p) for rel, p in payload.files.items()}}
        )

    def run(self, payload: ExportPayload, context: WorkerContext) -> RunResult:
        from reelgen.core.project.export import export_project

        folder = _rebuild(payload, context.folder / "project")
        target = context.folder / payload.name
        try:
            result = export_project(
                folder,
                target,
                overrides=payload.overrides,
                allow_stale=payload.allow_stale,
                progress=_thinned(context.progress),
                recorded_as=payload.source,
            )
        except ReelgenError as exc:
            # A file is named as the project names it (assets/grade.cube), not by the worker's
            # copy of the folder, which means nothing to the person and is gone once the job ends.
            exc.message = exc.message.replace(f"{folder.root}{os.sep}", "")
            raise
        return RunResult(
            files={"video": target.read_bytes(), "metadata": result.sidecar.read_bytes()},
            frames=result.frames,
        )

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """The film opens and its first picture decodes (fades to black are allowed: no black check)."""
        import av

        from reelgen.core.picture_stream import picture_stream

        try:
            with av.open(str(files["video"])) as container:
                stream = picture_stream(container)  # the film, not cover art listed before it
                if stream is None:
                    raise IndexError("no moving picture, only cover art")
                next(container.decode(stream))
                info = {
                    "frames": result.frames,
                    "width": stream.codec_context.width,
                    "height": stream.codec_context.height,
                    "fps": float(stream.average_rate) if stream.average_rate else None,
                    "audio": bool(container.streams.audio),
                }
        except (av.error.FFmpegError, IndexError, StopIteration) as exc:
            raise GenerationFailed(f"the exported film could not be decoded ({exc})") from None
        return info


def _rebuild(payload: ExportPayload, root: Path) -> ProjectFolder:
    """The project folder again, in the worker: its file, and each shipped file at its place."""
    root.mkdir(parents=True, exist_ok=True)
    (root / PROJECT_FILE).write_text(payload.project)
    for rel, source in payload.files.items():
        target = (root / rel).resolve()
        if root.resolve() not in target.parents:
            raise InvalidRequest(f"{rel!r} is not a path inside the project folder", param="files")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)  # the worker's own copy
        except OSError:
            shutil.copyfile(source, target)
    return ProjectFolder.find(root)


def _thinned(progress: Progress) -> Progress:
    """``progress`` passing on about ``PROGRESS_EVENTS`` events per stage; cancel is still checked per frame."""
    sink = progress.on_event

    def on_event(event: ProgressEvent) -> None:
        every = max(1, event.total // PROGRESS_EVENTS)
        if sink is not None and (event.step % every == 0 or event.step == event.total or event.message):
            sink(event)

    return Progress(on_event=on_event, cancel=progress.cancel, preview_every=progress.preview_every)


def install_export(folder: ProjectFolder, job: Job, name: str) -> Path:
    """Put a finished export job's film and record into ``exports/NAME``, each replaced in one step."""
    files = (job.result or {}).get("files", {})
    target = folder.exports / name
    copy_in({Path(files["video"]): target, Path(files["metadata"]): target.with_suffix(".json")})
    return target


def copy_in(files: dict[Path, Path]) -> None:
    """Copy each source over its target so a reader sees old files or new ones, never a part of one.

    Every copy is made beside its target first; only then are they renamed
    into place, in the order given.
    """
    partials = {}
    try:
        for source, target in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")  # one per writer
            shutil.copyfile(source, partial)
            partials[partial] = target
        for partial, target in partials.items():
            os.replace(partial, target)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
