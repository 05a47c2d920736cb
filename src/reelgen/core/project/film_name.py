"""A film's default file name from its title: letters of any script kept, only what is unsafe in a file name dropped."""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: The most letters of the title a film's default name keeps (a title may have 300, a file name 255 bytes).
SLUG_LETTERS = 100
#: The most UTF-8 bytes of it: 100 CJK letters are 300 bytes, more than a file name (and its NAME.json) may be.
SLUG_BYTES = 200

#: Latin letters that are no letter plus an accent, so NFKD keeps them whole and ASCII dropped them:
#: ``Œuvre`` was ``uvre``, ``Straße`` ``strae``, ``Søren`` ``sren``.
_LETTERS = str.maketrans(
    {"ß": "ss", "ẞ": "SS", "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l"}
    | {"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "Ħ": "H", "ħ": "h", "ı": "i"}
)

#: Names Windows keeps for devices, whatever follows the first dot: ``con.mp4`` cannot be made there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")}
)

#: The kinds of character a name keeps beyond a-z and 0-9: letters, marks and digits of every script,
#: and symbols (🎬, ♥); every file system reelgen runs on takes them. Punctuation, spaces and control
#: codes are where names break (``/``, ``:``, ``"``, a line break), so each run of them is one ``-``.
_KEPT = ("L", "M", "N", "So", "Sk")
_ZWJ = "\u200d"  # joins emoji into one (👨‍👩‍👧): kept between two kept characters


def _kept(char: str) -> bool:
    if char.isascii():
        return char.isalnum()
    category = unicodedata.category(char)
    return category.startswith(_KEPT[:3]) or category in _KEPT[3:]


def slug(title: str) -> str:
    """``Été à Paris`` is ``ete-a-paris``, ``東京の夜`` stays ``東京の夜``: Latin letters lose their accents,
    every run of punctuation or spaces is one ``-``; cut to ``SLUG_LETTERS`` (and ``SLUG_BYTES``).
    Empty when the title has no letter, digit or symbol ("!!!")."""
    plain = unicodedata.normalize("NFKD", title.translate(_LETTERS).lower())
    kept: list[str] = []
    for char in plain:
        # An accent on a Latin letter goes (as before); a mark of another script is part of its letter.
        if unicodedata.combining(char) and kept and kept[-1].isascii() and kept[-1].isalpha():
            continue
        kept.append(char if _kept(char) or char == _ZWJ else "-")
    text = unicodedata.normalize("NFC", "".join(kept))
    text = re.sub(f"-?{_ZWJ}-?", lambda m: _ZWJ if m[0] == _ZWJ else "-", text)  # a ZWJ beside a cut
    name = re.sub(r"-+", "-", text).strip("-")[:SLUG_LETTERS]
    while len(name.encode()) > SLUG_BYTES:
        name = name[:-1]
    return name.rstrip("-" + _ZWJ)


def film_name(title: str, folder_name: str) -> str:
    """The default name (without suffix) of a film titled ``title`` in the project folder ``folder_name``.

    A title with nothing to keep ("!!!") is named after the folder, with a short tag of the title:
    every such film was ``export.mp4``, each export replacing the last. The ``_`` marks what no title
    gives (a title's runs of punctuation are ``-``), so no film named from a title is replaced either;
    ``con``, ``nul`` ... (devices on Windows) get one too, as ``con_``."""
    name = slug(title)
    if not name:
        tag = hashlib.sha256(title.encode()).hexdigest()[:6]
        return f"{slug(folder_name) or 'film'}_{tag}"
    return f"{name}_" if name in WINDOWS_RESERVED else name
