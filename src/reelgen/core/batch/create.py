"""Builds a manifest from a folder of keyframe images and a YAML file of defaults."""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
import zlib
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import ValidationError

from reelgen.core.batch import manifest as manifest_module
from reelgen.core.batch.fields import file_error
from reelgen.core.batch.manifest import (
    COMPANIONS,
    CONTAINERS,
    MANIFEST_VERSION,
    OTHER_VIDEOS,
    SUMMARY_FILE,
    BatchDefaults,
    BatchItem,
    Manifest,
    windows_device,
)
from reelgen.core.encode import write_json_atomic
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import IMAGE_FORMATS
from reelgen.core.spec.request import SEED_LIMIT
from reelgen.core.textfile import read_yaml

#: Files taken as keyframes (by suffix, case-insensitive); anything else in the folder is left alone.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")


def item_seed(base: int | None, output: str) -> int:
    """An item's seed: the base seed mixed with its output name, so adding images does not re-seed others."""
    return ((base or 0) + zlib.crc32(output.encode())) % min(SEED_LIMIT, 2**32)


def read_defaults(path: str | Path | None) -> BatchDefaults:
    """The defaults YAML as ``BatchDefaults``; an unknown or wrong field is named."""
    if path is None:
        return BatchDefaults()
    path = Path(path)
    data: Any = read_yaml(path, f"defaults file {path}", param="defaults") or {}
    if not isinstance(data, dict):
        # "must be a mapping of settings" of a list or a line of text named neither the form nor a setting.
        kinds = {
            list: "a list",
            str: "a line of text",
            int: "a number",
            float: "a number",
            bool: "true or false",
        }
        kind = kinds.get(type(data), f"a single {type(data).__name__}")
        raise InvalidRequest(
            f"defaults file {path} holds {kind}, not settings: write one setting a line, name: value, "
            'e.g. model: ltx-2b and prompt: "{stem}, cinematic" (`reelgen manifest schema` lists '
            "every setting, under BatchDefaults)",
            param="defaults",
        )
    try:
        return BatchDefaults.model_validate(data)
    except ValidationError as exc:
        raise file_error(exc, BatchDefaults, f"defaults file {path}", prefix="defaults.") from None


def plain_name(image: str) -> str:
    """The output name an image's file name gives before any clash: the whole name less its image
    suffix, as a usable name that makes an MP4 (``intro.webm.png`` -> ``intro-webm``)."""
    # Accents dropped, not the letters they sit on: ``Café.png`` was named ``Caf``, ``Ångström`` ``ngstr-m``.
    plain = unicodedata.normalize("NFKD", Path(image).stem).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-._")[:120] or "item"
    # A video's suffix left at the end chose the item's container: ``clip.avi.png`` named an output
    # the manifest refuses (a batch makes no AVI), and ``intro.webm.png`` alone of its folder was made
    # as a WebM named like the video its still came from. Both keep the word: ``clip-avi``, ``intro-webm``.
    if name.lower().endswith(OTHER_VIDEOS + CONTAINERS):
        name = f"{name[: name.rindex('.')]}-{name[name.rindex('.') + 1 :]}"
    if "." in name and windows_device(name):  # ``CON.x`` numbered stays a device (``CON.x-2``): join its word
        name = name.replace(".", "-", 1)
    return name if name[0].isalnum() else f"item-{name}"


def _output_name(image: str, taken: set[str]) -> str:
    """A valid, unused output name from an image's file name; a name taken (case aside) gets ``-2``,
    ``-3`` ... in the order the images are taken (sorted by file name).

    Taken is what an output's files are named by: its stem (``shot.mp4`` and ``shot`` both write
    ``shot.json``). A stem the batch's own files use (``batch-summary``, ``*.motion``,
    ``*.video_meta``) is numbered too: ``manifest create`` died on such an image with an internal error.
    """
    name = plain_name(image)
    candidate, n = name, 2
    while (key := _stem_key(candidate)) in taken or _reserved(key):
        candidate, n = f"{name}-{n}", n + 1
    taken.add(key)
    return candidate


def _reserved(key: str) -> bool:
    """Whether an output's stem is one of the batch's own files (its summary, an item's companions), or a
    Windows device (``CON.png`` made an item the manifest refuses)."""
    return key == Path(SUMMARY_FILE).stem or key.endswith(COMPANIONS) or windows_device(key)


