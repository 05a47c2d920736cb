"""Refusals, before any work, of a batch whose files would replace its own manifest or keyframe images."""

from __future__ import annotations

import os
from pathlib import Path

from reelgen.core.batch.manifest import COMPANIONS, SUMMARY_FILE, Manifest
from reelgen.core.errors import InvalidRequest


def check_spares_file(manifest: Manifest, out: Path, kept: Path) -> None:
    """Refuse, before any work, a batch whose files in ``out`` would replace ``kept`` (the manifest
    itself, when the outputs go to its own folder and an item is named after it)."""
    if out.resolve() != kept.resolve().parent:
        return
    name = kept.name.lower()
    if name == SUMMARY_FILE:
        raise InvalidRequest(
            f"the summary ({SUMMARY_FILE}) would replace the manifest {kept}; rename the manifest or set "
            "another output_dir",
            param="output_dir",
        )
    for i, item in enumerate(manifest.items):
        files = [item.file_name, *(f"{item.stem}{end}.json" for end in ("", *COMPANIONS))]
        if name in (f.lower() for f in files):
            raise InvalidRequest(
                f"items[{i}].output {item.output!r} would write {kept.name} over the manifest {kept}; "
                "rename the item or set another output_dir",
                param=f"items[{i}].output",
            )


def check_keyframes_kept(manifest: Manifest, base: Path, out: Path) -> None:
    """Refuse, before any work, a batch an item of which would write over a keyframe image (its own or
    another item's): ``g.gif`` made from ``g.gif`` with outputs beside it replaced the picture, and the
    next run then made the item again from its own output."""
    written: dict[str, tuple[int, str]] = {}
    for i, item in enumerate(manifest.items):
        for name in (item.file_name, *(f"{item.stem}{end}.json" for end in ("", *COMPANIONS)), SUMMARY_FILE):
            written.setdefault(os.path.normcase(out.resolve() / name), (i, name))
    for i, item in enumerate(manifest.items):
        for j, image in enumerate(item.images):
            hit = written.get(os.path.normcase((base / image).expanduser().resolve()))
            if hit is not None:
                writer = "it" if hit[0] == i else f"items[{hit[0]}]"
                raise InvalidRequest(
                    f"items[{i}].images[{j}]: {image} would be replaced by the {hit[1]} {writer} makes in "
                    f"{out}; move or rename the keyframe, rename the item, or set another output_dir",
                    param=f"items[{i}].images[{j}]",
                )
