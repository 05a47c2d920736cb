"""How a project.yaml that does not validate is said: one line naming the scene and the field, and what to write."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from typing import Any

from pydantic import ValidationError

from reelgen.core.errors import (
    InvalidRequest,
    _holder,
    field_path,
    field_range,
    fields_at,
    near_choice,
    past_a_number_rule,
    said_with_range,
)
from reelgen.core.project.model import Defaults, Project


def validated(data: Any, name: str, start_hint: str = "") -> Project:
    """A project file's parsed ``data`` as a ``Project``, one rule for the CLI and a server: nothing at
    all (empty, or comments only) is said to be empty, not "must be a mapping", which named no mistake
    the person could see; ``start_hint`` follows that (a command that writes a file: none over HTTP)."""
    if data is None:
        raise InvalidRequest(
            f"{name} is empty; give it a title: and its scenes: (each a prompt or a title_card, "
            f"and a duration){start_hint}",
            param="project",
        )
    if not isinstance(data, dict):
        raise InvalidRequest(f"{name} must be a mapping (title:, scenes: ...)", param="project")
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        raise problem(exc, data) from None


def problem(exc: ValidationError, data: dict[str, Any]) -> InvalidRequest:
    """The first problem of a project file as an ``InvalidRequest`` naming the scene and the field."""
    errors = exc.errors()
    first = errors[0]
    if first.get("type") == "missing":
        # A misspelt field is both missing and unknown: the spelling the person typed is what to fix.
        parent = tuple(first["loc"][:-1])
        first = next(
            (e for e in errors if e.get("type") == "extra_forbidden" and tuple(e["loc"][:-1]) == parent),
            first,
        )
    loc = [p for p in first["loc"] if isinstance(p, int | str)]
    kind = first.get("type", "")
    if kind == "invalid_key" and loc:
        # `3:` or `null:` as a field: its loc's last part is the key as YAML read it (3 looked like a
        # list index, "[3]"), named here as the file writes it.
        loc[-1] = _key_written(first.get("input"))
    param = field_path(loc) or "project"  # a name that is the empty string written "", not left out
    if kind == "missing" and loc == ["scenes"]:
        text = "is required: a list of scenes, each a prompt and a duration or a title_card (`reelgen project schema` prints the format)"
    elif kind == "missing":
        # A list's items share their words: export.texts[0].end is looked up as export.texts.end.
        text = "is required" + _REQUIRED.get(
            str(loc[-1]) if loc[:1] == ["scenes"] else ".".join(str(p) for p in loc if isinstance(p, str)), ""
        )
    elif kind == "extra_forbidden" and loc[-1:] == [""]:
        text = "(a field with an empty name) is not a known field; remove it"
    elif kind == "extra_forbidden":
        text = "is not a known field" + _known_fields(tuple(loc))
    elif kind == "invalid_key":  # pydantic's "Keys should be strings" named neither the key nor the fields
        text = f"is not a known field ({_key_read_as(first.get('input'))})" + _known_fields(tuple(loc))
    elif kind == "too_short" and loc == ["scenes"]:  # pydantic's "List should have at least 1 item ..."
        text = "the project has none; give at least one (a prompt to render, or a title_card)"
    elif kind in ("model_type", "dict_type"):  # pydantic's words name a Python class (EnhanceStep ...)
        text = _not_a_mapping(first.get("input"), loc)
    elif kind == "string_too_short" and not str(first.get("input", "x")).strip():
        # pydantic's "String should have at least 1 character" of `model: ""`
        text = "is empty; give at least one letter" + ("" if _required(tuple(loc)) else ", or leave it out")
    elif kind in ("string_too_long", "too_long"):  # pydantic's "String should have at most 300 characters"
        text = _too_long(first.get("input"), first.get("ctx", {}).get("max_length"))
    elif kind == "string_type" and loc and loc[-1] in _COLOURS:
        text = _not_a_colour(first.get("input"))
    elif kind == "string_type" and isinstance(first.get("input"), bool | int | float | dt.date | dt.time):
        text = _unquoted(first["input"])
    elif kind in (
        "list_type",
        "string_type",
    ):  # pydantic's "Input should be a valid list" said not what it got
        text = _wrong_shape(kind, first.get("input"))
    else:
        text = str(first["msg"]).removeprefix("Value error, ")
        takes = field_range(Project, tuple(loc), first) if past_a_number_rule(first) else None
        # "finite number" or "at most 3600" said only half; "Input should be less than..." said an end twice
        text = said_with_range(first, text, takes) if takes else text
        text += _unit_hint(first.get("input")) if kind in ("float_parsing", "int_parsing") else ""
    if kind in ("enum", "literal_error"):  # "Input should be 'cut', 'fade' ..." quoted pydantic's words
        expected = str(first.get("ctx", {}).get("expected", ""))
        text = _not_a_choice(first.get("input"), expected) or text
        meant = _choice_meant(first.get("input"), expected)
        text += f"; did you mean {meant}?" if meant else ""
    field = param
    if len(loc) >= 2 and loc[0] == "scenes" and isinstance(loc[1], int):
        field = param.removeprefix(f"scenes[{loc[1]}]").lstrip(".")  # empty: the scene itself
        label = scene_label(data, loc[1])
    else:
        label = ""
    if field:
        text = (
            f"{field} {text}" if kind in ("missing", "extra_forbidden", "invalid_key") else f"{field}: {text}"
        )
    return InvalidRequest(f"{label}: {text}" if label else text, param=param)


def _key_written(key: Any) -> str:
    """A field name YAML read as something other than text, as the file writes it: ``true``, ``null``, ``3``."""
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, dt.date | dt.time):
        return key.isoformat()
    return str(key)


def _key_read_as(key: Any) -> str:
    """What YAML read a field name that is no text as: a field's name is text, so none of these is one."""
    if key is None:
        return "YAML reads it as null, no name"
    if isinstance(key, bool):
        return "YAML reads it as a boolean"
    if isinstance(key, dt.date | dt.time):
        return "YAML reads it as a date"
    return "YAML reads it as a number"


