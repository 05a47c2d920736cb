"""What `reelgen enhance IN` is when it names no file here: a URL, or a server's video id without --server."""

from __future__ import annotations

import re
from pathlib import Path

from reelgen.core.errors import InvalidRequest

#: A job's id as the server makes it (reelgen.jobs: 'video_' and 32 hex digits); the CLI never imports jobs.
VIDEO_ID = re.compile(r"video_[0-9a-f]{32}")


def source_problem(text: str, server: str | None) -> InvalidRequest | None:
    """Why IN can be read neither here nor by the server, or None; both were "file ... does not exist"
    (a URL with its "//" made "/" by the path)."""
    if text == "-" and not Path(text).exists():  # "file - does not exist" read as a file looked for
        return InvalidRequest(
            "input: - (standard input) is not read: enhance reads a video file; save it to a file first",
            param="input",
        )
    if "://" in text:
        also = "" if server is None else ", or give the server's video id"
        return InvalidRequest(
            f"input: {text} is a URL; enhance reads a video file: download it first{also}", param="input"
        )
    if server is None and VIDEO_ID.fullmatch(text) and not Path(text).exists():
        return InvalidRequest(
            f"input: {text} is a server's video id; add --server URL to enhance it there, or give a video file",
            param="input",
        )
    return None
