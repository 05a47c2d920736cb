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

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelgen.core.atomic import check_writable, home_path, name_problem, staged, write_problem
from reelgen.core.encode import write_json_atomic
from reelgen.core.errors import InvalidRequest
from reelgen.core.flock import hold_flock
from reelgen.core.project.control_chars import check_no_control
from reelgen.core.project.lines import note_line
from reelgen.core.project.model import Project
from reelgen.core.project.problems import validated
from reelgen.core.textfile import check_regular, read_yaml

PROJECT_FILE = "project.yaml"
#: What a project that cannot be written in is told: a copy keeps its clips current (keys count content).
COPY_ELSEWHERE = (
    "copy the project folder to a place you can write to and run the command there (its clips stay current)"
)


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
            # A folder of a project's own (film/clips) was told to make a project there, among its clips.
            outer = None if near else enclosing_project(path.parent)
            # Told only to make a new project beside the one written (project.yml, or a storyboard renamed
            # cut.yaml), which then took over that one's clips and state.json.
            hint = (
                f"{near[0]} is there: name it {PROJECT_FILE}, or give its path ({path.parent / near[0]})"
                if len(near) == 1
                else f"{', '.join(near)} are there: give the path of one (such as {path.parent / near[0]})"
                if near
                else f"{path.parent} is inside the project {outer}: give that folder"
                if outer is not None
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

    def check_writes(self, path: Path, what: str, instead: str = COPY_ELSEWHERE) -> None:
        """``path``, a file reelgen names in the project, can be made: else a refusal of the project.

        A project on a read-only disk was told "project .../windows/KEY/window-000.mp4: ... give a
        path in a folder you can write to", and one whose ``clips`` is a file "... give a path in a
        folder", of a path no one gave; each now names the project, ``what`` it could not write and
        the way on (``instead``).
        """
        problem = write_problem(path)
        if problem is None:
            return
        said = {
            "long": problem.why,
            "folder": f"{path} is a folder; reelgen keeps a file of that name there: move or remove the folder",
            "file": f"{problem.where} is a file, not a folder: reelgen keeps {what} in a folder of that name; "
            "move or rename the file",
            "refused": f"cannot write {what} in {problem.where} ({problem.why}); {instead}",
        }
        raise InvalidRequest(f"project {self.root}: {said[problem.kind]}", param="project")

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
        # Read first: a file that is no YAML at all (``film/music.wav``, tab-completed) was told it was a
        # second storyboard there, and to move into a folder of its own as its project.yaml.
        data = read_yaml(self.file, self.file.name, param="project")
        self._check_one_storyboard()
        try:
            project = validated(data, self.file.name, ", as `reelgen project new NAME` writes them")
        except InvalidRequest as exc:
            raise note_line(exc, self.file) from None
        output = project.export.output
        # A folder in the name would put the film outside exports/ (``..``, an absolute path) or make folders there.
        if output is not None and (output in (".", "..") or "/" in output or "\\" in output):
            refused = InvalidRequest(
                f"export.output: {output!r} must be a file name without a folder: exports go in exports/ "
                "(`reelgen project export -o PATH` writes anywhere)",
                param="export.output",
            )
            raise note_line(refused, self.file)
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
        fd = hold_flock(lock)
    except OSError:
        yield
        return
    try:
        yield
    finally:
        os.close(fd)


def check_names(path: Path, param: str) -> None:
    """Every name along ``path`` fits a folder: a longer one was an internal error (File name too long)."""
    too_long = name_problem(path)
    if too_long:
        raise InvalidRequest(f"{param} {path}: {too_long}", param=param)


TEMPLATE = """\
# A reelgen storyboard. Render the scenes with `reelgen project render .`,
# see what is done with `reelgen project status .`, and make the film with
# `reelgen project export .` (as often as you like: exporting never re-renders).
# Every field: `reelgen project schema` (the guide, docs/storyboards.md, is in reelgen's source).
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


#: The folders reelgen keeps inside a project for its own files: clips, windows, films, server ids.
KEPT = ("clips", "windows", "exports", ".reelgen")


def enclosing_project(root: Path) -> Path | None:
    """The project folder ``root`` lies inside (the nearest parent with a storyboard's project.yaml), if any."""
    return next((p for p in root.parents if _storyboard(p / PROJECT_FILE)), None)


def _storyboard(file: Path) -> bool:
    """Whether ``file`` is a reelgen storyboard: other tools name files project.yaml too, and a folder
    under one of theirs called exports/ was refused as a reelgen project's."""
    try:
        return (
            file.is_file() and re.search(r"^scenes\s*:", file.read_text(errors="replace"), re.M) is not None
        )
    except OSError:
        return False


def new_project(folder: str | Path, title: str | None = None) -> ProjectFolder:
    """Make ``folder`` with a starter project.yaml (three scenes) and its sub-folders."""
    check_no_control(str(folder))  # before resolve: the name as typed, not a path it made
    root = Path(folder).expanduser().resolve()
    check_names(root, "name")
    outer = enclosing_project(root)
    # `project new tiny/clips` quietly made a project among another's clips, which its renders replace.
    if outer is not None and (kept := outer / root.relative_to(outer).parts[0]).name in KEPT:
        raise InvalidRequest(
            f"name {folder}: {kept} holds the clips or films of the project {outer}, which reelgen "
            "writes and removes as it renders and exports; pick a folder outside it",
            param="name",
        )
    file = root / PROJECT_FILE
    if file.exists():
        raise InvalidRequest(f"{file} already exists; edit it, or pick a new name", param="name")
    # A file on the way was told "project .../afile/project.yaml: ... give a path in a folder": of a
    # path and a setting the person never typed.
    there = next((p for p in (root, *root.parents) if p.exists()), root)
    if not there.is_dir():
        raise InvalidRequest(
            f"name {folder}: {there} is a file, not a folder; give the name of a new folder "
            "(or of a folder to start the project in)",
            param="name",
        )
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
