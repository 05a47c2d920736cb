"""What a server says of a project export, said as the person's own folder and server put it."""

from __future__ import annotations

import shlex
from typing import Any

from reelgen.cli.client import ClientError
from reelgen.core.project import PROJECT_FILE, ProjectFolder

#: The render the server's words name for a scene to render again, which is this folder's there.
HERE = "`reelgen project render FOLDER "


def rendered_here_only(
    folder: ProjectFolder, server: str, project: dict[str, Any], exc: ClientError
) -> ClientError:
    """``exc``, saying so when the scenes the server lacks are rendered here: clips are not uploaded.

    Else "render them first (`reelgen project render`)" sent the person to a local render that
    has nothing to do.
    """
    from reelgen.core.errors import ReelgenError
    from reelgen.core.project.status import SceneStatus, status

    named = folder.root if folder.file.name == PROJECT_FILE else folder.file
    there_command = f"reelgen project render {shlex.quote(str(named))} --server {server}"
    there = {s["scene_id"] for s in project["scenes"] if s["status"] in ("rendered", "card")}
    try:
        here = [s.scene_id for s in status(folder) if s.status is SceneStatus.RENDERED]
    except ReelgenError:  # the server's answer is the one to show
        return exc
    only_here = [scene_id for scene_id in here if scene_id not in there]
    if exc.status != 400 or not only_here:
        return render_there(exc, there_command)
    # One scene is "it": "pan rendered here, but the server has no clips of them" read as a slip.
    clips, them = ("clips", "them") if len(only_here) > 1 else ("clip", "it")
    head, advice, _ = (exc.said or "").partition("; render them first (")  # the server's: render here
    return ClientError(
        f"{f'HTTP 400: {head}' if advice else exc}; {', '.join(only_here)} rendered here, but the server has "
        f"no {clips} of {them} (clips are not uploaded): render {them} there (`{there_command}`), or export "
        "here without --server",
        exc.status,
    )


def render_there(exc: ClientError, command: str) -> ClientError:
    """``exc`` with the server's "render them first (`reelgen project render`, or POST ...)" said as
    ``command``, which renders the scenes there: the server's words sent the person to render here."""
    said = exc.said or ""
    if HERE in said:  # a clip of the server's that it cannot use is rendered again there
        said = said.replace(HERE, f"`{command} ")
        message = str(exc).replace(HERE, f"`{command} ")
        return ClientError(message, exc.status, param=exc.param, said=said, error=exc.error)
    head, advice, rest = said.partition("; render them first (")
    if exc.status != 400 or exc.param != "scenes" or not advice:
        return exc
    said = f"{head}; render them first (`{command}`)"
    said += ", or export their last renders with --allow-stale" if "allow_stale" in rest else ""
    return ClientError(f"HTTP 400: {said}", exc.status, param=exc.param, said=said, error=exc.error)
