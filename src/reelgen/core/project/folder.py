"""A project on disk: the folder layout, reading and checking project.yaml, and the record of rendered scenes.

my-film/
  project.yaml        the storyboard (the only file a person edits)
  assets/             images and music the project names (any relative path works)
  clips/KEY.mp4       one rendered clip per scene, named by its content key (+ .json record)
  windows/KEY/        windows of a long scene still being rendered (resume from here)
  exports/NAME.EXT    exported films (+ .json record)
  state.json          which key each scene id was last rendered at (tells stale from missing)
"""

from __future__ import annotations

import difflib
import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelgen.core.atomic import check_writable, home_path, name_problem, staged
from reelgen.core.encode import write_json_atomic
from reelgen.core.errors import InvalidRequest, _holder, field_range, fields_at, past_a_number_rule
from reelgen.core.project.model import Defaults, Project
from reelgen.core.textfile import check_regular, read_yaml

PROJECT_FILE = "project.yaml"


@dataclass(frozen=True)
class ProjectFolder:
    """Where a project's file, clips, windows and exports live."""

    root: Path
    file: Path

    @classmethod
    def find(cls, path: str | Path) -> ProjectFolder:
        """The project at ``path``: a folder holding project.yaml, or a .yaml file itself."""
        path = Path(path).expanduser().absolute()
        check_names(path, "project")
        # A project.yaml that links to a file elsewhere stays in its folder: resolved, `render film` and
        # `render film/project.yaml` kept their clips in two folders, each missing the other's.
        path = path.resolve() if path.is_dir() else path.parent.resolve() / path.name
        if path.is_dir():
            path = path / PROJECT_FILE
        if path.exists() and not path.is_file():  # a folder or a FIFO named project.yaml
            check_regular(path, str(path), param="project")
        if not path.is_file():
            near = _storyboards_beside(path) if path.name == PROJECT_FILE else []
            # Told only to make a new project beside the one written (project.yml, or a storyboard renamed
            # cut.yaml), which then took over that one's clips and state.json.
            hint = (
                f"{near[0]} is there: name it {PROJECT_FILE}, or give its path ({path.parent / near[0]})"
                if len(near) == 1
                else f"{', '.join(near)} are there: give the path of one (such as {path.parent / near[0]})"
                if near
                else "make one with `reelgen project new NAME`"
            )
            raise InvalidRequest(f"no project at {path}; {hint}", param="project")
        return cls(path.parent, path)

    @property
    def clips(self) -> Path:
        return self.root / "clips"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    def check_kept(self, sub: Path, what: str) -> None:
        """``sub``, a folder the project keeps ``what`` in, is no file: one named ``clips`` was told
        "give a path in a folder" of a path no one gave, naming the setting ``project`` or ``export.output``."""
        if sub.exists() and not sub.is_dir():
            raise InvalidRequest(
                f"{sub} is a file, not a folder: the project keeps {what} in a folder of that name; move or rename the file",
                param="project",
            )

    def clip(self, key: str) -> Path:
        return self.clips / f"{key}.mp4"

    def work(self, key: str) -> Path:
        """The folder a scene's windows are kept in until its clip is written."""
        return self.root / "windows" / key

    def path(self, value: str) -> str:
        """A path from the project file, absolute: relative ones are taken from the project folder."""
        if not value.strip():  # a blank path was the project folder itself: "film is a folder"
            return value
        path = home_path(value)  # ~nouser/x.png was an internal error
        return str(path if path.is_absolute() else (self.root / path).resolve())

    def load(self) -> Project:
        """project.yaml read and validated; a problem names the scene and field at fault."""
        self._check_one_storyboard()
        data = read_yaml(self.file, self.file.name, param="project")
        if not isinstance(data, dict):
            raise InvalidRequest(f"{self.file.name} must be a mapping (title:, scenes: ...)", param="project")
        try:
            project = Project.model_validate(data)
        except ValidationError as exc:
            raise problem(exc, data) from None
        output = project.export.output
        # A folder in the name would put the film outside exports/ (``..``, an absolute path) or make folders there.
        if output is not None and (output in (".", "..") or "/" in output or "\\" in output):
            raise InvalidRequest(
                f"export.output: {output!r} must be a file name without a folder: exports go in exports/ "
                "(`reelgen project export -o PATH` writes anywhere)",
                param="export.output",
            )
        return project

    # ---- which key each scene was last rendered at ------------------------------------------------

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    def _state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _check_one_storyboard(self) -> None:
        """This file is the storyboard state.json was written for, or that one is gone (renamed).

        Two storyboards in one folder shared clips/ and state.json: rendering one deleted the other's
        clips as its own old ones, and the other then read as stale. A state.json without a file
        name was written for project.yaml.
        """
        owner = self._state().get("file", PROJECT_FILE)
        if not isinstance(owner, str) or Path(owner).name == self.file.name:
            return
        if self.state_file.is_file() and (self.root / Path(owner).name).is_file():
            raise InvalidRequest(
                f"{self.file.name}: the clips and state.json in {self.root} are those of {Path(owner).name}, "
                f"another storyboard there, and rendering one would delete the other's clips; give "
                f"{self.file.name} a folder of its own (as its project.yaml)",
                param="project",
            )

    def rendered_keys(self) -> dict[str, str]:
        scenes = self._state().get("scenes")
        # A hand-edited or damaged state.json (``"scenes": 5``) only tells less: its odd entries are
        # left out, so such a scene shows as missing (never an internal error, never a made-up stale).
        if not isinstance(scenes, dict):
            return {}
        return {str(k): v for k, v in scenes.items() if isinstance(v, str)}

    def mark_rendered(self, scene_id: str, key: str) -> None:
        # Two renders of other scenes side by side each read state.json, added their scene and wrote
        # it back: the later write dropped the earlier's scene, which then read as missing, not stale.
        with _held(self.root / ".reelgen" / "state.lock"):
            keys = self.rendered_keys()
            keys[scene_id] = key
            write_json_atomic(self.state_file, {"file": self.file.name, "scenes": keys})


