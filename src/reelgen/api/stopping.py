"""A uvicorn server that ends the app's open event streams as soon as it begins to stop."""

from __future__ import annotations

import socket

import uvicorn

from reelgen.api.sse import Wakeups


class StreamEndingServer(uvicorn.Server):
    """``uvicorn.Server`` whose shutdown first tells the app's event streams to end (``Wakeups.stop``).

    uvicorn's shutdown stops accepting, then waits up to ``timeout_graceful_shutdown`` for every open
    response before cancelling it. An event stream ends only with its job, so every Ctrl-C with the
    web page or a ``reelgen watch`` open waited the whole grace; now such streams end at once (a
    comment as their last frame) and their clients reconnect as after any drop. Other requests (an
    upload, a download) still get the grace. Serves any app; one without ``state.wakeups`` as before.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        wakeups = getattr(getattr(self.config.app, "state", None), "wakeups", None)
        if isinstance(wakeups, Wakeups):
            wakeups.stop()
        await super().shutdown(sockets=sockets)
