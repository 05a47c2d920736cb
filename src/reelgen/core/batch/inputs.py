"""Every keyframe image a manifest names is found before any work, or the batch is refused naming them."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.batch.manifest import Manifest
from reelgen.core.errors import InvalidRequest

#: How many missing images the refusal names after the first, before "and N more".
_ALSO_SHOWN = 3


def image_problem(name: str, base: Path) -> str | None:
    """Why the image ``name`` (relative to ``base``) cannot be a keyframe, or None: ``is empty``,
    ``NAME is a folder`` or ``NAME does not exist``, to follow its field."""
    path = base / Path(name).expanduser()  # expanded after the join, "~/a.png" was never found
    if not name.strip():
        return "is empty; give an image file"
    if path.is_dir():
        return f"{name} is a folder; give an image file"
    if path.exists() and not path.is_file():  # a FIFO was said not to exist (and would block a read)
        return f"{name} is not a regular file (a pipe, socket or device); give an image file"
    if not path.is_file():
        return f"{name} does not exist"
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
    raise InvalidRequest(f"{said}{first}{rest}; fix the paths, or remove those items", param=param)