def numbered(manifest: Manifest) -> list[str]:
    """A line for each item ``create_manifest`` numbered, saying why: the name was silently ``shot-2``
    and a person looked for ``shot`` (``shot.png -> shot-2: Shot.jpg is named Shot``)."""
    lines: list[str] = []
    owners: dict[str, tuple[str, str]] = {}  # an output's stem -> the image and the name it was given
    for item in manifest.items:
        if not item.images:
            continue
        image = Path(item.images[0]).name
        name = plain_name(image)
        if item.output != name:
            owner = owners.get(_stem_key(name))
            why = (
                f"{owner[0]} is named {owner[1]} (output names must differ, case aside)"
                if owner
                else f"{name} is a device name on Windows"
                if windows_device(name)
                else f"{name} is a name the batch's own files use"
            )
            lines.append(f"{image} -> {item.output}: {why}")
        owners[_stem_key(item.output)] = (image, item.output)
    return lines


def _stem_key(output: str) -> str:
    """The name an output's files share, as ``Manifest`` compares them: no container suffix, lower case."""
    lower = output.lower()
    return next((lower[: -len(c)] for c in CONTAINERS if lower.endswith(c)), lower)


def create_manifest(
    folder: str | Path, defaults_yaml: str | Path | None = None, *, manifest_dir: str | Path | None = None
) -> Manifest:
    """One item per image in ``folder`` (sorted by name), each with its own seed, under the given defaults.

    Image paths are written relative to ``manifest_dir`` (default ``folder``), the folder the manifest
    will live in: a batch reads them from there.
    """
    folder = Path(folder)
    if not folder.is_dir():
        # "is not a folder of images" said a mistyped folder was the wrong kind, not that it was missing.
        what = "is a file" if folder.exists() else "does not exist"
        raise InvalidRequest(
            f"{folder} {what}; give the folder that holds the keyframe images (e.g. shots/)", param="folder"
        )
    defaults = read_defaults(defaults_yaml)
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    # Hidden files are no keyframes: macOS leaves "._x.JPG" (Finder metadata) beside each photo copied to
    # a shared or FAT drive, and it became an item that failed every batch and pushed x.JPG to "x-2".
    images = [p for p in found if not p.name.startswith(".")]
    if not images:
        hidden = f" (hidden files, named with a leading '.', are left out: {found[0].name})" if found else ""
        raise InvalidRequest(
            f"{folder} holds no images ({', '.join(IMAGE_SUFFIXES)}){hidden}; put the keyframes there",
            param="folder",
        )
    if len(images) > manifest_module.MAX_ITEMS:  # the Manifest refused it as an internal ValidationError
        raise InvalidRequest(
            f"{folder} holds {len(images):,} images; a batch holds at most {manifest_module.MAX_ITEMS:,} "
            "items: split the images over several folders, one manifest each",
            param="folder",
        )
    _check_readable(folder, images)
    home = Path(manifest_dir or folder).resolve()
    taken: set[str] = set()
    items = []
    for image in images:
        output = _output_name(image.name, taken)
        items.append(
            BatchItem(output=output, images=[_from(home, image)], seed=item_seed(defaults.seed, output))
        )
    return Manifest(defaults=defaults, items=items)


def _check_readable(folder: Path, images: list[Path]) -> None:
    """Refuse a folder holding an image file that is none (by its header alone, so 10000 photos are quick):
    a broken ``x.png`` became an item, written without a word, that failed every batch."""
    unreadable = []
    for image in images:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a decompression-bomb warning is the batch's to say
                with Image.open(image) as opened:
                    readable = opened.format in IMAGE_FORMATS | {"MPO"}
        except Image.DecompressionBombError:
            readable = True  # an image, too large: the batch says so of its item, with the limit
        except (OSError, SyntaxError):
            readable = False
        if not readable:
            unreadable.append(image.name)
    if not unreadable:
        return
    names = ", ".join(unreadable[:3]) + (f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else "")
    what = "is not a readable image" if len(unreadable) == 1 else "are not readable images"
    raise InvalidRequest(
        f"{folder}: {names} {what} (valid: {', '.join(sorted(IMAGE_FORMATS))}); move it out of the folder or "
        "replace it: `manifest create` makes an item of every image file there",
        param="folder",
    )


def _from(home: Path, image: Path) -> str:
    """``image`` as a path from ``home`` (``-o`` may put the manifest in another folder than its images);
    absolute where no relative path exists (another drive on Windows)."""
    try:
        return Path(os.path.relpath(image.resolve(), home)).as_posix()
    except ValueError:
        return str(image.resolve())


def write_manifest(manifest: Manifest, path: str | Path) -> Path:
    """Write ``manifest`` as JSON, all or nothing; unset fields are left out so defaults stay visible."""
    data = manifest.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return write_json_atomic(Path(path), {"version": MANIFEST_VERSION, **data})
