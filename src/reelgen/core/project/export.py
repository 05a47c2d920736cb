"""Exporting a project: its rendered clips and title cards joined into a film, never rendering anything."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelgen.core.encode import check_record_free
from reelgen.core.errors import InvalidRequest, ReelgenError, from_validation_error
from reelgen.core.export.settings import ExportSettings, SettingNames
from reelgen.core.export.timeline import Segment, render_again
from reelgen.core.export.write import ExportResult, check_output, check_timeline, export
from reelgen.core.progress import Progress
from reelgen.core.project.checks import absolute_export, absolute_soundtrack, with_card_fonts
from reelgen.core.project.film_name import film_name
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.lines import note_line
from reelgen.core.project.lock import rendering_now
from reelgen.core.project.model import Project
from reelgen.core.project.plan import PlannedScene
from reelgen.core.project.status import listed, plan_project


def _header(clip: Path) -> tuple[int, Fraction]:
    """How many frames the clip's header says it holds, and at what rate (0 where it does not say, or
    cannot be read: the export's own reading of the clip then says what is wrong with it)."""
    import av

    from reelgen.core.picture_stream import picture_stream

    try:
        with av.open(str(clip)) as container:
            stream = picture_stream(container)  # the film, not cover art listed before it
            if stream is None:
                return 0, Fraction(0)
            return stream.frames, Fraction(stream.average_rate or 0)
    except av.error.FFmpegError:
        return 0, Fraction(0)


def _clip_seconds(
    clip: Path, fallback: float, label: str, param: str, scene_id: str, render_with: str | None
) -> float:
    """The clip's length from its record (frames / fps), which is what the scene came out as.

    A clip without a record (a render stopped between the two) lasts its scene's ``fallback``; a
    record that cannot be read, or says a length no clip has, is the scene's to mend: laid out
    as it reads it would surface as a puzzling error about a transition, or cut the scene short.
    """
    record = clip.with_suffix(".json")
    if not record.is_file():
        return fallback
    try:
        out = json.loads(record.read_text())["output"]
        frames, fps = out["frames"], Fraction(out["fps"])
        held, rate = _header(clip)
        if not (isinstance(frames, int) and not isinstance(frames, bool) and frames > 0 and fps > 0):
            said = f"says {frames!r} frames at {out['fps']} fps, which no clip lasts"
        elif held and frames != held:
            # Laid out as the record said, the scene was frozen on its last frame (or cut) to fit, silently.
            said = f"says {frames} frames, and the clip holds {held}"
        elif rate and abs(fps - rate) > rate / 100:
            said = f"says {out['fps']} fps, and the clip runs at {float(rate):g}"
        else:
            return float(frames / fps)
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        said = "does not say the clip's length" + (f" (no {exc})" if isinstance(exc, KeyError) else "")
    raise InvalidRequest(
        f"{label}: clip record {record} {said}; {render_again(scene_id, render_with)}",
        param=f"{param}.clip",
    )


def segments(
    folder: ProjectFolder,
    planned: list[PlannedScene],
    allow_stale: bool = False,
    render_with: str | None = None,
) -> list[Segment]:
    """The timeline: each scene's current clip (or, with ``allow_stale``, its last one) or title card;
    ``render_with`` is the command that renders what is missing, where the caller knows it."""
    out: list[Segment] = []
    stale: list[str] = []
    never: list[str] = []
    gone: list[str] = []
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
        before = folder.clip(last[p.scene_id]) if p.scene_id in last else None
        if not clip.is_file() and allow_stale and before is not None:
            clip = before
        if not clip.is_file():
            # Only a last clip still on disk can stand in (allow_stale); a deleted one has to be rendered.
            if before is None:
                never.append(p.scene_id)
            elif before.is_file() and before != clip:
                stale.append(p.scene_id)
            else:
                gone.append(p.scene_id)
            continue
        seconds = _clip_seconds(clip, scene.duration, p.label, param, p.scene_id, render_with)
        segment = Segment(p.label, seconds, clip=clip, transition=scene.transition, param=param)
        out.append(replace(segment, scene_id=p.scene_id, render_with=render_with))
    if stale or never or gone:
        rendering = _rendering(folder, planned, [*never, *gone, *stale])
        labels = {p.scene_id: p.label for p in planned}
        message = unready_message(stale, never, gone, render_with, rendering, labels)
        raise InvalidRequest(message, param="scenes")
    return out


def _rendering(folder: ProjectFolder, planned: list[PlannedScene], unready: list[str]) -> dict[str, str]:
    """Of the ``unready`` scenes, those a render running now is making, each with who runs it: an export
    started while ``reelgen project render`` ran was told to render them, which that render then refused."""
    keys = {p.scene_id: p.render.key for p in planned if p.render is not None and p.scene_id in unready}
    busy = rendering_now(folder.root, keys.values())
    return {scene_id: busy[key] for scene_id, key in keys.items() if key in busy}


