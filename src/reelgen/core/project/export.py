"""Exporting a project: its rendered clips and title cards joined into a film, never rendering anything."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelgen.core.errors import InvalidRequest, from_validation_error
from reelgen.core.export.settings import ExportSettings
from reelgen.core.export.timeline import Segment
from reelgen.core.export.write import ExportResult, export
from reelgen.core.progress import Progress
from reelgen.core.project.checks import absolute_export, absolute_soundtrack, with_card_fonts
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.model import Project
from reelgen.core.project.plan import PlannedScene
from reelgen.core.project.status import plan_project


def _clip_seconds(clip: Path, fallback: float) -> float:
    """The clip's length from its record (frames / fps), which is what the scene came out as."""
    try:
        out = json.loads(clip.with_suffix(".json").read_text())["output"]
        return float(out["frames"] / Fraction(out["fps"]))
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError):
        return fallback


def segments(folder: ProjectFolder, planned: list[PlannedScene], allow_stale: bool = False) -> list[Segment]:
    """The timeline: each scene's current clip (or, with ``allow_stale``, its last one) or title card."""
    out, unready = [], []
    last = folder.rendered_keys()
    for p in planned:
        scene, param = p.scene, f"scenes[{p.index}]"
        if p.render is None:
            card = Segment(
                p.label, scene.duration, card=scene.title_card, transition=scene.transition, param=param
            )
            out.append(with_card_fonts(folder, card))
            continue
        clip = folder.clip(p.render.key)
        if not clip.is_file() and allow_stale and p.scene_id in last:
            clip = folder.clip(last[p.scene_id])
        if not clip.is_file():
            unready.append(p.scene_id)
            continue
        seconds = _clip_seconds(clip, scene.duration)
        out.append(Segment(p.label, seconds, clip=clip, transition=scene.transition, param=param))
    if unready:
        raise InvalidRequest(
            f"scenes not rendered as they now read: {', '.join(unready)}; run `reelgen project render` "
            "first (or export their last renders with --allow-stale)",
            param="scenes",
        )
    return out


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "export"


def export_settings(base: ExportSettings, overrides: dict[str, Any] | None) -> ExportSettings:
    """The project's export settings with ``overrides`` (from the command line) on top, validated."""
    if not overrides:
        return base
    try:
        return ExportSettings.model_validate({**base.model_dump(exclude_unset=True), **overrides})
    except ValidationError as exc:
        raise from_validation_error(exc, prefix="export.") from None


def export_target(
    folder: ProjectFolder, project: Project, settings: ExportSettings, output: str | Path | None = None
) -> Path:
    """Where an export goes: ``output``, else ``exports/<settings.output or title>``, with the container's suffix."""
    name = settings.output or f"{_slug(project.title)}.{settings.container.value}"
    target = Path(output) if output is not None else folder.exports / name
    return target if target.suffix else target.with_suffix(f".{settings.container.value}")


def export_project(
    folder: ProjectFolder,
    output: str | Path | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    allow_stale: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Export the project's rendered scenes into ``output`` (default ``exports/<title>.<container>``)."""
    project = folder.load()
    settings = export_settings(project.export, overrides)
    project = project.model_copy(update={"export": settings})
    planned = plan_project(folder, project)
    settings = absolute_export(folder, settings)
    target = export_target(folder, project, settings, output)
    keys = {p.scene_id: p.render.key for p in planned if p.render is not None}
    return export(
        segments(folder, planned, allow_stale),
        settings,
        target,
        soundtrack=absolute_soundtrack(folder, project.soundtrack),
        progress=progress,
        title=project.title,
        extra_record={"project": str(folder.file), "scene_keys": keys},
    )