def _storyboards_beside(path: Path) -> list[str]:
    """The YAML files in ``path``'s folder (at most a few named): a storyboard under another name."""
    try:
        found = sorted(
            p.name for p in path.parent.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
        )
    except OSError:  # a folder that cannot be listed tells nothing more
        return []
    return found[:3]


@contextmanager
def _held(lock: Path) -> Iterator[None]:
    """``lock`` held (waiting for another process that holds it); a folder that takes no lock file goes unlocked."""
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def check_names(path: Path, param: str) -> None:
    """Every name along ``path`` fits a folder: a longer one was an internal error (File name too long)."""
    too_long = name_problem(path)
    if too_long:
        raise InvalidRequest(f"{param} {path}: {too_long}", param=param)


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
    param = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "project"
    kind = first.get("type", "")
    if kind == "missing" and loc == ["scenes"]:
        text = "is required: a list of scenes, each a prompt and a duration or a title_card (docs/storyboards.md)"
    elif kind == "missing":
        text = "is required"
    elif kind == "extra_forbidden":
        text = "is not a known field" + _known_fields(tuple(loc))
    elif kind == "too_short" and loc == ["scenes"]:  # pydantic's "List should have at least 1 item ..."
        text = "the project has none; give at least one (a prompt to render, or a title_card)"
    elif kind in ("model_type", "dict_type"):  # pydantic's words name a Python class (EnhanceStep ...)
        text = _not_a_mapping(first.get("input"), loc)
    elif kind == "string_too_short" and not str(first.get("input", "x")).strip():
        # pydantic's "String should have at least 1 character" of `model: ""`
        text = "is empty; give at least one letter" + ("" if _required(tuple(loc)) else ", or leave it out")
    elif kind == "string_type" and isinstance(first.get("input"), bool | int | float):
        text = _unquoted(first["input"])
    elif kind in (
        "list_type",
        "string_type",
    ):  # pydantic's "Input should be a valid list" said not what it got
        text = _wrong_shape(kind, first.get("input"))
    else:
        text = str(first["msg"]).removeprefix("Value error, ")
        takes = field_range(Project, tuple(loc)) if past_a_number_rule(first) else None
        text += f"; it takes {takes}" if takes else ""  # "finite number" or "at most 3600" said only half
    if kind == "enum":  # "Input should be 'cut', 'fade' ..." lists them; a typo also gets the one it meant
        allowed = re.findall(r"'([^']*)'", str(first.get("ctx", {}).get("expected", "")))
        near = difflib.get_close_matches(str(first.get("input")), allowed, n=1, cutoff=0.6)
        text += f"; did you mean {near[0]}?" if near else ""
    field = param
    if len(loc) >= 2 and loc[0] == "scenes" and isinstance(loc[1], int):
        field = param.removeprefix(f"scenes[{loc[1]}]").lstrip(".")  # empty: the scene itself
        label = scene_label(data, loc[1])
    else:
        label = ""
    if field:
        text = f"{field} {text}" if kind in ("missing", "extra_forbidden") else f"{field}: {text}"
    return InvalidRequest(f"{label}: {text}" if label else text, param=param)


