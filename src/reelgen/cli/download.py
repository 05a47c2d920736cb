"""Downloads from a server: a job's file written whole or not at all, a video as a local run leaves it (the
file and ``NAME.json``, replaced together), and the names a download may be written to."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import typer

from reelgen.cli import client as api  # looked up when called: tests put a fake server in api._client
from reelgen.cli.client import ClientError, job_path
from reelgen.jobs.artifacts import SUFFIXES

#: What a download may be: reelgen answers the video as video/mp4, the thumbnail as image/png and the
#: spritesheet as image/jpeg.
CONTENT_TYPES = ("video/", "image/")
#: A download may take any time in all, but a server that stops sending for this long has stalled
#: (with no limit, ``reelgen download`` waited on such a one for ever).
DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, read=120.0)


def fetch_content(
    server: str,
    api_key: str | None,
    video_id: str,
    target: Path,
    variant: str = "video",
    named: str = "output",
) -> None:
    """Stream a finished job's file to ``target``, which appears only once it is complete; a refusal of
    ``target`` calls it ``named`` (``--output`` where it was typed)."""
    from reelgen.core.atomic import check_writable, staged
    from reelgen.core.errors import InvalidRequest, WriteFailed

    if target.is_dir():  # said before asking
        raise ClientError(folder_instead(target, variant, video_id, named), bad_input=True)
    try:
        check_writable(target, named)
    except InvalidRequest as exc:  # found here, before asking the server
        raise ClientError(exc.message, bad_input=True) from None
    try:
        with (
            api._client(server, api_key, timeout=DOWNLOAD_TIMEOUT) as client,
            client.stream("GET", job_path(video_id, "content"), params={"variant": variant}) as resp,
        ):
            if resp.status_code >= 400:
                resp.read()
                api._check(resp)
            if not resp.headers.get("Content-Type", "").startswith(CONTENT_TYPES):
                raise api._not_reelgen(resp)  # a web page saved as fox.mp4 is no download
            # All or nothing: a dropped connection, a full disk or Ctrl-C leaves an earlier file
            # of that name as it was and no part file beside it.
            with staged(target) as (tmp,), tmp.open("wb") as fh:
                for chunk in resp.iter_bytes():
                    fh.write(chunk)
    except httpx.TimeoutException:
        raise ClientError(
            f"download from {server} failed: nothing arrived for {DOWNLOAD_TIMEOUT.read:g} s; "
            f"nothing was written to {target}"
        ) from None
    except httpx.ConnectError as exc:  # never reached: the URL may be the mistake
        raise api.unreachable(server, exc) from None
    except httpx.TransportError as exc:
        raise ClientError(f"download from {server} failed ({exc}); nothing was written to {target}") from None
    except WriteFailed as exc:  # a full disk: one line, not an internal error
        raise ClientError(exc.message) from None


def fetch_with_record(server: str, api_key: str | None, video_id: str, target: Path) -> None:
    """The MP4, and the record it carries as ``NAME.json``, replacing both together as a local run does:
    an earlier ``NAME.json`` left beside the new video described another one (``replay`` remade that)."""
    from reelgen.core.atomic import check_writable, new_file_beside, staged
    from reelgen.core.encode import dump_json, read_metadata
    from reelgen.core.errors import InvalidRequest
    from reelgen.core.record_owner import replaced_note

    sidecar = target.with_suffix(".json")
    try:  # said by the paths typed, before asking: the download goes to a hidden file first
        check_writable(target)
        check_writable(sidecar)
    except InvalidRequest as exc:
        raise ClientError(exc.message, bad_input=True) from None
    # Said as a local run says it: the download's record replaces that of another video beside it
    # (``-o out.mp4`` beside an earlier out.gif took out.gif's out.json without a word).
    if note := replaced_note(target):
        typer.echo(note, err=True)
    download = new_file_beside(target)
    try:
        try:
            fetch_content(server, api_key, video_id, download)
        except ClientError as exc:
            exc.args = (str(exc).replace(str(download), str(target)),)
            raise
        try:
            record: dict[str, Any] | None = read_metadata(download)
        except InvalidRequest:
            record = None
        with staged(*((target, sidecar) if record is not None else (target,))) as temps:
            os.replace(download, temps[0])
            if record is not None:
                dump_json(temps[1], record)
        if record is None:  # a video with no record: the one beside described another video
            sidecar.unlink(missing_ok=True)
    finally:
        download.unlink(missing_ok=True)


def download_path(text: str) -> Path:
    """``download -o`` as typed: an empty name refused while it can still be told from ".".

    Read as a path, "" is ".", so ``-o "$OUT"`` with OUT unset was told "output . is a folder".
    """
    if not text.strip():
        raise typer.BadParameter(
            "it is empty (an unset variable?); give a file name such as fox.mp4, or leave it out for <id>.mp4"
        )
    return Path(text)


def misnamed(path: Path, variant: str, video_id: str, named: str = "output") -> str | None:
    """Why a download of ``variant`` should not be written to ``path``, or None: ``path`` is a folder,
    or its name ends otherwise than the file is (a JPEG spritesheet saved as ``sheet.png``).

    ``named``: what the words call ``path``, ``--output`` where it was typed (``-o x.png`` for a video
    was "output x.png: ...", an option no command has), "output" for the download's own name."""
    from reelgen.core.atomic import name_problem

    too_long = name_problem(path)  # asking the disk of it (is_dir) raised "File name too long": internal
    if too_long:
        return f"{named} {path}: {too_long}"
    ends = SUFFIXES.get(variant)
    if ends is None:
        return None  # an unknown variant: the server says which there are
    if path.is_dir():
        return folder_instead(path, variant, video_id, named)
    if str(path) == "-":  # "-o -", stdout as other tools take it, was told to end its name in .mp4
        return (
            f"{named} -: download writes a file, not to stdout (it is written whole, then renamed); "
            f"give a file name, e.g. -o {video_id}{ends[0]}"
        )
    if path.suffix.lower() not in ends:
        kind = {"video": "an MP4 file", "thumbnail": "a PNG image"}.get(variant, "a JPEG image")
        return f"{named} {path}: the {variant} is {kind}; give a name ending in {' or '.join(ends)}"
    return None


def folder_instead(path: Path, variant: str, video_id: str, named: str = "output") -> str:
    """What to say of a download to ``path``, a folder: the finished file would be renamed onto it."""
    return f"{named} {path} is a folder; give a file path in it, e.g. -o {path / video_id}{SUFFIXES.get(variant, ('.mp4',))[0]}"
