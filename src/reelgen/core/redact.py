"""The one rule for what of a URL a log line hides: key-like query values, a user and password, secret path segments."""

from __future__ import annotations

import re
import urllib.parse

HIDDEN = "[hidden]"

#: Parts of the names of query parameters a key is given in (``?token=``, ``?sig=``, ``api_key``,
#: ``access_token``, ``apiKey``, ``Authorization``, S3's ``X-Amz-Signature`` and ``X-Amz-Credential``),
#: and whole names (Azure Functions' ``?code=``). A part, not a list of names: the access log and
#: the webhook lines each kept a list, and each list lacked names the other had.
_KEY_PARTS = ("key", "token", "sig", "secret", "pass", "pwd", "auth", "bearer", "credential", "session")
_KEY_NAMES = ("code", "hmac", "jwt")

#: ``name=value`` after a query's ``?``, ``&`` or ``;``, a fragment's ``#``, or the quote that opens
#: an ASGI scope's query string in its repr (``b'api_key=...'``, logged at uvicorn's trace level).
#: A value ends where the next parameter, the fragment, a space or a closing quote begins.
_QUERY_VALUE = re.compile(r"""([?&;#'])([^=&;#?\s'"]+)=([^&;#?\s'"]*)""")

#: A URL's ``user:password@`` (or the user alone, as a token often is: ``https://TOKEN@host/``).
_USERINFO = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@")

#: A path segment of the secret alphabet, whole: a ``/`` that is not the second of ``://`` (the host
#: follows that one), and no more of a name after it (``report-2024-05-01.json`` is a file name).
_ALPHABET = "A-Za-z0-9_-"
_SEGMENT = re.compile(rf"(?<!:/)/([{_ALPHABET}]{{16,}})(?![{_ALPHABET}~%:@+]|\.[{_ALPHABET}])")


def is_key_name(name: str) -> bool:
    """Whether a query parameter called ``name`` (percent-encoded or not, any case) likely holds a key."""
    lower = urllib.parse.unquote(name).lower()
    return lower in _KEY_NAMES or any(part in lower for part in _KEY_PARTS)


def hide_query_keys(text: str) -> str:
    """``text`` with the value of each key-like query parameter in it ``[hidden]`` (empty ones as they are)."""

    def hide(found: re.Match[str]) -> str:
        if found[3] and is_key_name(found[2]):
            return f"{found[1]}{found[2]}={HIDDEN}"
        return found[0]

    return _QUERY_VALUE.sub(hide, text)


def is_secret_segment(segment: str) -> bool:
    """Whether a URL path segment looks like a token: Slack's ``/services/T…/B…/<24 characters>``,
    Discord's ``/api/webhooks/<id>/<token>``. At least 16 characters of ``[A-Za-z0-9_-]`` that mix
    letters and digits, or 24 or more of them; a word like ``reelgen`` or an all-digit id stays."""
    if len(segment) < 16 or not re.fullmatch(f"[{_ALPHABET}]+", segment):
        return False
    mixed = any(c.isalpha() for c in segment) and any(c.isdigit() for c in segment)
    return mixed or len(segment) >= 24


def hide_url_secrets(text: str) -> str:
    """``text`` with each URL's user and password ``***``, and its secret-looking path segments and
    key-like query values ``[hidden]``; the host and the other segments stay, so an operator can
    tell one receiver from another. For webhook URLs and what is said about them: the server's own
    paths hold 32-character ids that this rule would hide, so its access log hides query keys only."""
    text = _USERINFO.sub(r"\1***@", text)

    def hide(found: re.Match[str]) -> str:
        return f"/{HIDDEN}" if is_secret_segment(found[1]) else found[0]

    return hide_query_keys(_SEGMENT.sub(hide, text))