def _choice_meant(given: Any, expected: str) -> str | None:
    """The choice in pydantic's ``expected`` ("'cut', 'fade' or 'wipe_left'") that ``given`` meant.

    A project's choices are written with ``_`` (wipe_left, first_frame), which ``near_choice`` reads
    as ``-``: it is asked of them so written, so WIPE_LEFT, Wipe Left and wipe-left are all wipe_left.
    """
    allowed = re.findall(r"'([^']*)'", expected)
    said = {choice.replace("_", "-"): choice for choice in allowed}
    if isinstance(given, str) and _OTHER_WORDS.get(given.strip().lower()) in allowed:
        return _OTHER_WORDS[given.strip().lower()]  # no typo of the choice, so no near spelling finds it
    meant = near_choice(given, list(said))
    if meant is None and isinstance(given, str):  # "middle-ish": a word of it may be a word for one
        for word in re.findall(r"[a-z]+", given.lower()):
            if _OTHER_WORDS.get(word) in allowed:
                return _OTHER_WORDS[word]
    return said[meant] if meant is not None else None


def _not_a_choice(given: Any, expected: str) -> str | None:
    """``'stretchy' is not a choice; write contain or cover``: what was written and the choices as a
    project file writes them, where pydantic's "Input should be 'contain' or 'cover'" named neither
    the value nor what to do; None where ``expected`` names no choices."""
    allowed = re.findall(r"'([^']*)'", expected)
    if not allowed:
        return None
    choices = (
        " or ".join(allowed) if len(allowed) <= 2 else f"one of {', '.join(allowed[:-1])} or {allowed[-1]}"
    )
    shown = repr(given) if isinstance(given, str) else json.dumps(given, default=str)
    return f"{shown} is not a choice; write {choices}"


#: Words for a choice that are not spelt like it: a text "in the middle" is ``position: center``.
_OTHER_WORDS = {"middle": "center", "centered": "center", "crossfade": "dissolve", "none": "cut"}


#: What a required field holds, by name (a scene's by its own), where "X is required" alone left it a guess.
_REQUIRED = {
    "title": ": the film's name, such as title: Night Drive",
    "duration": ": the scene's length in seconds, such as duration: 2.0",
    "text": ": the words the title card shows, such as text: Chapter One",
    "export.texts.end": ": the second of the film at which the text disappears, such as end: 3.0",
    "export.texts.text": ": the words shown over the film, such as text: Night falls",
    "export.watermark.image": ": the picture (a logo) laid over every frame, such as image: assets/logo.png",
    "soundtrack.file": ": the music under the film, such as file: assets/music.mp3",
}


