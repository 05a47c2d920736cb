"""One summary per output folder: a batch whose folder holds another batch's ``batch-summary.json`` is refused."""

from __future__ import annotations

import json
from pathlib import Path

from reelgen.core.atomic import name_problem
from reelgen.core.batch.manifest import SUMMARY_FILE, Manifest
from reelgen.core.errors import InvalidRequest

#: How many of the other batch's items the refusal names before "and N more".
_NAMES_SHOWN = 5


def _summary(path: Path) -> dict[str, object] | None:
    """The summary at ``path``, or None when there is no readable one there (nothing to keep)."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


def summary_items(path: Path) -> list[str] | None:
    """The item names a summary lists (finished ones by their video's name less its container),
    or None when there is no readable summary there (nothing to keep)."""
    summary = _summary(path)
    if summary is None:
        return None
    names = [Path(str(v)).stem for v in _listed(summary, "outputs")]
    for status in ("failed", "skipped"):
        names += [str(p.get("output")) for p in _listed(summary, status) if isinstance(p, dict)]
    return names or None


def _listed(summary: dict[str, object], key: str) -> list[object]:
    value = summary.get(key)
    return value if isinstance(value, list) else []


def written_by(path: Path) -> Path | None:
    """The manifest file the summary at ``path`` says wrote it, while that file is still there; else None
    (an older summary, an API batch's with no file, or a manifest renamed since)."""
    summary = _summary(path)
    named = summary.get("manifest") if summary is not None else None
    if not isinstance(named, str) or not named or name_problem(Path(named)):  # no such file can be there
        return None
    return Path(named) if Path(named).is_file() else None


def named_file(folder: Path, name: str | None) -> Path | None:
    """The manifest file a server batch came from: ``name`` in its input folder, as ``reelgen batch
    --server`` sends them; None for a name that is no file there (an API batch named "shots")."""
    if not name or Path(name).name != name or name_problem(folder / name) or not (folder / name).is_file():
        return None
    return (folder / name).resolve()


def check_summary_ours(
    manifest: Manifest, folder: Path, field: str = "output_dir", manifest_file: Path | None = None
) -> None:
    """Refuse, before any work, a batch into a folder whose summary another batch wrote.

    Two manifests (a split batch's halves, whose output_dir is the same ``outputs``) run one after
    the other into one folder each wrote ``batch-summary.json``, and the second's replaced the
    first's without a word. The summary names the manifest file that wrote it: another file is
    another batch, even when the two share an item name (the second remade that clip over the
    first's). The same file, edited or not, is this batch from an earlier run, which the run
    replaces as before. Where either side has no file, a summary that shares an item with this
    manifest is taken for this batch's.
    """
    path = folder / SUMMARY_FILE
    listed = summary_items(path)
    if listed is None:
        return
    other = (
        "--output-dir or output_dir" if field == "output_dir" else f"{field}, or `reelgen batch --output-dir`"
    )
    leave = f"give this batch a folder of its own ({other}), or delete {path} if that batch's summary is no longer wanted"
    wrote = written_by(path)
    ours = {item.stem.lower() for item in manifest.items}
    shared = [name for name in listed if name.lower() in ours]
    if wrote is not None and manifest_file is not None:
        if wrote.resolve() == manifest_file.resolve():
            return
        harm = (
            f"this batch would remake {_names(shared)} over that batch's and replace its summary"
            if shared
            else "this batch's summary would replace it"
        )
        raise InvalidRequest(
            f"{field} {folder}: its {SUMMARY_FILE} is another batch's, written by the manifest {wrote} "
            f"(it lists {_names(listed)}); {harm}; {leave}",
            param=field,
        )
    if shared:
        return
    raise InvalidRequest(
        f"{field} {folder}: its {SUMMARY_FILE} is another batch's (it lists {_names(listed)}; this manifest "
        f"has none of them), and this batch's summary would replace it; {leave}",
        param=field,
    )


def _names(names: list[str]) -> str:
    """The first few of ``names``, and how many more."""
    more = f" and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
    return ", ".join(names[:_NAMES_SHOWN]) + more
