"""A prompt (or a folder, a file) that starts with ``-`` read as options, said with the command line that
passes it as what it is."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any


def dash_prompt_hint(exc: Any, message: str, args: Sequence[str]) -> str:
    """``message`` with how to pass ``typed``, a prompt Click took for options.

    ``reelgen submit "-dark night" -m ltx-tiny`` read only "No such option: -d", a flag nobody
    typed. An argument holding a space is no option, so such a one starting with the unknown
    option is the prompt; after ``--`` it is read as it is. So is a word starting with the unknown
    option where a required argument is still wanted: ``reelgen project new -dash`` said only "No such
    option: -d", with nothing of the folder ``-dash`` it was meant to make.
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
    missing = _missing_argument(exc, args) if typed is None else None
    if missing is not None:  # `project new -dash` read only "No such option: -d", and FOLDER went unsaid
        typed = next((a for a in args if a.startswith(option) and not _known(exc, a)), None)
    if typed is None:
        return message
    rest = [a for a in args if a is not typed]
    # The line is printed: a key typed with it is shown as KEY, never echoed.
    rest = ["KEY" if i and rest[i - 1] == "--api-key" else a for i, a in enumerate(rest)]
    rest = ["--api-key=KEY" if a.startswith("--api-key=") else a for a in rest]
    again = shlex.join(["reelgen", *rest, "--", typed])
    what = f"if it is the {missing}, " if missing is not None else ""
    return f"{message}; {typed!r} starts with '-', so it was read as options: {what}put it after --, as in {again}"


def _known(exc: Any, word: str) -> bool:
    """Whether ``word`` (up to any "=") is an option of the command Click was reading."""
    command = getattr(getattr(exc, "ctx", None), "command", None)
    opts = {o for p in getattr(command, "params", ()) for o in (*p.opts, *p.secondary_opts)}
    return word.partition("=")[0] in opts


def _missing_argument(exc: Any, args: Sequence[str]) -> str | None:
    """The name (``NAME``) of the first required argument the words typed leave unfilled, or None.

    A word that starts with '-' and is no option, where such an argument is still wanted, is most
    likely that argument: a folder, a file or a prompt whose name starts with '-'.
    """
    context: Any = getattr(exc, "ctx", None)
    command = getattr(context, "command", None)
    if context is None or command is None:
        return None
    params = list(command.params)
    wanted = [p for p in params if p.param_type_name == "argument" and p.required]
    if not wanted:
        return None
    # This command's words: those after its name (`reelgen project new` is "project", then "new").
    words = list(args)
    for name in str(context.command_path).split()[1:]:
        words = words[words.index(name) + 1 :] if name in words else words
    options = [p for p in params if p.param_type_name == "option"]
    takes_value = {o for p in options if not p.is_flag and not getattr(p, "count", False) for o in p.opts}
    given, skip = 0, False
    for i, word in enumerate(words):
        if skip:
            skip = False
        elif word == "--":
            given += len(words) - i - 1
            break
        elif word.startswith("-") and len(word) > 1:
            skip = word in takes_value  # "--title x": x is the option's value, no argument
        else:
            given += 1
    if given >= len(wanted):
        return None
    return f"{wanted[given].metavar or str(wanted[given].name).upper()} argument"  # as --help names it
