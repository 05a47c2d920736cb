"""A multipart form's file parts a route does not take: a file field that came as text (``curl -F
name=fox.png``, its ``@`` forgotten), and a file part under a name the route has no file field for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown

#: Each file field: a file to show in the example, and where else a form may give it (a URL).
_FIELDS = {
    "input_reference": ("start.png", ", or its URL as input_reference[image_url]"),
    "end_image": ("end.png", ", or its URL as end_reference[image_url]"),
    "source_video": ("clip.mp4", ""),
    "keyframe_images": ("key.png", ", or each image's URL as image_url in its keyframes entry"),
    "image": ("start.png", ", or its URL as image_url"),  # /api/video/animate's
}


def refuse_text_for_files(data: dict[str, Any], files: tuple[str, ...]) -> None:
    """A 400 for the first of the form's file fields ``files`` that came as a text field.

    Such a field was read as the body field of the same name: input_reference "must be an object of
    named fields, not a string", end_image "names files on the server; upload it as the multipart file
    field end_image" (which the client thought it had), keyframe_images "not a known field"."""
    for name in files:
        value = data.get(name)
        if isinstance(value, str):  # input_reference[image_url] and JSON text arrive as objects
            example, or_url = _FIELDS.get(name, ("file", ""))
            raise ApiError(  # a file named by its path, as the server-side fields are: code alike
                400,
                f"{name} came as the text {shown(value)}, not a file; send the file itself as the multipart "
                f"file field {name} (curl -F '{name}=@{example}'){or_url}",
                param=name,
                code="server_side_parameter",
            )


#: An example file for each file field that ``_FIELDS`` does not name (the avatar and enhance routes').
_EXAMPLES = {"audio": "voice.wav", "video": "clip.mp4", "file": "clip.mp4", "files": "assets/music.mp3"}


def file_sent_as_text(name: str, why: str) -> ApiError:
    """The 400 for a file field whose part came with no file name, so was read as text that it is not.

    ``curl -F 'image=<face.png'`` (``<`` for ``@``) and a client that names no file send a picture as a
    text part: it was told "form field 'image' is not utf-8 text ... send form text as UTF-8", advice
    for a prompt, about a field that takes no text at all.
    """
    example = _FIELDS[name][0] if name in _FIELDS else _EXAMPLES.get(name, "file")
    return ApiError(
        400,
        f"{name} came as a text part (no filename in its Content-Disposition), and {why}; {name} is a "
        f"file field: send it as a file part with a file name (curl -F '{name}=@{example}')",
        param=name,
        code="invalid_value",
    )


#: Where a file part a route does not take goes instead, by its name (None: nothing known of it).
FileHint = Callable[[str], str | None]


def create_file_hint(key: str) -> str | None:
    """Where a create's file part goes (a video was told to send its text, as if it were a prompt)."""
    if key in ("file", "video", "input_video"):
        return (
            "a video to follow (video-to-video) is sent as the file field `source_video` "
            "(curl -F 'source_video=@clip.mp4'); to enhance a video, send it to POST /v1/videos/enhance as `file`"
        )
    if key in ("image", "start_image"):
        return (
            "a start image is sent as the file field `input_reference` (curl -F 'input_reference=@start.png')"
        )
    return None


def unknown_file(key: str, file_fields: tuple[str, ...], hint: FileHint | None) -> ApiError:
    """The 400 for a file part ``key`` the route does not take, saying where it goes if known."""
    valid = f"valid: {', '.join(file_fields)}" if file_fields else "this route takes no files"
    # A text field sent as a file (curl -F prompt=@prompt.txt) was told only "unknown".
    text = f"if {key} is a text field, send its text (curl -F '{key}=<file.txt' reads one in)"
    said = (hint(key) if hint else None) or text
    return ApiError(400, f"file field {key!r} is unknown; {valid}; {said}", param=key)
