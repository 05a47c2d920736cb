"""Downloads from a server: a video as a local run leaves it (the file and ``NAME.json``, replaced together),
and the names a download may be written to."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reelgen.jobs.artifacts import SUFFIXES


def fetch_with_record(server: str, api_key: str | None, video_id: str, target: Path) -> None:
    """The MP4, and the record it carries as ``NAME.json``, replacing both together as a local run does:
    an earlier ``NAME.json`` left beside the new video described another one (``replay`` remade that)."""
    from reelgen.cli.client import ClientError, fetch_content
    from reelgen.core.atomic import check_writable, new_file_beside, staged
    from reelgen.core.encode import dump_json, read_metadata
    from reelgen.core.errors import InvalidRequest

    sidecar = target.with_suffix(".json")
    try:  # said by the paths typed, before asking: the download goes to a hidden file first
        check_writable(target)
        check_writable(sidecar)
    except InvalidRequest as exc:
        raise ClientError(exc.message, bad_input=True) from None
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


def misnamed(path: Path, variant: str, video_id: str) -> str | None:
    """Why a download of ``variant`` should not be written to ``path``, or None: ``path`` is a folder,
    or its name ends otherwise than the file is (a JPEG spritesheet saved as ``sheet.png``)."""
    ends = SUFFIXES.get(variant)
    if ends is None:
        return None  # an unknown variant: the server says which there are
    if path.is_dir():
        return folder_instead(path, variant, video_id)
    if path.suffix.lower() not in ends:
        kind = {"video": "an MP4 file", "thumbnail": "a PNG image"}.get(variant, "a JPEG image")
        return f"output {path}: the {variant} is {kind}; give a name ending in {' or '.join(ends)}"
    return None


def folder_instead(path: Path, variant: str, video_id: str) -> str:
    """What to say of a download to ``path``, a folder: the finished file would be renamed onto it."""
    return f"output {path} is a folder; give a file path in it, e.g. -o {path / video_id}{SUFFIXES.get(variant, ('.mp4',))[0]}"
