"""The server's LoRA folder: ``GET /v1/loras`` lists its ``.safetensors`` files, and create bodies name them."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from reelgen.api.deps import authorized, settings_of
from reelgen.api.errors import ApiError
from reelgen.api.schemas import ErrorEnvelope
from reelgen.core.atomic import home_path
from reelgen.core.spec.lora_files import LORA_SUFFIXES, lora_file_problem
from reelgen.core.weight_hashes import known_hashes, known_sha256

SUFFIX = ".safetensors"
#: The names a safetensors LoRA goes by: a ``.sft`` file the CLI takes is one a body may name too.
SUFFIXES = LORA_SUFFIXES
#: The most files a listing walks; a folder this full is a mistake, and a request must stay quick.
MAX_LISTED = 2000
#: How many names an error message lists before it points at GET /v1/loras.
_NAMED = 20

router = APIRouter(
    prefix="/v1",
    tags=["loras"],
    dependencies=[Depends(authorized)],
    responses={401: {"model": ErrorEnvelope, "description": "Missing or wrong API key"}},
)


class LoraFile(BaseModel):
    """One LoRA a create body may name."""

    object: Literal["lora"] = "lora"
    name: str = Field(description="Its path inside the LoRA folder, as `loras[].name` takes it")
    size_bytes: int
    modified_at: int
    sha256: str | None = Field(
        default=None, description="Known once a worker on this machine has applied the file; null until then"
    )
    usable: bool = Field(
        default=True,
        description="Whether a create body naming it is taken; false for a file that is cut short, a Git LFS "
        "pointer or no LoRA at all, which a create naming it is refused for",
    )
    problem: str | None = Field(
        default=None, description="Why it is not usable, as a create naming it is told; null when usable"
    )


class LoraList(BaseModel):
    object: Literal["list"] = "list"
    data: list[LoraFile]
    folder: str = Field(
        description="The folder on the server these files are read from (REELGEN_LORA_DIR), where new ones go"
    )


def lora_names(folder: Path) -> dict[str, Path]:
    """The folder's LoRA files by name (POSIX path inside it), sorted; hidden entries and files that
    resolve outside the folder (a symlink out of it) are left out."""
    root = _root(folder)
    if not root.is_dir():
        return {}
    found: dict[str, Path] = {}
    # Symlinked folders are not followed: what is listed is what lies under the folder itself.
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if file.startswith(".") or not file.lower().endswith(SUFFIXES):
                continue
            path = Path(here) / file
            real = _real(path)
            if real is not None and real.is_relative_to(root) and real.is_file():
                found[path.relative_to(root).as_posix()] = real
            if len(found) >= MAX_LISTED:
                return dict(sorted(found.items()))
    return dict(sorted(found.items()))


def _real(path: Path) -> Path | None:
    """``path`` with every symbolic link followed; None for one that loops.

    pathlib raises RuntimeError for a loop: one such link in the folder made GET /v1/loras and every
    create naming a LoRA a 500.
    """
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _a_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name too long for any folder is none (asking raised a 500)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _root(folder: Path) -> Path:
    """The LoRA folder as it is read: ``~`` expanded, made absolute, its links followed where they lead."""
    path = home_path(str(folder)).absolute()
    return _real(path) or path


def _listing(names: dict[str, Path], folder: Path) -> str:
    if not names:
        root = home_path(str(folder))
        if root.exists() and not root.is_dir():  # "put them in it" was no help: nothing goes into a file
            return (
                "the server's LoRA folder (REELGEN_LORA_DIR) is a file, not a folder, so it offers no LoRAs; "
                "point REELGEN_LORA_DIR at a folder of .safetensors files"
            )
        yet = "" if root.is_dir() else " (it does not exist yet)"
        return (
            f"the server's LoRA folder holds no .safetensors files{yet}; put them in it "
            "(REELGEN_LORA_DIR, default <reelgen home>/loras)"
        )
    shown = list(names)[:_NAMED]
    more = (
        f" and {len(names) - len(shown)} more (GET /v1/loras lists them)" if len(names) > len(shown) else ""
    )
    return f"valid names: {', '.join(shown)}{more}"


def lora_path(folder: Path, name: str, param: str) -> Path:
    """The file ``name`` in the LoRA folder, or a 400 naming ``param`` and the valid names.

    Only names the listing gives are taken: no absolute path, no ``..``, nothing a symlink leads
    out of the folder to.
    """
    pure = PurePosixPath(name.replace("\\", "/"))
    names = lora_names(folder)
    if pure.is_absolute() or ".." in pure.parts:
        raise ApiError(
            400,
            f"{param} {name!r} must name a file inside the server's LoRA folder, not a path; "
            f"{_listing(names, folder)}",
            param=param,
            code="invalid_value",
        )
    # The same name as a Windows client or a shell writes it (sub\\style, ./style, sub//style) was "no LoRA".
    for said in (name, pure.as_posix()):
        if said in names:
            return names[said]
    # "é" typed (one code point) and "é" in a file name copied from a Mac (e and an accent) look alike.
    alike = {unicodedata.normalize("NFC", listed): path for listed, path in names.items()}
    if unicodedata.normalize("NFC", pure.as_posix()) in alike:
        return alike[unicodedata.normalize("NFC", pure.as_posix())]
    past = _past_the_listing(folder, pure) if len(names) >= MAX_LISTED else None
    if past is not None:  # a folder of thousands: the 2001st file was "no LoRA" though it lay there
        return past
    inside = _files_in(names, pure)
    if inside is not None:  # a training run's output folder: the CLI's --lora DIR names its files too
        raise ApiError(400, f"{param}: {inside}", param=param)
    raise ApiError(400, f"{param}: {_not_listed(folder, pure, name)}; {_listing(names, folder)}", param=param)


def _files_in(names: dict[str, Path], pure: PurePosixPath) -> str | None:
    """Where ``pure`` is a folder inside the LoRA folder holding LoRAs, words naming them; else None.

    A training run's output folder named whole was "no LoRA 'run1' in the server's LoRA folder", and
    its files were lost among the folder's others in the list of valid names."""
    folder = pure.as_posix().rstrip("/")
    if folder in ("", "."):
        return None
    inside = [listed for listed in names if listed.startswith(f"{folder}/")]
    if not inside:
        return None
    shown = ", ".join(inside[:_NAMED]) + (f" and {len(inside) - _NAMED} more" if len(inside) > _NAMED else "")
    return f"{folder!r} is a folder in the server's LoRA folder; name a {SUFFIX} file in it: {shown}"


