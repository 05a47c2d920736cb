"""Where an export may write its film: a name of the container's kind, and no file the export reads."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from reelgen.core.encode import check_record_free
from reelgen.core.errors import InvalidRequest
from reelgen.core.export.animated import check_gif_output
from reelgen.core.export.settings import IN_FILE, Container, ExportSettings, SettingNames, Soundtrack
from reelgen.core.export.suffix import wrong_suffix
from reelgen.core.export.timeline import Segment
from reelgen.core.gif import is_gif

#: Said after them where an export may make a GIF: not on a server, which refuses a .gif name.
_GIF_TOO = "; .gif makes a looping GIF without sound"
#: Python's own table of file types, not this system's (the same advice on every machine).
_KNOWN_TYPES = mimetypes.MimeTypes()


def _a_file_type(output: Path) -> bool:
    """Whether the output's suffix names a kind of file (.mkv, .json), not a part of its name (film.v2)."""
    films = {f".{c.value}" for c in Container}
    return output.suffix.lower() in films or _KNOWN_TYPES.guess_type(output.name)[0] is not None


def check_output(
    output: Path, settings: ExportSettings, names: SettingNames = IN_FILE, *, on_server: bool = False
) -> None:
    """Refuse an output whose suffix is not the container's (an MP4 named film.mkv misleads players);
    one named ``.gif`` is an animated GIF whatever container the project's films are in, except
    ``on_server``: a server writes the container's film, which would be downloaded under the GIF's name
    (and a film of another suffix is told the container names only: a server makes no GIF)."""
    if is_gif(output):
        check_gif_output(output, names, settings.container.value, on_server)
    elif output.suffix.lower() != f".{settings.container.value}":
        # "film.v2" or "take 1.0" is a name with a dot, not a file type: "name it film.mp4" lost part of it.
        stem = output.stem if _a_file_type(output) else output.name
        said = wrong_suffix(output, stem, settings, names, gif_too="" if on_server else _GIF_TOO)
        raise InvalidRequest(said, param=names("output"))
    check_record_free(output, names("output"))  # its name and its record's fit a folder, and no JSON is lost


def _inputs(
    segments: list[Segment], settings: ExportSettings, soundtrack: Soundtrack | None
) -> dict[Path, str]:
    """Every file the export reads, by resolved path, with what it is (for a message)."""
    found: dict[Path, str] = {}
    for seg in segments:
        if seg.clip is not None:
            found[seg.clip.resolve()] = f"the clip of {seg.label}"
            found[seg.clip.with_suffix(".json").resolve()] = f"the record of {seg.label}'s clip"
        if seg.card is not None and seg.card.font:
            found[Path(seg.card.font).resolve()] = f"the font of {seg.label}"
    named = [("soundtrack.file", soundtrack.file if soundtrack else None), ("export.lut", settings.lut)]
    named.append(("export.watermark.image", settings.watermark.image if settings.watermark else None))
    named += [(f"export.texts[{i}].font", t.font) for i, t in enumerate(settings.texts)]
    found.update({Path(path).resolve(): name for name, path in named if path})
    return found


def check_not_an_input(
    output: Path,
    segments: list[Segment],
    settings: ExportSettings,
    soundtrack: Soundtrack | None,
    names: SettingNames,
) -> None:
    """Refuse an output (or its record) that is a file the export reads: renamed over a scene's clip,
    the film took the clip's place, and the project still called the scene rendered."""
    inputs = _inputs(segments, settings, soundtrack)
    record = output.with_suffix(".json")
    said = None
    if output.resolve() in inputs:
        said = f"{output} is {inputs[output.resolve()]}"
    elif record.resolve() in inputs:
        said = f"{output}'s record would replace {record}, {inputs[record.resolve()]}"
    if said is not None:
        raise InvalidRequest(
            f"{names('output')}: {said}, which this export reads; give the film another name",
            param=names("output"),
        )
