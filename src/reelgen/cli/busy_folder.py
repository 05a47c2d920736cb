"""A server's 409 for an output folder another batch or shoot-out writes in, said as a local run says it (exit 1)."""

from __future__ import annotations

import re

from reelgen.cli.client import again
from reelgen.cli.remote import ServerError

#: The server's words for a folder a job of its own, not yet ended, writes in (api.parent_folder).
_JOB_WRITES = re.compile(
    r"output_folder: (?P<noun>batch|shoot-out) (?P<job>\S+) is still writing (?P<what>.+?) in (?P<folder>.+); "
    r"give another folder, or wait for it to end \(or cancel it\)"
)


def folder_busy(exc: ServerError, server: str, field: str, instead: str) -> ServerError | None:
    """``exc`` said of ``field`` (``output_dir``, ``-o``) with the command that stops the other job, when it
    is the 409 for a folder in use; else None.

    It exited 2, "the request is wrong", where a local batch refused a busy folder exits 1: nothing is
    wrong with the request, it only comes while another writes there. It named ``output_folder``, a
    field of the body this command sends, and told to "cancel it" without saying how. ``instead``: the
    other way on (``set another output_dir (or --output-dir)``).
    """
    if exc.status != 409 or exc.param != "output_folder" or exc.said is None:
        return None
    job = _JOB_WRITES.fullmatch(exc.said)
    if job is not None:
        said = (
            f"{field} {job['folder']}: {job['noun']} {job['job']} on the server is still writing {job['what']} "
            f"there; wait for it to end, or stop it (`reelgen cancel {job['job']}{again(server)}`), or {instead}"
        )
    else:  # another process holds the folder's lock: the words of a local run refused it
        said = exc.said.replace("output_folder", field)
    return ServerError(f"HTTP 409: {said}", 409, bad_input=False, param=field, said=said)