def unready_message(
    stale: list[str],
    never: list[str],
    gone: Sequence[str] = (),
    render_with: str | None = None,
    rendering: dict[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Why an export cannot start, in words that fit the command line and the API alike, or, given the
    command that renders this project (``render_with``), the command line's alone.

    Only a stale scene has a last render to fall back on, so ``allow_stale`` is offered for those alone;
    ``gone`` are scenes whose last clip was deleted from clips/; ``rendering`` the scenes a render running
    now is making, each with who runs it (waited for, not rendered again: that render would be refused);
    ``labels`` each scene's name with its place in the file, ``scene 'a' (scenes[0])``.
    """
    # One scene was "scenes not rendered as they now read ...; render them first": said of it alone now.
    one = len(stale) + len(never) + len(gone) == 1
    said = []
    if never:
        said.append(f"never rendered: {listed(never)}")
    if gone:
        said.append(f"clip deleted from clips/: {listed(gone)}")
    if stale:
        said.append(f"changed since their last render: {listed(stale)}")
    them = "it" if one else "them"
    advice = f"render {them} first (`reelgen project render`, or POST /v1/projects/{{id}}/render)"
    if render_with is not None:  # `reelgen project render` alone renders the folder the person is in
        advice = f"render {them} first (`{render_with}`)"
    if rendering:
        busy, holders = list(rendering), listed(list(dict.fromkeys(rendering.values())))
        waited = (
            f"{listed(busy)} {'is' if len(busy) == 1 else 'are'} being rendered now by another "
            f"`reelgen project render` ({holders}): wait for it to end, then export again"
        )
        # Every scene named is under way: "render them first" would be refused by the render running.
        advice = waited if len(busy) == len(stale) + len(never) + len(gone) else f"{advice}; {waited}"
    if stale and not never and not gone:
        stay = (
            "--allow-stale" if render_with is not None else "allow_stale (--allow-stale on the command line)"
        )
        advice += f", or export {'its' if one else 'their'} last {'render' if one else 'renders'} with {stay}"
    if one:
        name, why = next(
            (ids[0], why)
            for ids, why in (
                (never, "never rendered"),
                (gone, "its clip was deleted from clips/"),
                (stale, "changed since its last render"),
            )
            if ids
        )
        # As every other message names one scene: it was `scene a`, unquoted and with no position.
        label = (labels or {}).get(name, f"scene {name!r}")
        return f"{label} is not rendered as it now reads ({why}); {advice}"
    return f"scenes not rendered as they now read ({'; '.join(said)}); {advice}"


#: How overrides are named when the caller does not say: as an HTTP request's ``export_settings`` holds them.
REQUEST = "export_settings."


def setting_names(
    overrides: dict[str, Any] | None, given_as: str = REQUEST, output: bool = False
) -> SettingNames:
    """Each setting's name as the person wrote it: ``given_as`` + field for ``overrides`` (and ``output``
    when an output path was given alongside), ``export.`` + field for the rest (the project file)."""
    fields = set(overrides or ()) | ({"output"} if output else set())
    return SettingNames(frozenset(fields), given_as)


def export_settings(
    base: ExportSettings, overrides: dict[str, Any] | None, given_as: str = REQUEST
) -> ExportSettings:
    """The project's export settings with ``overrides`` on top, validated and checked across fields.

    A problem names the setting as the person wrote it: ``export.codec`` when it
    is the file's, ``given_as`` + ``codec`` (``--codec``, ``export_settings.codec``)
    when it is an override.
    """
    names = setting_names(overrides, given_as)
    try:
        given = ExportSettings.model_validate(overrides or {})  # each override on its own, named as given
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=given_as, model=ExportSettings) from None
    merged = {**base.model_dump(exclude_unset=True), **given.model_dump(exclude_unset=True)}
    sides = {"width", "height"} & given.model_fields_set
    if len(sides) == 1:
        # One side given over the file keeps the film's shape (--height's help says so): with the file's
        # `width: 64` kept, `--height 18` of a 16:9 film made it 64x18, its picture letterboxed in a strip.
        merged.pop(({"width", "height"} - sides).pop(), None)
    settings = ExportSettings.model_validate(merged)
    settings.check(names)
    return settings


def export_target(
    folder: ProjectFolder, project: Project, settings: ExportSettings, output: str | Path | None = None
) -> Path:
    """Where an export goes: ``output``, else ``exports/<settings.output or title>``, with the container's suffix."""
    name = settings.output or f"{film_name(project.title, folder.root.name)}.{settings.container.value}"
    target = Path(output) if output is not None else folder.exports / name
    return target if target.suffix else target.with_suffix(f".{settings.container.value}")


def check_spares_project(folder: ProjectFolder, project: Project, target: Path, names: SettingNames) -> None:
    """Refuse, before any work, a film at ``target`` that would replace a file the project keeps: any
    clip or window (stale ones too) or its soundtrack; or whose record would replace a JSON of the person's own.

    A film downloaded from a server over a scene's clip took its place (its record the clip's), the
    project still called the scene rendered, and the next export joined the film in as that scene.
    """
    here = target.resolve()
    kept = {folder.clips.resolve(): "clips/", (folder.root / "windows").resolve(): "windows/"}
    inside = next((name for where, name in kept.items() if here.is_relative_to(where)), None)
    what = f"in the project's {inside} folder, where its scenes' renders are kept" if inside else None
    if project.soundtrack is not None and here == Path(folder.path(project.soundtrack.file)).resolve():
        what = "the project's soundtrack (soundtrack.file)"
    if what is not None:
        raise InvalidRequest(
            f"{names('output')}: {target} is {what}; give the film another name", param=names("output")
        )
    check_record_free(target, names("output"))


def check_server_target(
    folder: ProjectFolder,
    project: Project,
    settings: ExportSettings,
    output: Path | None,
    names: SettingNames,
) -> Path:
    """Where a film exported on a server lands here (``output``, else ``exports/``), refused before the
    project is sent where the server could not make it: a ``.gif`` (a server writes the container's
    film only), whether ``-o`` or the project file's ``export.output`` names it, or a name that would
    replace a file the project keeps. Else the server refused the GIF only after the upload."""
    target = export_target(folder, project, settings, output)
    check_output(target, settings, names, on_server=True)
    check_spares_project(folder, project, target, names)
    return target


def export_project(
    folder: ProjectFolder,
    output: str | Path | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    allow_stale: bool = False,
    progress: Progress | None = None,
    given_as: str = REQUEST,
    recorded_as: str | None = None,
    render_with: str | None = None,
) -> ExportResult:
    """Export the project's rendered scenes into ``output`` (default ``exports/<title>.<container>``).

    ``given_as`` is how the caller's person writes ``overrides`` and ``output``
    (``--`` on the command line), so a message names what they typed. ``recorded_as`` is the
    project file the record names (default ``folder``'s; a worker exporting a copy gives the original).
    ``render_with`` is the command an unrendered scene is told to render with (a command line knows it).
    """
    project = folder.load()
    names = setting_names(overrides, given_as, output=output is not None)
    try:  # a setting of the file's (export.codec, export.output) names its line there; an option has none
        settings = export_settings(project.export, overrides, given_as)
        project = project.model_copy(update={"export": settings})
        planned = plan_project(folder, project)
        settings = absolute_export(folder, settings)
        target = export_target(folder, project, settings, output)
        check_output(target, settings, names)  # a wrong suffix is said before where the film would land
    except ReelgenError as exc:
        raise note_line(exc, folder.file) from None
    if output is None:
        folder.check_kept(folder.exports, "its films")
        # Else "export.output .../exports/NAME.mp4: ... give a path" named a setting no one wrote.
        folder.check_writes(
            target, "its film", f"export it to a folder you can write to ({given_as}output PATH)"
        )
    check_spares_project(folder, project, target, names)
    timeline = segments(folder, planned, allow_stale, render_with)
    # The key of the clip that went in: with allow_stale a stale scene's last one, not the key it now reads as.
    keys = {
        p.scene_id: seg.clip.stem for p, seg in zip(planned, timeline, strict=True) if seg.clip is not None
    }
    try:
        return export(
            timeline,
            settings,
            target,
            soundtrack=absolute_soundtrack(folder, project.soundtrack),
            progress=progress,
            title=project.title,
            extra_record={"project": recorded_as or str(folder.file), "scene_keys": keys},
            names=names,
            # A worker's copy of the folder is gone once the job ends: the record names the project's files.
            recorded_root=(folder.root, Path(recorded_as).parent) if recorded_as else None,
        )
    except InvalidRequest as exc:
        # A rate, text or length the file set (export.fps) names its line, as the checks above do; a
        # scene's clip is mended by rendering it again, on no line of the file.
        mended_here = exc.param is not None and not exc.param.endswith(".clip")
        raise (
            note_line(by_scene(exc, project), folder.file) if mended_here else by_scene(exc, project)
        ) from None


def check_rate(
    folder: ProjectFolder, overrides: dict[str, Any] | None = None, allow_stale: bool = False
) -> None:
    """Refuse, from the clips' headers, an export whose scenes, transitions or texts fail at the film's
    rate, as ``export_project`` refuses it before any work: a server queued it (202) and its worker
    failed with the message ``reelgen project export`` gives up front."""
    project = folder.load()
    settings = export_settings(project.export, overrides)
    project = project.model_copy(update={"export": settings})
    timeline = segments(folder, plan_project(folder, project), allow_stale)
    try:
        check_timeline(timeline, absolute_export(folder, settings), setting_names(overrides))
    except InvalidRequest as exc:
        raise by_scene(exc, project) from None


def by_scene(exc: InvalidRequest, project: Project) -> InvalidRequest:
    """``exc`` named as the project file's other mistakes are, scene then field: a title card too long
    for the film's size was "scenes[0].title_card.text: ...", where the file's checks say
    "scene 'intro' (scenes[0]): title_card.text: ..."."""
    found = re.match(r"scenes\[(\d+)\]\.", exc.message)
    if found is None or int(found.group(1)) >= len(project.scenes):
        return exc
    index = int(found.group(1))
    exc.message = f"scene {project.scenes[index].id!r} (scenes[{index}]): {exc.message[found.end() :]}"
    exc.args = (exc.message,)
    return exc
