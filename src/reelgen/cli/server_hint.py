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
#: What the machine commands are said as, with where a server answers the same question.
_ABOUT_HERE = {
    "models": (
        "lists the models of this machine",
        "a server's models, with whether their weights are there, are at URL/v1/models",
    ),
    "pull": (
        "downloads onto this machine",
        "run it on the machine the server runs on (a server never downloads); URL/v1/models says what it lacks",
    ),
    "info": ("describes this machine", "a server's workers, GPUs and queue are at URL/v1/system"),
}


def server_hint(exc: Any, message: str) -> str:
    """``message`` with the way to do the same on a server, for ``--server`` on a command that runs here.

    ``reelgen generate --server http://...`` read "No such option: --server (Possible options:
    --device, --seed)", which left a person looking for a spelling, not for ``reelgen submit``;
    ``reelgen models --server URL`` said no more than "No such option".
    """
    option = getattr(exc, "option_name", None)
    command = getattr(getattr(getattr(exc, "ctx", None), "command", None), "name", None)
    if option not in _SERVER_OPTIONS:
        return message
    if command in _ABOUT_HERE:
        does, there = _ABOUT_HERE[command]
        return f"reelgen {command} {does} and takes no {option}; {there}"
    if command not in _QUEUED_BY:
        return message
    return (
        f"reelgen {command} makes the video here, on this machine, and takes no {option}; to queue it on "
        f"a running `reelgen serve`, use {_QUEUED_BY[command]} instead"
    )
