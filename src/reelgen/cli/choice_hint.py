"""A mistyped choice (``--task t2vv``) gets the nearest valid one, as a mistyped option name does."""

from __future__ import annotations

import difflib
import re

#: Click's words for a value that is not a choice: "'t2vv' is not one of 't2v', 'i2v', 'v2v'."
_NOT_ONE_OF = re.compile(r"'(?P<given>[^']*)' is not one of (?P<choices>'[^']*'(?:, '[^']*')*)\.?\s*$")


def choice_hint(message: str) -> str:
    """``message`` with "; did you mean X?" when it refuses a value close to a choice ``X`` of the option.

    Click lists the choices but leaves the person to spot the one they meant; a value near none of
    them gets no guess, never a wrong one. Other messages come back as they were.
    """
    found = _NOT_ONE_OF.search(message)
    if found is None:
        return message
    choices = re.findall(r"'([^']*)'", found["choices"])
    near = difflib.get_close_matches(found["given"].lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if not near:
        return message
    meant = next(c for c in choices if c.lower() == near[0])
    return f"{message.rstrip().rstrip('.')}; did you mean {meant}?"
