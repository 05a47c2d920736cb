"""Projects the server keeps: one folder each under its data directory, written only from what clients upload.

A server never reads a path a client names: a project is made from a posted
project file (YAML or JSON) and the input files uploaded with it, each under
the relative path the project file uses (``assets/music.mp3``). Every path in
the file must stay inside the project's own folder; an absolute path, ``..``
or a LoRA file is refused with the field named. A file is checked in a staging
folder first (planned as a render would plan it), so a bad one changes nothing.

    data/projects/proj_<32 hex>/   project.yaml, the uploads, clips/, windows/, exports/, state.json
                                   server.json: id, times and the project's jobs
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown
from reelgen.api.security import probe_image
from reelgen.core.atomic import write_failed
from reelgen.core.encode import write_json_atomic
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.nul_text import no_nul
from reelgen.core.project.folder import PROJECT_FILE, ProjectFolder
from reelgen.core.project.model import Project
from reelgen.core.project.problems import validated
from reelgen.core.textfile import parse_yaml
from reelgen.jobs.kinds.export import named_files

PROJECT_ID = re.compile(r"^proj_[0-9a-f]{32}$")
SERVER_FILE = "server.json"
#: Names in a project folder that the server writes; an upload or a path in the file may not use them.
RESERVED = frozenset({PROJECT_FILE, "state.json", SERVER_FILE, "clips", "windows", "exports"})
#: The most bytes one folder or file name may hold on the file systems a server runs on.
NAME_MAX = 255


class ProjectNotFound(ReelgenError):
    """No project with this id on this server (the routes answer 404)."""

    code = "not_found"


def read_project(text: str, name: str = "the project file") -> Project:
    """The project file's text (YAML, or JSON, which is YAML too) validated; errors name scene and field."""
    # NUL refused as the CLI's read_yaml refuses it: YAML's `title: "a\0b"` was stored (a 201), and every
    # later read of the file, which does refuse it, showed the project with no title and no scenes.
    data = no_nul(parse_yaml(text, name, param="project"), name)
    return validated(data, name)  # the CLI's rule, no CLI hint


