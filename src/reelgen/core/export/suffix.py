"""Why a film's name is refused for its suffix: which container it is made in, and where that came from."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.export.settings import FILM_SUFFIXES, Container, ExportSettings, SettingNames

#: How the command line writes a setting given over the project file (as ``animated.CLI_OPTION``).
_CLI = "--"


def wrong_suffix(
    output: Path, stem: str, settings: ExportSettings, names: SettingNames, *, gif_too: str
) -> str:
    """The refusal of ``output``, whose suffix is not the container's: "the container asked for" when
    someone set it, else that it is the default one, and how the person asks for another in their own
    words (``--container`` on the command line only; a server's caller is told its request's field)."""
    container = settings.container.value
    said = f"{names('output')}: {output.name} does not end in .{container}, "
    films = f"(films are {FILM_SUFFIXES}{gif_too})"
    if "container" in settings.model_fields_set:
        return f"{said}the container asked for ({names('container')}); name it {stem}.{container} {films}"
    # Nobody asked for mp4: "the container asked for (export.container)" sent them looking for a line
    # their file does not have, and never said how to ask for the container their name ends in.
    said += f"the container a film gets when none is set; name it {stem}.{container}"
    wanted = output.suffix.lower().lstrip(".")
    if wanted not in {c.value for c in Container}:
        if names.override_prefix == _CLI and "output" in names.overridden:
            # On the command line, -o's own suffix picks the container (film.mkv is an mkv).
            return f"{said} or another film's name, whose suffix picks the container {films}"
        return f"{said}, or another film's name and ask for its container with {_ask(names, '')} {films}"
    return f"{said}, or ask for {wanted} with {_ask(names, wanted)} {films}"


def _ask(names: SettingNames, value: str) -> str:
    """Where the person sets the container: the project file's ``export:``, and over it the option or
    field their command or request gives (none where only a file is read)."""
    in_file = f"container: {value} under export:" if value else "container: under export:"
    in_file += " in the project file"
    if names.override_prefix == _CLI:
        return f"--container {value} or {in_file}" if value else f"--container or {in_file}"
    if names.override_prefix:
        return f"{names.override_prefix}container or {in_file}"
    return in_file
