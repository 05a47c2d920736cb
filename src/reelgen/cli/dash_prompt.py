"""A prompt that starts with ``-`` read as options, said with the command line that passes it as the prompt."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any


def dash_prompt_hint(exc: Any, message: str, args: Sequence[str]) -> str:
    """``message`` with how to pass ``typed``, a prompt Click took for options.

    ``reelgen submit "-dark night" -m ltx-tiny`` read only "No such option: -d", a flag nobody
    typed. An argument holding a space is no option, so such a one starting with the unknown
    option is the prompt; after ``--`` it is read as it is.
    """
    option = getattr(exc, "option_name", None)
    if not option:
        return message
    # Click names a long option by the whole word up to any "=" ("--- a title card ---" entire), a
    # short one by its first letter; "--negativ=blurry sky" is a mistyped option, not a prompt.
    long = option.startswith("--")
    typed = next(
        (a for a in args if (a == option if long else a.startswith(option)) and any(c.isspace() for c in a)),
        None,
    )
    if typed is None:
        return message
    rest = [a for a in args if a is not typed]
    # The line is printed: a key typed with it is shown as KEY, never echoed.
    rest = ["KEY" if i and rest[i - 1] == "--api-key" else a for i, a in enumerate(rest)]
    rest = ["--api-key=KEY" if a.startswith("--api-key=") else a for a in rest]
    again = shlex.join(["reelgen", *rest, "--", typed])
    return f"{message}; {typed!r} starts with '-', so it was read as options: put it after --, as in {again}"
