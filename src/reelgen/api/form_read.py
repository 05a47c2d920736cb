"""Reading a multipart or url-encoded body, with Starlette's parser errors told in this API's words."""

from __future__ import annotations

import codecs
from collections.abc import Collection
from contextlib import aclosing
from urllib.parse import unquote_to_bytes

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

from reelgen.api.errors import ApiError
from reelgen.api.form_files import file_sent_as_text

TEXT_FIELD_BYTES = 1024 * 1024
"""The most one text (non-file) form field may hold; file parts are bounded by the upload limit."""


class _NotText(MultiPartException):
    """A form name or text field whose bytes are not text in the body's charset (UTF-8 unless said)."""

    def __init__(self, message: str, param: str | None, why: str = "") -> None:
        super().__init__(message)
        self.param = param
        self.why = why  # "its byte 0 is 0x89 ...": what was wrong, without the field's name


def _text(data: bytes | bytearray, charset: str, field: str | None) -> str:
    """``data`` decoded strictly. Starlette falls back to Latin-1 (multipart) or decodes
    url-encoded bytes as Latin-1 and percent escapes with replacement: ``curl -d 'prompt=café'``
    became the prompt ``cafÃ©`` and ``caf%E9`` became ``caf\ufffd``, each run without a word."""
    try:
        return bytes(data).decode(charset)
    except UnicodeDecodeError as exc:
        what = f"form field {field!r}" if field is not None else "a form field's name"
        why = f"its bytes are not {charset} text (its byte {exc.start} is {bytes(data)[exc.start]:#04x})"
        raise _NotText(
            f"{what} is not {charset} text (its byte {exc.start} is {bytes(data)[exc.start]:#04x}); "
            "send form text as UTF-8 (curl -F and --data-urlencode do)",
            field,
            why,
        ) from None


def _charset(request: Request) -> str:
    """The body's charset (UTF-8 unless the Content-Type names one); one Python has no codec for is a 400."""
    _, params = parse_options_header(request.headers.get("content-type", ""))
    said = params.get(b"charset", b"utf-8")
    name = said.decode("latin-1") if isinstance(said, bytes) else str(said)
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ApiError(
            400, f"the Content-Type's charset {name!r} is not a known text encoding; send the form as UTF-8"
        ) from None


class _StrictMultiPart(MultiPartParser):
    """Starlette's multipart parser with names and text fields decoded strictly."""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._current_part.content_disposition)
        if b"name" in options:
            _text(options[b"name"], self._charset, None)
        super().on_headers_finished()

    def on_part_end(self) -> None:
        if self._current_part.file is None:
            _text(self._current_part.data, self._charset, self._current_part.field_name)
        super().on_part_end()

    def on_end(self) -> None:
        self._ended = True

    async def parse(self) -> FormData:
        """The form, refused when the body stops before its closing boundary: the parser took a cut-off
        body as whole, so a model name cut short ran the default model and a cut image part lost it."""
        self._ended = False
        form = await super().parse()
        if not self._ended:
            await form.close()
            raise MultiPartException("Cut short: the body ended before the form did.")
        return form


class _StrictUrlEncoded(FormParser):
    """Starlette's url-encoded parser with raw and percent-escaped bytes decoded strictly as the charset."""

    charset = "utf-8"

    def on_field_end(self) -> None:
        self._current_fields += 1
        if self._current_fields > self.max_fields:
            raise MultiPartException(f"Too many fields. Maximum number of fields is {self.max_fields}.")
        name = _text(unquote_to_bytes(bytes(self._field_name).replace(b"+", b" ")), self.charset, None)
        raw = unquote_to_bytes(bytes(self._field_value).replace(b"+", b" "))
        self._items.append((name, _text(raw, self.charset, name)))


async def _parse(request: Request, *, max_files: int, max_fields: int) -> FormData:
    """The form as Starlette's ``request.form()`` gives it (and kept there), but text strictly decoded."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    charset = _charset(request)
    async with aclosing(request.stream()) as stream:
        if kind == "multipart/form-data":
            parser: MultiPartParser | FormParser = _StrictMultiPart(
                request.headers,
                stream,
                max_files=max_files,
                max_fields=max_fields,
                max_part_size=TEXT_FIELD_BYTES,
            )
        elif kind == "application/x-www-form-urlencoded":
            parser = _StrictUrlEncoded(
                request.headers, stream, max_fields=max_fields, max_part_size=TEXT_FIELD_BYTES
            )
            parser.charset = charset
        else:
            return FormData()
        form = await parser.parse()
    request._form = form  # noqa: SLF001 - so request.close() closes its files, as request.form() does
    return form


async def read_form(
    request: Request,
    *,
    max_files: int,
    max_fields: int,
    takes: str,
    too_long: str,
    file_fields: Collection[str] = (),
) -> FormData:
    """The parsed form; a body the parser refuses is a 400 saying what was wrong and what is valid.

    ``takes`` names the fields the route reads (for the "too many fields" answer) and ``too_long``
    says what to do with a text field over the limit; a part of ``file_fields`` that came as text
    that is not text is told to come as a file. Starlette
    answers such bodies with its own words ("Part exceeded maximum size of 1024KB.") and no field
    named: a user who pasted a long text into a form box cannot tell which rule was broken.
    """
    try:
        return await _parse(request, max_files=max_files, max_fields=max_fields)
    except _NotText as exc:
        if exc.param is not None and exc.param in file_fields:
            raise file_sent_as_text(exc.param, exc.why) from None
        raise ApiError(400, exc.message, param=exc.param, code="invalid_value") from None
    except MultiPartException as exc:
        raise ApiError(400, _said(exc.message, max_files, max_fields, takes, too_long)) from None


def _said(detail: str, max_files: int, max_fields: int, takes: str, too_long: str) -> str:
    """Starlette's parser message (starlette.formparsers.MultiPartException) in words a user can act on."""
    if detail.startswith("Cut short"):
        return "the form body ends before its closing boundary line: it was cut short; send it whole"
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