def _unquoted(value: bool | float) -> str:
    """Text YAML read as something else: ``text: 1999`` is a number, ``prompt: yes`` a boolean."""
    if isinstance(value, bool):
        return (
            f"YAML reads this as the boolean {str(value).lower()}, not text (unquoted yes, no, on, off, "
            f'true and false are booleans); put the text in quotes, such as "{"yes" if value else "no"}"'
        )
    return f'YAML reads {value!r} as a number, not text; put it in quotes: "{value}"'


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
    if loc and loc[-1] == "transition" and isinstance(given, str):  # `transition: fade`, the type alone
        return f"{said}; write it as {{type: {given.strip()}, duration: 0.5}}"
    return said


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


TEMPLATE = """\
# A reelgen storyboard. Render the scenes with `reelgen project render .`,
# see what is done with `reelgen project status .`, and make the film with
# `reelgen project export .` (as often as you like: exporting never re-renders).
# Format and every field: docs/storyboards.md.
title: {title}

defaults:
  model: reelgen-micro      # see `reelgen models`; a scene may name another
  seed: 7
  seed_policy: per_scene    # or fixed: every scene uses the same seed

scenes:
  - id: opening
    title_card:
      text: {title}
    duration: 2.0
    transition: {{type: fade, duration: 0.5}}

  - id: first-shot
    prompt: a red circle moves to the right over a green background
    duration: 2.0
    transition: {{type: dissolve, duration: 0.5}}

  - id: second-shot
    prompt: a blue circle slides to the left against a dotted yellow background
    duration: 2.0
    transition: {{type: fade, duration: 0.5}}   # the last scene fades to black

# soundtrack:
#   file: assets/music.mp3
#   volume: 0.6
#   fade_in: 1.0
#   fade_out: 2.0

export:
  container: mp4            # or mov, mkv, or webm (`reelgen project export . -o film.webm` picks webm too)
  # codec: h264             # left out, the container's usual one: h264 in mp4, mov and mkv, vp9 in webm
"""


def _check_title(name: str, given: bool) -> None:
    """The starter file's title, which is its opening card's text too, checks out: a title of more
    than 300 letters, or of letters no font here draws (``日本``), made a project whose first
    ``status`` failed."""
    from reelgen.core.export.text import font, font_for, letters, missing_glyphs

    shown = repr(name if len(name) <= 60 else name[:60] + "...")
    where = f"--title {shown}" if given else f"the folder name {shown} (the title without --title)"
    try:
        Project.model_validate({"title": name, "scenes": [{"title_card": {"text": name}, "duration": 2}]})
    except ValidationError as exc:
        raise InvalidRequest(
            f"{where} cannot be the film's title: {exc.errors()[0]['msg'].removeprefix('Value error, ')}; "
            "give a --title that can",
            param="title",
        ) from None
    try:
        font_for(None, 24, name, "title")
    except InvalidRequest:
        missing = letters(missing_glyphs(font(None, 24, "title"), name))
        raise InvalidRequest(
            f"{where} is the opening title card's text too, and no font on this machine draws {missing}; "
            "give --title in letters it draws (the folder keeps its name), then, to show these on the "
            "card, a title_card font: (a .ttf/.otf that has them)",
            param="title",
        ) from None


def new_project(folder: str | Path, title: str | None = None) -> ProjectFolder:
    """Make ``folder`` with a starter project.yaml (three scenes) and its sub-folders."""
    root = Path(folder).expanduser().resolve()
    check_names(root, "name")
    file = root / PROJECT_FILE
    if file.exists():
        raise InvalidRequest(f"{file} already exists; edit it, or pick a new name", param="name")
    name = title or root.name
    _check_title(name, given=title is not None)
    check_writable(file, param="project", own=True)
    for sub in ("assets", "clips", "exports"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    # All or nothing: a project.yaml cut short by a full disk was then "already exists; edit it".
    with staged(file) as (tmp,):
        # A quoted YAML string the person can read: `title: "Été"`, not "\u00c9t\u00e9".
        tmp.write_text(TEMPLATE.format(title=json.dumps(name, ensure_ascii=False)), encoding="utf-8")
    return ProjectFolder(root, file)
