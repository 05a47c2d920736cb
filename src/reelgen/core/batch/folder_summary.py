"""One summary per output folder: a batch whose folder holds another batch's ``batch-summary.json`` is refused."""

from __future__ import annotations

import json
from pathlib import Path

from reelgen.core.batch.manifest import SUMMARY_FILE, Manifest
from reelgen.core.errors import InvalidRequest

#: How many of the other batch's items the refusal names before "and N more".
_NAMES_SHOWN = 5


def summary_items(path: Path) -> list[str] | None:
    """The item names a summary lists (finished ones by their video's name less its container),
    or None when there is no readable summary there (nothing to keep)."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict):
        return None
    names = [Path(str(v)).stem for v in summary.get("outputs") or []]
    for status in ("failed", "skipped"):
        names += [str(p.get("output")) for p in summary.get(status) or [] if isinstance(p, dict)]
    return names or None


def check_summary_ours(manifest: Manifest, folder: Path, field: str = "output_dir") -> None:
    """Refuse, before any work, a batch into a folder whose summary lists none of its items.

    Two manifests (a split batch's halves, whose output_dir is the same ``outputs``) run one after
    the other into one folder each wrote ``batch-summary.json``, and the second's replaced the
    first's without a word. A summary that shares an item with this manifest is this batch's from
    an earlier run (an item changed, added or removed), which the run replaces as before.
    """
    path = folder / SUMMARY_FILE
    listed = summary_items(path)
    if listed is None:
        return
    ours = {item.stem.lower() for item in manifest.items}
    if any(name.lower() in ours for name in listed):
        return
    shown = ", ".join(listed[:_NAMES_SHOWN]) + (
        f" and {len(listed) - _NAMES_SHOWN} more" if len(listed) > _NAMES_SHOWN else ""
    )
    other = (
        "--output-dir or output_dir" if field == "output_dir" else f"{field}, or `reelgen batch --output-dir`"
    )
    raise InvalidRequest(
        f"{field} {folder}: its {SUMMARY_FILE} is another batch's (it lists {shown}; this manifest has none "
        f"of them), and this batch's summary would replace it; give this batch a folder of its own ({other}), "
        f"or delete {path} if that batch's summary is no longer wanted",
        param=field,
    )