#: A number with its unit after it (``2s``, ``24 fps``, ``256px``): YAML reads it as text.
_WITH_UNIT = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*([a-zA-Z%]+)\s*")


def _unit_hint(given: Any) -> str:
    """How to write ``duration: 2s`` so it reads: "unable to parse string as a number" said not why."""
    found = _WITH_UNIT.fullmatch(given) if isinstance(given, str) else None
    if found:
        return f"; write the number alone, without '{found[2]}': {found[1]}"
    # `duration: 1,5`, a decimal comma as much of Europe writes it: YAML reads that as text
    comma = re.fullmatch(r"\s*([-+]?\d+),(\d+)\s*", given) if isinstance(given, str) else None
    if comma is None:
        return ""
    grouped = f" (or {comma[1]}{comma[2]}, if the comma groups thousands)" if len(comma[2]) == 3 else ""
    return f"; write it with a point, not a comma: {comma[1]}.{comma[2]}{grouped}"


def _too_long(given: Any, most: Any) -> str:
    """How long a text (or how many a list) was given and the most taken, as errors.py says it over HTTP."""
    length = len(given) if isinstance(given, str | list | tuple | dict) else "more"
    unit = "characters" if isinstance(given, str) else "items"
    return f"it has {length:,} {unit}, and at most {most:,} are taken; shorten it"


def _unquoted(value: bool | float | dt.date | dt.time) -> str:
    """Text YAML read as something else: ``text: 1999`` is a number, ``prompt: yes`` a boolean,
    ``text: 2024-05-01`` a date (said "should be text, not datetime.date(2024, 5, 1)", Python's words)."""
    if isinstance(value, bool):
        return (
            f"YAML reads this as the boolean {str(value).lower()}, not text (unquoted yes, no, on, off, "
            f'true and false are booleans); put the text in quotes, such as "{"yes" if value else "no"}"'
        )
    if isinstance(value, dt.date | dt.time):
        return f'YAML reads {value.isoformat()} as a date, not text; put it in quotes: "{value.isoformat()}"'
    return f'YAML reads {value!r} as a number, not text; put it in quotes: "{value}"'


#: The fields that hold a colour (a title card's background and colour, a text's colour).
_COLOURS = frozenset({"background", "colour"})


def _not_a_colour(given: Any) -> str:
    """What a colour field was given instead of a colour: ``background: #ff0000`` unquoted is a YAML
    comment, which was said "is empty; give text after the colon"; ``colour: 0xff0000`` a number, which
    was told to be quoted as "16711680", no colour either."""
    how = 'a name (white) or #rrggbb in quotes, such as "#ff0000"'
    if given is None:
        return f"is empty; give a colour: {how} (YAML reads an unquoted # as the start of a comment)"
    what = (
        "a boolean" if isinstance(given, bool) else "a number" if isinstance(given, int | float) else "a list"
    )
    what = "a mapping" if isinstance(given, dict) else what
    return f"YAML reads {json.dumps(given, default=str)} as {what}, not a colour; give {how}"


def _required(loc: tuple[int | str, ...]) -> bool:
    """Whether the field at ``loc`` must be given (title), or may be left out (defaults.model)."""
    holder = _holder(Project, loc)
    field = holder.model_fields.get(loc[-1]) if holder is not None else None
    return field is None or field.is_required()


