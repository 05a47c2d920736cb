"""The one rule for what of a URL a log line hides: key-like query values, a user and password, secret path segments."""

from __future__ import annotations

import re
import urllib.parse

HIDDEN = "[hidden]"

#: Words of query parameter names a key is given in (``?token=``, ``?sig=``, ``api_key``,
#: ``accessToken``, ``Authorization``, S3's ``X-Amz-Signature`` and ``X-Amz-Credential``), matched
#: as whole words of the name: a part of a word hid ``?design=`` (sig), ``?author=`` (auth) and
#: ``?max_tokens=`` (token) too, and a log with those hidden is harder to read for nothing.
_KEY_WORDS = frozenset(
    {
        "key", "token", "sig", "signature", "secret", "pass", "passwd", "password", "passphrase",
        "pwd", "auth", "authorization", "bearer", "credential", "credentials", "session", "hmac", "jwt",
    }
)  # fmt: skip
#: Endings of names written as one word (``apikey``, ``refreshtoken``, ``sessionid``).
_KEY_ENDINGS = (
    "apikey", "accesskey", "secretkey", "privatekey", "authkey", "signingkey",
    "token", "secret", "password", "passwd", "signature", "credential", "sessionid",
)  # fmt: skip
#: Whole names only: Azure Functions' ``?code=`` (``zip_code`` or ``codec`` holds no key).
_KEY_NAMES = frozenset({"code"})
#: A name's words: ``X-Amz-Signature`` -> X, Amz, Signature; ``apiKey`` -> api, Key; ``APIKey`` -> API, Key.
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

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
    plain = urllib.parse.unquote(name)
    if plain.lower() in _KEY_NAMES:
        return True
    words = [word.lower() for word in _NAME_WORD.findall(plain)]
    return any(word in _KEY_WORDS or word.endswith(_KEY_ENDINGS) for word in words)


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
