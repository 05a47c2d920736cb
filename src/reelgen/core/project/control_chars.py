"""A new project's folder name refused when it holds a control character (a line break, a tab), said by name."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from reelgen.core.errors import InvalidRequest

#: The control characters a person may type by accident, as they are called.
_NAMED = {
    "\n": "a line break (\\n)",
    "\r": "a carriage return (\\r)",
    "\t": "a tab (\\t)",
    "\x1b": "an escape (ESC)",
}


def check_no_control(name: str, param: str = "name") -> None:
    """Refuse ``name`` if it holds a control character: ``project new "a<newline>b"`` made a folder
    whose name broke every listing and every command line that showed it."""
    for part in Path(name).parts:
        at = next((i for i, c in enumerate(part) if unicodedata.category(c) == "Cc"), None)
        if at is None:
            continue
        char = part[at]
        said = _NAMED.get(char, f"the control character U+{ord(char):04X}")
        where = f"after {part[:at][-20:]!r}" if at else "first"
        raise InvalidRequest(
            f"name {name!r}: the folder name {part!r} holds {said} {where}; a folder name may hold letters "
            "of any script, digits, spaces and punctuation, but no control characters (line breaks, tabs "
            "and other invisible codes); give the name on one line",
            param=param,
        )
