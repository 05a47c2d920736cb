"""Which line of a project file a mistake is on: a field error said ``scenes[31].duration`` and left a person
with a 40-scene file to count list items; the command line now ends it ``(project.yaml line 212)``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from reelgen.core.errors import ReelgenError

E = TypeVar("E", bound=ReelgenError)

#: A ``param`` path's parts: ``scenes[1].windows.prompts[0]`` is scenes, 1, windows, prompts, 0.
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
#: The top-level fields of a project file: a param that starts with another names no line in it
#: (``--codec``, ``export_settings.codec`` and ``project`` are the command's, the request's, the file's own).
_FILE_FIELDS = frozenset({"title", "defaults", "reference_images", "scenes", "soundtrack", "export"})


def yaml_line(text: str, param: str) -> int | None:
    """The line (from 1) of the field ``param`` names in the YAML ``text``: its key's line, else, where the
    field is not written (a required one left out), the line of the nearest one holding it (the scene).

    None where ``param`` is no field of the file, where only its top-level list is found (the line of
    ``scenes:`` tells nothing of which scene), or where the text does not read as YAML.
    """
    import yaml

    parts: list[str | int] = [m[1] if m[1] else int(m[2]) for m in _PART.finditer(param)]
    if not parts:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes keep their marks; nothing is built
    except (yaml.YAMLError, RecursionError):
        return None
    if parts[0] not in _FILE_FIELDS:
        # An unknown top-level field (`scenez:`) is named by its key alone: its line, as a misspelt
        # field inside a scene has. Any other param (`--codec`, `project`) is no key of the file.
        return _top_key_line(node, parts[0]) if len(parts) == 1 else None
    line: int | None = None
    depth = 0
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((pair for pair in node.value if getattr(pair[0], "value", None) == part), None)
            if found is None:
                break
            key, node = found
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
        depth += 1
    if line is None or (depth == 1 and isinstance(node, yaml.SequenceNode | yaml.MappingNode)):
        # `scenes:` or `export:` itself: the problem is somewhere in it, not on that line. But
        # `soundtrack: {volume: 0.5}` lacks its one required key, file, on that line ("soundtrack.file is
        # required" named none); export's and defaults' keys all have defaults, so a param of theirs not
        # written is a value worked out (export.output), on no line.
        left_out = parts[0] == "soundtrack" and depth == 1 < len(parts) and isinstance(node, yaml.MappingNode)
        return line if line is not None and left_out else None
    return line


def _top_key_line(node: object, name: str | int) -> int | None:
    """The line of the top-level key ``name`` in the composed file ``node``, or None where it has none."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    key = next((k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == name), None)
    return None if key is None else key.start_mark.line + 1


#: Where on an error the line of its field is kept: said by a command line, which knows the file it read.
_NOTED = "project_line"


def note_line(exc: E, file: Path) -> E:
    """``exc``, noting the line of ``file`` its field is on where one is found; its message is left as
    it is (a server says what it read, an upload, and whoever shows the message adds the line)."""
    if exc.param is None or hasattr(exc, _NOTED):
        return exc
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return exc
    line = yaml_line(text, exc.param)
    if line is not None:
        setattr(exc, _NOTED, f"{file.name} line {line}")
    return exc


def with_line(exc: E) -> E:
    """``exc`` with the line ``note_line`` found said at the end of its message: ``(project.yaml line 12)``."""
    noted = getattr(exc, _NOTED, None)
    if isinstance(noted, str) and not exc.message.endswith(f"({noted})"):
        exc.message = f"{exc.message} ({noted})"
        exc.args = (exc.message,)
    return exc