def _not_a_mapping(given: Any, loc: list[int | str]) -> str:
    """What a field that wants ``key: value`` lines was given: ``export:`` with every line under it
    commented out is YAML's null, which was said as "not None", a word of Python's."""
    if given is None and loc and isinstance(loc[-1], int):  # a list's `-` with nothing after it
        fields = (
            "the scene's fields (prompt:, duration: ...)"
            if loc[0] == "scenes" and len(loc) == 2
            else "its fields"
        )
        return f"is empty (a '-' with nothing after it); give {fields} or delete the '-'"
    if given is None:
        return "is empty; give its fields on the lines below it, indented (key: value), or delete the line"
    said = f"should be a mapping of fields (key: value), not {given!r}"
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if isinstance(given, str) and (written := _without_colon(given, loc)):
        if name not in _MAIN_WHAT:
            return f"{said}; write {written} (a ':' and a space after the field's name)"
        # `title_card: text of the day` is as likely a card reading that as a `text` missing its ':'
        # (it was told to write "text: of the day" alone): both are said.
        field, rest = _MAIN_FIELD[name]
        return (
            f"{said}; for {_MAIN_WHAT[name]} that reads {given.strip()!r}, write it as "
            f"{{{field}: {_flow_text(given.strip())}{rest}; or, where {given.split()[0]} names the field, "
            f"{written} (a ':' and a space after the field's name)"
        )
    if loc and loc[-1] == "transition" and isinstance(given, str):  # `transition: fade`, the type alone
        return f"{said}; write it as {{type: {given.strip()}, duration: 0.5}}"
    # `title_card: Hello`, `soundtrack: music.mp3`: the one thing such a mapping must hold, its field unnamed.
    if isinstance(given, str) and given.strip() and name in _MAIN_FIELD:
        field, rest = _MAIN_FIELD[name]
        return f"{said}; write it as {{{field}: {_flow_text(given.strip())}{rest}"
    return said


def _without_colon(given: str, loc: list[int | str]) -> str | None:
    """``model: reelgen-micro`` where ``given`` is ``model reelgen-micro``, one of the mapping's fields
    written without its ':' (YAML then reads the lines under the heading as its text); else None."""
    words = given.split()
    known = fields_at(Project, (*loc, ""))
    if len(words) < 2 or words[0] not in known or any(w in known for w in words[1:]):
        return None  # a second field's name: several lines so joined, not one to rewrite as it stands
    return f"{words[0]}: {' '.join(words[1:])}"


#: The field a mapping's lone text belongs under (by the mapping's name, or its list's), and what follows it.
_MAIN_FIELD = {
    "title_card": ("text", "}"),
    "soundtrack": ("file", "}"),
    "watermark": ("image", "}"),
    "loras": ("path", "}"),
    "enhance": ("name", "}"),
    "keyframes": ("image", ", frame: N} (N: the frame of the scene it pins)"),
    "texts": ("text", ", end: N} (N: the second of the film at which it disappears)"),
}


#: What a mapping's lone text would be, where its first word is also a field's name (text, colour).
_MAIN_WHAT = {"title_card": "a card", "texts": "a text over the film"}


def _flow_text(text: str) -> str:
    """``text`` as it can stand inside ``{...}``: quoted where YAML would read it otherwise (``: ``, ``,``, ``#``)."""
    plain = re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#]*", text) and ": " not in text
    return text if plain and not text.endswith(":") else json.dumps(text, ensure_ascii=False)


def _wrong_shape(kind: str, given: Any) -> str:
    """What a field that wants a list (or text) was given instead: a mapping, a list, a word."""
    if given is None:  # `title:` with nothing after it
        return f"is empty; give {'a list' if kind == 'list_type' else 'text'} after the colon"
    what = (
        "a mapping (name: value)"
        if isinstance(given, dict)
        else "a list"
        if isinstance(given, list)
        else repr(given)
    )
    if kind == "list_type":
        return f"should be a list (each item on a line of its own starting with '- ', or [a, b]), not {what}"
    return f"should be text, not {what}; put it in quotes if it holds [ ] {{ }} or ': '"


def _known_fields(loc: tuple[int | str, ...]) -> str:
    """What to write instead of the unknown field at ``loc``: the near name, else every name there."""
    name = str(loc[-1])
    if loc[0] == "scenes" and len(loc) == 3 and name in Defaults.model_fields:
        return f"; a scene takes no {name} of its own: set it for every scene as defaults.{name}"
    known = list(dict.fromkeys(fields_at(Project, loc)))
    field, colon, value = name.partition(":")
    if colon and field.strip() in known:  # `{type:fade}` is one key to YAML, "type:fade"
        return f"; write {field.strip()}: {value.strip()} (YAML needs a space after the ':')"
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if near:
        return f"; did you mean {near[0]}?"
    return f"; known: {', '.join(known)}" if known else ""


def scene_label(data: dict[str, Any], index: int) -> str:
    """``scene 'beach' (scenes[1])``, from raw data that may not validate."""
    scenes = data.get("scenes")
    scene = scenes[index] if isinstance(scenes, list) and index < len(scenes) else None
    name = scene.get("id") if isinstance(scene, dict) else None
    return f"scene {name or f'scene-{index + 1}'!r} (scenes[{index}])"
