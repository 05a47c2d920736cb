"""Every keyframe image a manifest names is found before any work, or the batch is refused naming them."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image

from reelgen.core.atomic import name_problem
from reelgen.core.batch.manifest import Manifest
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import IMAGE_FORMATS, unnamed

#: How many missing images the refusal names after the first, before "and N more".
_ALSO_SHOWN = 3


def image_problem(name: str, base: Path) -> str | None:
    """Why the image ``name`` (relative to ``base``) cannot be a keyframe, or None: ``is empty``,
    ``NAME is a folder``, ``NAME does not exist`` or ``NAME is not a readable image``, to follow its field."""
    path = base / Path(name).expanduser()  # expanded after the join, "~/a.png" was never found
    if not name.strip():
        return "is empty; give an image file"
    too_long = name_problem(path)  # asking the disk of it (is_dir) raised "File name too long": internal
    if too_long:
        return too_long
    if path.is_dir():
        return f"{name} is a folder; give an image file"
    if path.exists() and not path.is_file():  # a FIFO was said not to exist (and would block a read)
        return f"{name} is not a regular file (a pipe, socket or device); give an image file"
    if not path.is_file():
        return f"{name} does not exist"
    return _unreadable(name, path)


def _unreadable(name: str, path: Path) -> str | None:
    """Why the file ``path`` is no image a keyframe can be, from its header and a check of its data
    (no decoding): a text file named bad.png failed its item only once the others were made."""
    valid = f"valid: {', '.join(sorted(IMAGE_FORMATS))}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                found = img.format
                img.verify()
    except Image.DecompressionBombError:
        return None  # too many pixels: the item says so in words of its own (media.load_image)
    except (OSError, SyntaxError, ValueError) as exc:
        return f"{name} is not a readable image ({unnamed(exc, path)}); {valid}"
    if found not in IMAGE_FORMATS | {"MPO"}:  # MPO: a phone's multi-picture JPEG, as load_image takes
        return f"{name} is in {found} format, which a keyframe cannot be; {valid}"
    return None


def said_of(param: str, problem: str) -> str:
    """``items[1].images[0]: a.png does not exist``, or ``items[1].images[0] is empty; ...``."""
    return f"{param} {problem}" if problem.startswith("is empty") else f"{param}: {problem}"


def check_images_found(manifest: Manifest, base: Path, source: str | None = None) -> None:
    """Refuse, before any work, a manifest naming keyframes that are not there: a mistyped image
    failed its item only once the others were made (exit 1), though the manifest was what was wrong.

    ``source`` (``manifest shots/manifest.json``) starts the message, as the manifest's other errors do.
    """
    found: list[tuple[str, str, str]] = []  # (field, image as written, what is wrong)
    for i, item in enumerate(manifest.items):
        for j, name in enumerate(item.images):
            problem = image_problem(name, base)
            if problem is not None:
                found.append((f"items[{i}].images[{j}]", name, problem))
    if not found:
        return
    param, name, problem = found[0]
    first = said_of(param, problem)
    if problem.endswith("does not exist") and not Path(name).expanduser().is_absolute():
        first += f" in {base} (image paths are relative to the manifest's folder)"
    also = [said_of(p, why) for p, _, why in found[1 : 1 + _ALSO_SHOWN]]
    more = len(found) - 1 - len(also)
    rest = "".join(f"; and {said}" for said in also) + (f"; and {more} more" if more else "")
    said = f"{source}: " if source else ""
    fix = (
        "fix the paths" if all(p.endswith("does not exist") for *_, p in found) else "fix the paths or files"
    )
    raise InvalidRequest(f"{said}{first}{rest}; {fix}, or remove those items", param=param)