def inside(path: str, param: str) -> str:
    """``path`` as a relative POSIX path inside the project folder, or ``InvalidRequest`` naming ``param``."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if (
        not path
        or "\x00" in path  # no file system takes it; writing one was a 500
        or pure.is_absolute()
        or re.match(r"^[A-Za-z]:", path)
        or any(part in ("..", "") for part in pure.parts)
        # ~ and ~user are a home folder to the project's path reading (ProjectFolder.path): the server's own.
        or pure.as_posix().startswith("~")
    ):
        raise InvalidRequest(
            f"{param}: {path!r} must be a relative path inside the project folder (such as assets/music.mp3), "
            "uploaded with the project file; a server reads no other files",
            param=param,
        )
    if not pure.parts:  # "." is the folder itself: its parts are none, and parts[0] was a 500 (IndexError)
        raise InvalidRequest(
            f"{param}: {path!r} is the project folder itself, not a file; give a file in it (such as "
            "assets/music.mp3), uploaded with the project file",
            param=param,
        )
    longest = max(pure.parts, key=lambda part: len(part.encode()))
    if len(longest.encode()) > NAME_MAX:  # the disk refuses it: writing the upload was a 500 (OSError)
        raise InvalidRequest(
            f"{param}: {shown(longest)} is {len(longest.encode())} bytes long, and a folder or file name "
            f"may have at most {NAME_MAX}; give a shorter one",
            param=param,
        )
    if pure.parts[0] in RESERVED:  # inside the folder, but "must be a relative path inside" said it was not
        raise InvalidRequest(
            f"{param}: {path!r} is in a place the server writes itself ({', '.join(sorted(RESERVED))}); "
            "keep inputs elsewhere in the project folder (such as assets/) and name them so in the project file",
            param=param,
        )
    return pure.as_posix()


def wanted_files(project: Project) -> dict[str, str]:
    """The files the project names, relative path -> the field naming it first; refuses what a server cannot read."""
    out: dict[str, str] = {}
    for param, path in named_files(project):
        if ".loras[" in param:
            raise InvalidRequest(
                f"{param}: LoRA files are not taken by the server yet; render this project in process "
                "(`reelgen project render` without --server)",
                param=param,
            )
        out.setdefault(inside(path, param), param)
    if project.export.output is not None and "/" in project.export.output.replace("\\", "/"):
        raise InvalidRequest(
            f"export.output: {project.export.output!r} must be a file name (exports go in exports/)",
            param="export.output",
        )
    return out


def is_image_field(param: str) -> bool:
    """Whether the field naming a file takes an image (start/end images, keyframes, references, watermark)."""
    return param.endswith(("start_image", "end_image", ".image")) or "reference_images[" in param


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ServerProjects:
    """The projects under ``root``; one lock orders changes to them and job starts on them in this process."""

    def __init__(self, root: Path, max_image_pixels: int = 40_000_000) -> None:
        self.root = Path(root)
        self.max_image_pixels = max_image_pixels
        self._lock = threading.RLock()

    @contextmanager
    def changing(self) -> Iterator[None]:
        with self._lock:
            yield

    # ---- reading ---------------------------------------------------------------------------

    def folder(self, project_id: str) -> ProjectFolder:
        if not PROJECT_ID.match(project_id) or not (self.root / project_id / PROJECT_FILE).is_file():
            raise ProjectNotFound(f"no project {shown(project_id)} on this server", param="project_id")
        root = self.root / project_id
        return ProjectFolder(root, root / PROJECT_FILE)

    def ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = [p for p in self.root.iterdir() if PROJECT_ID.match(p.name) and (p / PROJECT_FILE).is_file()]
        return [p.name for p in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)]

    def meta(self, project_id: str) -> dict[str, Any]:
        import json

        folder = self.folder(project_id)
        try:
            data = json.loads((folder.root / SERVER_FILE).read_text())
        except (OSError, ValueError):
            data = {}
        stamp = folder.file.stat().st_mtime
        return {"id": project_id, "created_at": stamp, "updated_at": stamp, "jobs": [], **data}

    def uploads(self, project_id: str) -> list[dict[str, Any]]:
        """The input files the project names, with size and SHA-256 (a client uploads only what differs)."""
        folder = self.folder(project_id)
        out = []
        for rel in sorted(wanted_files(folder.load())):
            path = folder.root / rel
            if path.is_file():
                out.append({"path": rel, "bytes": path.stat().st_size, "sha256": sha256_of(path)})
        return out

    def add_job(self, project_id: str, job_id: str) -> None:
        with self._lock:
            meta = self.meta(project_id)
            meta["jobs"] = [*meta["jobs"], job_id]
            write_json_atomic(self.folder(project_id).root / SERVER_FILE, meta)

    # ---- changing --------------------------------------------------------------------------------

    def create(self, text: str, files: dict[str, bytes]) -> str:
        """A new project from the file's text and its uploads; returns its id. Nothing stays on failure."""
        project_id = f"proj_{uuid.uuid4().hex}"
        with self._lock:
            staging = self._stage(text, files, existing=None)
            now = time.time()
            meta = {"id": project_id, "created_at": now, "updated_at": now, "jobs": []}
            try:
                # Written before the folder becomes the project: a full disk here left a project
                # without its record, listed by nothing and never removed.
                write_json_atomic(staging / SERVER_FILE, meta)
                os.replace(staging, self.root / project_id)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        return project_id

    def update(self, project_id: str, text: str, files: dict[str, bytes]) -> None:
        """Replace the project file (and put new uploads beside it) once the new file checks out."""
        with self._lock:
            folder = self.folder(project_id)
            staging = self._stage(text, files, existing=folder.root)
            try:
                # By the path each was staged at: "assets\\quay.png" (a Windows client's name) is
                # assets/quay.png there, and was looked for under its own name, a 500 (FileNotFoundError).
                for rel in (inside(name, f"files[{name}]") for name in files):
                    target = folder.root / rel
                    _clear_way(folder.root, rel)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / rel, target)
                os.replace(staging / PROJECT_FILE, folder.file)
                meta = self.meta(project_id)
                write_json_atomic(folder.root / SERVER_FILE, {**meta, "updated_at": time.time()})
            finally:
                shutil.rmtree(staging, ignore_errors=True)

    def delete(self, project_id: str) -> None:
        with self._lock:
            folder = self.folder(project_id)
            trash = self.root / f".deleted-{uuid.uuid4().hex}"
            os.replace(folder.root, trash)  # gone at once for readers; removed after
            shutil.rmtree(trash, ignore_errors=True)

    def _stage(self, text: str, files: dict[str, bytes], existing: Path | None) -> Path:
        """A staging folder holding the new file, the uploads and (linked) the files already there, checked."""
        from reelgen.core.project.status import plan_project

        project = read_project(text)
        wanted = wanted_files(project)
        _refuse_file_as_folder(project, wanted)
        uploads: dict[str, bytes] = {}
        for name, data in files.items():
            rel = inside(name, f"files[{name}]")
            if rel in uploads:  # assets//a.png and ./assets/a.png are one file: which to keep was a guess
                raise InvalidRequest(
                    f"files[{name}]: {rel!r} is sent twice; send each file once", param=f"files[{rel}]"
                )
            uploads[rel] = data
        for rel in uploads:
            if rel not in wanted:
                raise InvalidRequest(
                    f"files[{rel}]: the project file names no {rel!r}; {_upload_advice(rel, wanted, uploads)}",
                    param=f"files[{rel}]",
                )
        for rel, param in wanted.items():
            if rel not in uploads and not (existing is not None and (existing / rel).is_file()):
                raise InvalidRequest(
                    f"{_where(project, param)}: {rel} was not sent; send it with the project file",
                    param=param,
                )
            if rel in uploads and is_image_field(param):
                # Checked here, by the name the person wrote: a render would find it unreadable only in
                # a worker's scratch folder, and name that path.
                try:
                    probe_image(uploads[rel], self.max_image_pixels, param=param)
                except ApiError as exc:
                    exc.message = exc.message.replace(f"{param}:", f"{param} ({rel}):", 1)
                    exc.args = (exc.message,)
                    raise
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".staging-{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            for rel in wanted:
                target = staging / rel
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if rel in uploads:
                        target.write_bytes(uploads[rel])
                except OSError as exc:  # a full disk: one line (507), not an internal error
                    if exc.errno == errno.ENAMETOOLONG:  # its names are short, but not all of it together
                        raise InvalidRequest(
                            f"{_where(project, wanted[rel])}: {shown(rel)} is too long a path for the "
                            "server's disk; give a shorter one",
                            param=wanted[rel],
                        ) from None
                    raise write_failed(exc, target) from None
                if rel not in uploads and existing is not None:
                    _link(existing / rel, target)
            (staging / PROJECT_FILE).write_text(text)
            try:
                plan_project(ProjectFolder(staging, staging / PROJECT_FILE), project)
            except ReelgenError as exc:
                exc.message = exc.message.replace(f"{staging}/", "").replace(str(staging), "the project")
                exc.args = (exc.message,)
                raise
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return staging


