"""A job id no job on the server asked ever had, said as one that may be another server's."""

from __future__ import annotations

import re
from typing import Any

import httpx

#: A 404 of a job id no job here ever had, as ``/v1/videos/{id}`` says it (others say what the job is).
_NO_JOB = re.compile(r"no video '[^']*'")


def unknown_here(resp: httpx.Response, err: dict[str, Any]) -> dict[str, Any] | None:
    """The error ``err`` naming the server asked when it is a 404 of an id no job there ever had, else None.

    An id from another server, or a teammate's, was told only "no video 'ID'", as if mistyped."""
    if resp.status_code != 404 or not _NO_JOB.fullmatch(str(err.get("message") or "")):
        return None
    where = f"{resp.request.url.scheme}://{resp.request.url.netloc.decode()}"
    return {
        **err,
        "message": f"{err['message']} on {where}; one made on another server is found with --server URL",
    }
