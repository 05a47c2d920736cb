"""Rules of a project file that span fields or files: ids, prompts, transitions, soundtrack, export inputs."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.settings import ExportSettings, Soundtrack
from reelgen.core.export.timeline import Segment, layout
from reelgen.core.export.write import check_lut, check_soundtrack, not_a_file
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.model import Project, Scene

#: Transitions are checked at a fine grid so their lengths compare as seconds, not frames.
_CHECK_RATE = Fraction(1000)


def check_scenes(project: Project) -> None:
    """Ids differ; each scene has a prompt or a title card (not both); transitions fit their scenes."""
    seen: dict[str, int] = {}
    for i, scene in enumerate(project.scenes):
        label, where = f"scene {scene.id!r} (scenes[{i}])", f"scenes[{i}]"
        if scene.id in seen:
            first = seen[str(scene.id)]
            # One of the two may have no id at all: it was named by its place, which the person never wrote.
            placed = scene.id in (f"scene-{i + 1}", f"scene-{first + 1}")
            why = " (a scene without an id is scene-N by its place: give both ids)" if placed else ""
            raise InvalidRequest(
                f"{label}: id {scene.id!r} is already used by scenes[{first}]; ids must differ{why}",
                param=f"{where}.id",
            )
        seen[str(scene.id)] = i
        if scene.title_card is None and "title_card" in scene.model_fields_set and not scene.prompt:
            # `title_card:` with nothing under it is YAML's null: "or give a title_card" was said of one given
            raise InvalidRequest(
                f"{label}: title_card is empty; give its text on a line below it, indented (text: ...)",
                param=f"{where}.title_card",
            )
        if scene.title_card is None and not (scene.prompt or "").strip():
            raise InvalidRequest(
                f"{label}: prompt is required (say what the scene shows), or give a title_card",
                param=f"{where}.prompt",
            )
        if scene.title_card is not None and scene.prompt:
            raise InvalidRequest(
                f"{label}: a title card is drawn, not rendered; drop its prompt (or the title_card)",
                param=f"{where}.prompt",
            )
        _check_card_fields(scene, label, where)
        if scene.title_card is None and scene.model is not None and not scene.model.strip():
            # `model: ""` rendered the scene on defaults.model without a word
            raise InvalidRequest(
                f"{label}: model is empty; give a model (`reelgen models` lists them), or leave it out "
                "to use defaults.model",
                param=f"{where}.model",
            )
        for k, text in enumerate(scene.windows.prompts):
            if not text.strip():  # the window was rendered from no prompt at all, unsaid
                raise InvalidRequest(
                    f"{label}: windows.prompts[{k}] is empty; give that window's prompt (windows past "
                    "the list use the scene's prompt)",
                    param=f"{where}.windows.prompts[{k}]",
                )
    segments = [
        Segment(f"scene {s.id!r} (scenes[{i}])", s.duration, transition=s.transition, param=f"scenes[{i}]")
        for i, s in enumerate(project.scenes)
    ]
    layout(segments, _CHECK_RATE)


#: What a title card draws with: every other field of a scene is for a model, and a card has none.
_CARD_FIELDS = {"id", "prompt", "duration", "title_card", "transition"}


def _check_card_fields(scene: Scene, label: str, where: str) -> None:
    """A title card given a model's field (model, seed, windows ...) is refused: it was ignored unsaid,
    so a scene turned into a card kept settings that did nothing."""
    if scene.title_card is None:
        return
    fields = Scene.model_fields
    given = scene.model_fields_set - _CARD_FIELDS
    # A field left at its default or empty ("" or [], as a client filling every field sends) says nothing.
    extra = sorted(
        (
            f
            for f in given
            if getattr(scene, f) not in (fields[f].get_default(call_default_factory=True), "", [], {})
        ),
        key=list(fields).index,
    )
    if extra:
        raise InvalidRequest(
            f"{label}: a title card is drawn at export, not rendered, so {_and(extra)} would do "
            f"nothing; drop {'it' if len(extra) == 1 else 'them'} (or the title_card)",
            param=f"{where}.{extra[0]}",
        )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def absolute_export(folder: ProjectFolder, settings: ExportSettings) -> ExportSettings:
    """Export settings with their files (LUT, watermark, fonts) made absolute against the project folder."""
    update: dict[str, object] = {}
    if settings.lut:
        update["lut"] = folder.path(settings.lut)
    if settings.watermark is not None:
        update["watermark"] = settings.watermark.model_copy(
            update={"image": folder.path(settings.watermark.image)}
        )
    update["texts"] = [
        t.model_copy(update={"font": folder.path(t.font)}) if t.font else t for t in settings.texts
    ]
    return settings.model_copy(update=update)


def absolute_soundtrack(folder: ProjectFolder, music: Soundtrack | None) -> Soundtrack | None:
    return None if music is None else music.model_copy(update={"file": folder.path(music.file)})


def check_files(folder: ProjectFolder, project: Project) -> None:
    """Every file the export will read exists and is what it should be (soundtrack, LUT, images, fonts)."""
    _check_named(project)
    music = absolute_soundtrack(folder, project.soundtrack)
    if music is not None:
        check_soundtrack(music)
    settings = absolute_export(folder, project.export)
    settings.check()
    if settings.lut:
        check_lut(settings.lut)
    if settings.watermark is not None and not Path(settings.watermark.image).is_file():
        param = "export.watermark.image"
        raise InvalidRequest(f"{param}: {not_a_file(Path(settings.watermark.image))}", param=param)
    # (param, as said, path): a card's named like the file's other mistakes, scene then field.
    fonts = [
        (f"export.texts[{i}].font", f"export.texts[{i}].font", t.font) for i, t in enumerate(settings.texts)
    ]
    fonts += [
        (
            f"scenes[{i}].title_card.font",
            f"scene {s.id!r} (scenes[{i}]): title_card.font",
            folder.path(s.title_card.font),
        )
        for i, s in enumerate(project.scenes)
        if s.title_card is not None and s.title_card.font
    ]
    for param, said, font in fonts:
        if font and not Path(font).is_file():
            # A folder was "font file ... does not exist", though it is there.
            raise InvalidRequest(f"{said}: {not_a_file(Path(font))}", param=param)
    _check_glyphs(folder, project, settings)


def check_references(folder: ProjectFolder, project: Project) -> None:
    """Each of the project's reference images is a file, checked after the scenes are planned (a scene
    that takes one names itself in the message) so one that no scene's model takes is looked for too."""
    # They go only to scenes whose model takes them: a misspelt one was never looked for while no
    # scene did, and surfaced only once a scene moved to such a model.
    for i, image in enumerate(project.reference_images):
        param = f"reference_images[{i}]"
        if not image.strip():
            raise InvalidRequest(f"{param}: an empty name; give an image file, or leave it out", param=param)
        if not Path(folder.path(image)).is_file():
            raise InvalidRequest(f"{param}: {not_a_file(Path(folder.path(image)))}", param=param)


