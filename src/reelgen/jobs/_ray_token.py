"""Whether a Ray head asks for a token, and joining it with this machine's: Ray's own join does not try.

``ray start --head`` turns token authentication on when the head machine has a
token (``~/.ray/auth_token``, which any earlier ``ray.init()`` there writes).
A process that joins by address (``ray.init(address=...)``, ``ray start
--address``) sends no token unless ``RAY_AUTH_MODE=token`` is set, even with the
same token file at hand: ``reelgen serve`` with ``RAY_ADDRESS`` printed
"InvalidAuthToken" twenty times, then "internal error (ConnectionError ...)";
``reelgen worker`` the same, then Ray's traceback. Here the head is asked once,
without a token and then with this machine's, and token mode is turned on only
where the head asks for it: a node in token mode refuses the calls of peers
that are not.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
from collections.abc import Iterator
from typing import Any

#: How long the head may take to answer; only a refusal of the token counts, so a slow answer
#: leaves the join to Ray, which says what it finds.
ANSWER_S = 1.0
_GET_TOKEN = "the token `ray get-auth-token` prints on the head"
#: gRPC's status code for a method the server does not have (HTTP 404 maps to it as well).
UNIMPLEMENTED = 12


def token_problem(dialled: str, shown: str, unset: str = "", timeout_s: float = ANSWER_S) -> str | None:
    """Why the head at ``dialled`` (host:port as Ray dials it; ``shown`` as the person gave it) will
    not take this machine's token, or None; turns on Ray's token mode where the head asks for it."""
    closed = _unreachable(dialled, shown, unset, timeout_s)
    if closed:
        return closed
    try:
        raylet: Any = importlib.import_module("ray._raylet")  # no type stubs for its classes
        from ray.exceptions import AuthenticationError, RpcError

        gcs, loader, config = (
            raylet.InnerGcsClient,
            raylet.AuthenticationTokenLoader.instance(),
            raylet.Config,
        )
    except (ImportError, AttributeError):  # Ray without token authentication (or moved): it says so itself
        return None

    def admitted() -> bool | None:
        """True: the head takes this machine; False: it asks for another token; None: no GCS there."""
        try:
            with _quiet_stderr():  # Ray's C++ client logs the refusal before raising it
                gcs.standalone(dialled, None, int(timeout_s * 1000))
        except AuthenticationError:
            return False
        except RpcError as exc:
            # A gRPC server without Ray's GCS service (a raylet's or another Ray process's port,
            # another program's) answers UNIMPLEMENTED: Ray's join then retried it for 20 s and
            # ended in "internal error (ConnectionError ...)" (serve) or its traceback (worker).
            return None if getattr(exc, "rpc_code", None) == UNIMPLEMENTED else True
        except Exception:  # noqa: BLE001 - not there, too slow: the join itself says so
            return True
        return True

    answer = admitted()
    if answer is None:
        return _not_a_head(shown, unset)
    if answer:
        return None
    mode = os.environ.get("RAY_AUTH_MODE")
    if mode is not None and mode.lower() != "token":
        return (
            f"the Ray head at {shown} asks for a token, and RAY_AUTH_MODE={mode} here sends none; "
            f"unset RAY_AUTH_MODE (or set it to token) and put {_GET_TOKEN} in ~/.ray/auth_token{unset}"
        )
    if not loader.has_token(ignore_auth_mode=True):
        return (
            f"the Ray head at {shown} asks for a token and this machine has none; put {_GET_TOKEN} "
            f"in ~/.ray/auth_token here (or in RAY_AUTH_TOKEN){unset}"
        )
    if mode is None:
        # As Ray turns it on for a cluster it finds by itself ("auto"); the processes it starts
        # (a worker node's ``ray start``) read the variable, this one its settings read again.
        os.environ["RAY_AUTH_MODE"] = "token"
        config.initialize("")
        loader.reset_cache()
        if admitted():
            return None
    return (
        f"the Ray head at {shown} does not take this machine's token (from RAY_AUTH_TOKEN, "
        f"RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token); give {_GET_TOKEN}{unset}"
    )


def _not_a_head(shown: str, unset: str) -> str:
    """What to say of an address whose gRPC server has no Ray GCS service."""
    return (
        f"{shown} answers gRPC, but not as a Ray head (no GCS there: a raylet's or another Ray "
        f"process's port, or another program's?); give the host:port `ray start --head` printed "
        f"(its GCS), such as 10.0.0.5:6380{unset}"
    )


def _unreachable(dialled: str, shown: str, unset: str, timeout_s: float) -> str | None:
    """Why no connection opens to ``dialled``, or None: Ray's client, given a port no one listens on,
    ignored its timeout and tried for 11 s, and then the check said nothing and left it to the join."""
    host, _, port = dialled.rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except (ValueError, TimeoutError):  # no host:port, or slow to answer: the join says what it finds
        return None
    except OSError as exc:
        return (
            f"cannot reach the Ray cluster at {shown} ({exc.strerror or exc}); start it there with "
            f"`ray start --head --port {port}`{unset}"
        )
    return None


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 to nowhere for the duration: C++ logging writes there, not to ``sys.stderr``."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