def _past_the_listing(folder: Path, pure: PurePosixPath) -> Path | None:
    """The file ``pure`` names in a folder too full to list whole, if the listing would take it."""
    root = _root(folder)
    real = _real(root.joinpath(*pure.parts))
    hidden = any(part.startswith(".") for part in pure.parts)
    taken = (
        not hidden and pure.name.lower().endswith(SUFFIXES) and real is not None and real.is_relative_to(root)
    )
    return real if taken and real is not None and _a_file(real) else None


def _not_listed(folder: Path, pure: PurePosixPath, name: str) -> str:
    """Why ``name`` is not a LoRA a body may name: a file of another format, or none at all.

    A .bin or .ckpt in the folder read as "no LoRA 'style.bin'" while the file lay right there.
    """
    from reelgen.core.spec.lora_files import LORA_FORMATS

    root = _root(folder)
    path = root.joinpath(*pure.parts)
    hidden = any(part.startswith(".") for part in pure.parts)  # never listed, so never said to be there
    if hidden or not _a_file(path):
        return f"no LoRA {name!r} in the server's LoRA folder"
    if not (_real(path) or path).is_relative_to(root):
        # It lies right there, so "no LoRA" read as a lie; where the link leads is not said to a client.
        return (
            f"{name!r} in the server's LoRA folder is a symbolic link to a file outside the folder, and only "
            "files inside it are taken; copy the file into the folder"
        )
    if not pure.name.lower().endswith(SUFFIXES):
        return f"{name!r} in the server's LoRA folder is not a {SUFFIX} file; {LORA_FORMATS}"
    return f"no LoRA {name!r} in the server's LoRA folder"


def describe(name: str, path: Path, known: dict[str, str] | None = None) -> LoraFile | None:
    """The listing's entry for one file (``known``: the hash cache, read once for the listing); None when
    it went away since the folder was read."""
    try:
        stat = path.stat()
        digest = known_sha256(path, known)
    except OSError:
        return None
    # The check a create naming it runs (core/spec/input_files.py), so the listing never offers a
    # file that create then refuses: a cut-short copy or a Git LFS pointer was listed as any other.
    problem = lora_file_problem(path)
    return LoraFile(
        name=name,
        size_bytes=stat.st_size,
        modified_at=int(stat.st_mtime),
        sha256=digest,
        usable=problem is None,
        problem=f"{path.name} {problem}" if problem else None,
    )


@router.get("/loras", response_model=LoraList, summary="List the LoRA files a create body may name")
async def list_loras(request: Request) -> LoraList:
    """The ``.safetensors`` (and ``.sft``) files of the server's LoRA folder (``REELGEN_LORA_DIR``), by name.

    A create body applies them with ``loras: [{"name": ..., "strength": 0.8}]``. A file a create would
    refuse (cut short, a Git LFS pointer, no LoRA weights) is listed with ``usable: false`` and the
    ``problem`` a create naming it is told, so a person sees why the file they put there is not taken.
    """

    def read() -> LoraList:
        folder = settings_of(request).lora_dir
        names = lora_names(folder)
        known = known_hashes()
        entries = (describe(name, path, known) for name, path in names.items())
        # As lora_names reads it: "~" expanded and made absolute, so a person can find it.
        return LoraList(data=[entry for entry in entries if entry is not None], folder=str(_root(folder)))

    return await run_in_threadpool(read)
