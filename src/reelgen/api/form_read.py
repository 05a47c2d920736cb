"""Reading a multipart or url-encoded body, with Starlette's parser errors told in this API's words."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from reelgen.api.errors import ApiError

TEXT_FIELD_BYTES = 1024 * 1024
"""The most one text (non-file) form field may hold; file parts are bounded by the upload limit."""


async def read_form(
    request: Request, *, max_files: int, max_fields: int, takes: str, too_long: str
) -> FormData:
    """The parsed form; a body the parser refuses is a 400 saying what was wrong and what is valid.

    ``takes`` names the fields the route reads (for the "too many fields" answer) and ``too_long``
    says what to do with a text field over the limit. Starlette
    answers such bodies with its own words ("Part exceeded maximum size of 1024KB.") and no field
    named: a user who pasted a long text into a form box cannot tell which rule was broken.
    """
    try:
        return await request.form(max_files=max_files, max_fields=max_fields, max_part_size=TEXT_FIELD_BYTES)
    except HTTPException as exc:
        if exc.status_code != 400:
            raise
        raise ApiError(400, _said(str(exc.detail), max_files, max_fields, takes, too_long)) from None


def _said(detail: str, max_files: int, max_fields: int, takes: str, too_long: str) -> str:
    """Starlette's parser message (starlette.formparsers.MultiPartException) in words a user can act on."""
    if "exceeded maximum size" in detail:
        return f"a text field of the form is over {TEXT_FIELD_BYTES // 1024 // 1024} MiB, the most one may hold; {too_long}"
    if detail.startswith("Too many fields"):
        return f"the form has more than {max_fields} fields; this route takes {takes}"
    if detail.startswith("Too many files"):
        return f"the form has more than {max_files} files; this route takes {takes}"
    if "boundary" in detail:
        return (
            "multipart/form-data without a boundary in its Content-Type header; let the HTTP client "
            "write that header (curl -F, or requests' files=) rather than setting it by hand"
        )
    if "Content-Disposition" in detail:
        return 'a part of the form has no name (its Content-Disposition header needs name="...")'
    return (
        f"the form body could not be read ({detail.rstrip('.')}): it is cut short or not multipart/form-data"
    )
