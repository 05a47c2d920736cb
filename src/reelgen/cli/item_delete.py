"""What ``reelgen delete`` of a running batch's or shoot-out's item job says: the commands that do it."""

from __future__ import annotations

from reelgen.cli.client import ClientError, again

#: A parent's ``object`` as a person calls it.
_NOUNS = {"batch": "batch", "shootout": "shoot-out"}


def item_of_running(exc: ClientError, job_id: str, server: str) -> ClientError:
    """``exc`` said with this command's words when it is the 409 of an item whose batch or shoot-out still
    runs (its ``error.parent_id``); else ``exc``. The server's words name HTTP routes, which left the
    person to work out which reelgen command deletes the batch."""
    parent, kind = exc.error.get("parent_id"), exc.error.get("parent_object")
    if exc.status != 409 or not isinstance(parent, str) or not isinstance(kind, str):
        return exc
    noun, typed = _NOUNS.get(kind, kind), again(server)
    return ClientError(
        f"HTTP 409: {job_id} is an item of the {noun} {parent}, which is still running and would make it "
        f"again; delete it once the {noun} has ended (reelgen cancel {parent}{typed} ends it now), or "
        f"delete the {noun} with its items: reelgen delete {parent}{typed}",
        409,
        bad_input=True,
    )
