"""What a file replay cannot redo is (a batch's summary, a manifest, a film ...), and what makes it again."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from reelgen.core.replay_beside import companion_of

#: What replay takes, said in every refusal of a file that is no such video.
REDO = "replay makes again a video made by generate, animate, avatar, enhance or project render"


def what_it_is(record: dict[str, Any], path: Path) -> str:
    """``record`` (read from ``path``, which replay cannot redo) named, with the command that makes it again."""
    if "export" in record and "segments" in record:
        project = record.get("project")
        # A film a server exported names the server's project file, which is not here.
        here = isinstance(project, str) and Path(project).is_file()
        again = f"reelgen project export {project if here else 'PROJECT'}"
        made = f" (it was exported from {project}, not on this machine)" if project and not here else ""
        return f"a film exported from a project{made}; {REDO}, not a film: run `{again}` to export it again"
    if record.get("kind") == "ken_burns":
        return (
            f"a still image filmed by a batch, with no model; {REDO}: delete it and run its batch "
            "again (`reelgen batch MANIFEST`) to film it again"
        )
    if "trials" in record and "ranking" in record:
        trials = record["trials"] if isinstance(record["trials"], list) else []
        clip = _beside(path, [t.get("clip") for t in trials if isinstance(t, dict)], "clips")
        replay = f"replay one of its clips (`reelgen replay {shlex.quote(str(clip))}`), or " if clip else ""
        return (
            f"a shoot-out's results, not a video; {REDO}: {replay}run `reelgen shootout` with the same "
            "models and prompts to make it again"
        )
    if {"total", "done", "reused"} <= record.keys():
        return f"a batch's summary, not a video; {REDO}: {_batch_again(record, path)}"
    if isinstance(record.get("items"), list) and ("defaults" in record or "version" in record):
        # It was "a record with neither a request nor an enhancement", of a file the person wrote.
        return f"a batch manifest, not a video; {REDO}: run it with `reelgen batch {shlex.quote(str(path))}`"
    if (video := companion_of(path)) is not None:
        return f"a batch item's notes on its video, not its record; replay the video: reelgen replay {video}"
    return f"a record with neither a request nor an enhancement; {REDO}"


def _batch_again(summary: dict[str, Any], path: Path) -> str:
    """How to make a summary's clips again: replay one (looked for beside the summary, where a moved
    folder keeps it), or run its manifest again, named when it is still there.

    It said "run `reelgen batch MANIFEST` to make it again", naming no file though the summary names
    it, and a run again makes only what is not finished, not the clips the summary lists.
    """
    listed = summary.get("outputs")
    clip = _beside(path, listed if isinstance(listed, list) else [])
    named = summary.get("manifest")
    manifest = shlex.quote(named) if isinstance(named, str) and Path(named).is_file() else "MANIFEST"
    replay = f"replay one of its clips (`reelgen replay {shlex.quote(str(clip))}`), or " if clip else ""
    return (
        f"{replay}run `reelgen batch {manifest}` again: it makes the items not finished yet "
        "(delete an item's clip to make that one again)"
    )


def _beside(path: Path, listed: list[Any], folder: str = "") -> Path | None:
    """The first of the clips ``listed`` (recorded by full path) that is in ``path``'s folder (its
    ``folder`` under it) now: the folder may have been moved since, the clips with it."""
    clips = [path.parent / folder / Path(clip).name for clip in listed if isinstance(clip, str) and clip]
    return next((clip for clip in clips if clip.is_file()), None)