def _refuse_file_as_folder(project: Project, wanted: dict[str, str]) -> None:
    """Refuses a project file naming one path both as a file and as a folder of another file.

    ``start_image: x`` beside ``start_image: x/y.png`` cannot both be stored: staging them was a
    500 (FileExistsError, or "could not write a file" the other way round), said by no field.
    """
    for rel, param in wanted.items():
        for above in PurePosixPath(rel).parents:
            other = wanted.get(above.as_posix())
            if other is not None:
                raise InvalidRequest(
                    f"{_where(project, param)}: {rel} puts a file inside {above.as_posix()}, but "
                    f"{_where(project, other)} names {above.as_posix()} itself as a file; a path cannot "
                    "be both a file and a folder: rename one of them",
                    param=param,
                )


def _clear_way(root: Path, rel: str) -> None:
    """Removes what an earlier version of the project left where the upload ``rel`` goes.

    A file now used as a folder (``x`` before, ``x/y.png`` now) or a folder now used as a file:
    the new project file names neither (it cannot name both, ``_refuse_file_as_folder``), and no
    GET lists them, yet they made the update a 500 (FileExistsError, IsADirectoryError) that no
    change of the request could get past.
    """
    path = root
    for part in PurePosixPath(rel).parts[:-1]:
        path = path / part
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            path.unlink()
            return
        if not path.exists():
            return
    target = root / rel
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _where(project: Project, param: str) -> str:
    """``param`` as the project file's other errors name a scene's field: ``scene 'pan' (scenes[2]): start_image``."""
    found = re.match(r"scenes\[(\d+)\]\.(.+)", param)
    if not found or int(found[1]) >= len(project.scenes):
        return param
    index = int(found[1])
    return f"scene {project.scene_ids()[index]!r} (scenes[{index}]): {found[2]}"


def _upload_advice(rel: str, wanted: dict[str, str], uploads: dict[str, bytes]) -> str:
    """What to do about an upload the file does not name: most often its folder was left out of its name.

    curl's ``-F files=@assets/music.mp3`` sends the part as ``music.mp3``, so the file the project
    names did come, under the wrong name; "upload only the files it uses" would send the person astray.
    """
    name = PurePosixPath(rel).name
    meant = [w for w in wanted if w not in uploads and PurePosixPath(w).name == name]
    if not meant:
        return "upload only the files it uses"
    return (
        f"it names {meant[0]}: send the part under that name, its path in the project "
        f"(curl: -F 'files=@{meant[0]};filename={meant[0]}')"
    )


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
