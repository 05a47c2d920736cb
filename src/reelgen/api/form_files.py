"""A multipart form's file field that came as text (``curl -F name=fox.png``, its ``@`` forgotten)."""

from __future__ import annotations

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
