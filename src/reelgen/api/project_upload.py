"""Reading a project create or update: the project file's text and its uploads, from JSON or multipart."""

from __future__ import annotations

import yaml
from fastapi import Request
from starlette.datastructures import UploadFile

from reelgen.api.body_json import load_body
from reelgen.api.errors import ApiError
from reelgen.api.form_read import read_form
from reelgen.api.lengths import shown
from reelgen.core.errors import EMPTY_NAME, unknown_name
from reelgen.core.textfile import save_as_utf8, wide_encoding


def _utf8(data: bytes) -> str:
    """An uploaded project file's text. One not UTF-8 is refused: decoded with replacement, a Latin-1
    ``title: Été`` became ``�t�`` in the film's title and name without a word."""
    if (wide := wide_encoding(data)) is not None:  # was "byte 0: invalid start byte"
        raise ApiError(400, f"project: the project file {save_as_utf8(wide)}", param="project")
    try:
        return data.decode("utf-8-sig")  # a Windows editor's byte-order mark is not text
    except UnicodeDecodeError as exc:
        raise ApiError(
            400,
            f"project: the project file is not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8",
            param="project",
        ) from None


async def read_upload(request: Request) -> tuple[str, dict[str, bytes]]:
    """The project file's text and the uploaded files by relative path, from JSON or multipart."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await read_form(
            request,
            max_files=256,
            max_fields=16,
            takes="a project part and files parts",
            too_long="send the project file as a file part (curl -F project=@project.yaml)",
            file_fields=("files",),
        )
        text: str | None = None
        files: dict[str, bytes] = {}
        for key, value in form.multi_items():
            if key == "project":
                if text is not None:  # which one to keep? Taking the last was a silent guess
                    raise ApiError(400, "project: sent twice; send the project file once", param="project")
                text = _utf8(await value.read()) if isinstance(value, UploadFile) else value
            elif key == "files" and isinstance(value, UploadFile):
                if not value.filename:
                    raise ApiError(
                        400,
                        "files: each upload needs its path in the project as its file name",
                        param="files",
                    )
                name = value.filename
                if name in files:  # two different pictures under one path: the last one won silently
                    raise ApiError(
                        400, f"files[{name}]: sent twice; send each file once", param=f"files[{name}]"
                    )
                files[name] = await value.read()
            else:
                # A part named "" read ": unknown field", the field's name missing from its own message.
                raise ApiError(
                    400,
                    f"{unknown_name(key)}: unknown field; send project and files",
                    param=key or EMPTY_NAME,
                )
        if text is None:
            raise ApiError(400, "project: the project file is missing", param="project")
        return text, files
    if kind in ("application/json", ""):
        data = load_body(await request.body())  # nesting bounded before YAML's writer recurses through it
        project = data.get("project") if isinstance(data, dict) else None
        other = next((str(k) for k in data if k != "project"), None) if isinstance(data, dict) else None
        if other is not None:  # dropped without a word: files sent so were never stored
            # An empty name read ": unknown field"; it is shown as "" and said to be empty.
            name = unknown_name(other) if other.isprintable() and len(other) <= 64 else shown(other)
            raise ApiError(
                400,
                f"{name}: unknown field; a JSON body holds project alone: send input files as "
                "multipart/form-data files parts, each named by its path in the project",
                param=other or EMPTY_NAME,
            )
        if isinstance(project, dict):
            return yaml.safe_dump(project, sort_keys=False), {}
        if isinstance(project, str):
            return project, {}
        raise ApiError(
            400, "project: give the project file's text, or its content as an object", param="project"
        )
    raise ApiError(
        415, f"content type {kind!r} is not accepted; send application/json or multipart/form-data"
    )
