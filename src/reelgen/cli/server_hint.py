"""A server option given to a command that runs on this machine, said with the command that queues on a server."""

from __future__ import annotations

from typing import Any

#: The options only the commands talking to a server take.
_SERVER_OPTIONS = ("--server", "--api-key")
#: Each local command's counterpart on a server, as it is typed.
_QUEUED_BY = {
    "generate": 'reelgen submit "PROMPT" --server URL',
    "animate": 'reelgen submit "PROMPT" --image FILE --server URL',
}


def server_hint(exc: Any, message: str) -> str:
    """``message`` with the way to queue the same video on a server, for ``--server`` on ``generate``.

    ``reelgen generate --server http://...`` read "No such option: --server (Possible options:
    --device, --seed)", which left a person looking for a spelling, not for ``reelgen submit``.
    """
    option = getattr(exc, "option_name", None)
    command = getattr(getattr(getattr(exc, "ctx", None), "command", None), "name", None)
    if option not in _SERVER_OPTIONS or command not in _QUEUED_BY:
        return message
    return (
        f"reelgen {command} makes the video here, on this machine, and takes no {option}; to queue it on "
        f"a running `reelgen serve`, use {_QUEUED_BY[command]} instead"
    )