def _check_named(project: Project) -> None:
    """No file field of the export is blank: ``file: ""`` was said ". is a folder, not a file", a blank
    font " is not a readable font", and a blank LUT exported the film ungraded without a word."""
    named = [("soundtrack.file", project.soundtrack.file if project.soundtrack else None)]
    named.append(("export.lut", project.export.lut))
    named.append(
        ("export.watermark.image", project.export.watermark.image if project.export.watermark else None)
    )
    named += [(f"export.texts[{i}].font", t.font) for i, t in enumerate(project.export.texts)]
    for param, value in named:
        if value is not None and not value.strip():
            raise InvalidRequest(f"{param}: an empty name; give a file, or leave it out", param=param)
    for i, scene in enumerate(project.scenes):
        card = scene.title_card
        if card is not None and card.font is not None and not card.font.strip():
            raise InvalidRequest(
                f"scene {scene.id!r} (scenes[{i}]): title_card.font: an empty name; give a file, or leave it out",
                param=f"scenes[{i}].title_card.font",
            )


def _check_glyphs(folder: ProjectFolder, project: Project, settings: ExportSettings) -> None:
    """Every title and text can be drawn (the export refuses a letter no font here has): said now,
    before anything renders, rather than when the film is made."""
    from reelgen.core.export.text import font_for

    for i, overlay in enumerate(settings.texts):
        font_for(overlay.font, 24, overlay.text, f"export.texts[{i}].text")
    for i, scene in enumerate(project.scenes):
        card = scene.title_card
        if card is None:
            continue
        font = folder.path(card.font) if card.font else None
        for field, words in (("text", card.text), ("subtitle", card.subtitle)):
            try:
                font_for(font, 24, words, f"scenes[{i}].title_card.{field}")
            except InvalidRequest as exc:  # named like the file's other mistakes: scene, then field
                message = exc.message.removeprefix(f"scenes[{i}].").replace(f"give scenes[{i}].", "give ")
                raise InvalidRequest(
                    f"scene {scene.id!r} (scenes[{i}]): {message}", param=exc.param
                ) from None


def with_card_fonts(folder: ProjectFolder, segment: Segment) -> Segment:
    """A title-card segment whose font path is absolute."""
    if segment.card is None or not segment.card.font:
        return segment
    return replace(segment, card=segment.card.model_copy(update={"font": folder.path(segment.card.font)}))
