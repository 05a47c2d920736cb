"""An unknown option said with the option a person most likely meant, or with none when none is near."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: A typed word of up to this many letters is a typo one edit off an option; a longer one, two edits off.
_SHORT_WORD = 5
#: The fewest letters a typed option needs before it is read as the start of longer ones (``--neg``).
_PREFIX_LETTERS = 3
#: The most options one suggestion names.
_MOST = 3
#: Names other tools (diffusers, the HTTP API, other video CLIs) give what an option of reelgen sets:
#: ``--num-frames`` got no answer, though --frames was what it meant. Offered only where the command has it.
_OTHER_NAMES = {
    "negative-prompt": "--negative",
    "num-frames": "--frames",
    "num-inference-steps": "--steps",
    "inference-steps": "--steps",
    "guidance-scale": "--guidance",
    "cfg": "--guidance",
    "start-image": "--image",
    "init-image": "--image",
    "input-reference": "--image",
    "first-image": "--image",
    "last-image": "--end-image",
    "output-file": "--output",
    "out-file": "--output",
}


def near_option(exc: Any, message: str, args: Sequence[str] = ()) -> str:
    """``message`` (Click's "No such option: --x (Possible options: ...)") with reelgen's own suggestion.

    Click offers what difflib finds at a ratio of 0.6: ``--bogus`` got "(Possible options: --gpus)", and
    ``--seeed`` got --seconds beside --seed. Here an option is offered only when the word typed is a typo
    of it (``--widht``: letters swapped, missing, extra or wrong; one edit in a word of up to five letters,
    two in a longer one), its start (``--neg``), a name other tools give it (``--num-frames``), or its
    short form in the other case (``-M``); a long option typed with one dash (``-seed``, which Click read
    as ``-s``) is named with two. Nothing is offered otherwise: the help named after the line lists them all.
    """
    context = getattr(exc, "ctx", None)
    if context is None or message != exc.format_message():  # another hint has said it already
        return message
    typed = getattr(exc, "option_name", None)
    single = _one_dash(args, context)
    if single is not None and (typed is None or (single.startswith(typed) and not typed.startswith("--"))):
        # "-seed" was "No such option: -s"; "-model x" set -m to "odel" and was "unexpected extra argument".
        meant = f"-{single}"
        return f"{exc.message}; did you mean {meant}? ({single} was read as short options; a long one takes two dashes)"
    if not isinstance(typed, str) or not typed.startswith("-"):
        return message
    said = str(exc.message)
    if not typed.startswith("--"):
        near = _short(typed, context)
    else:
        prompt = _prompt_hint(typed, context)
        if prompt:
            return f"{said}; {prompt}"
        options = _long_options(context)
        near = _near(typed, options) or _other_name(typed, options)
    return f"{said}; did you mean {' or '.join(near)}?" if near else said


def _params(context: Any) -> list[Any]:
    return [p for p in context.command.get_params(context) if not getattr(p, "hidden", False)]


def _long_options(context: Any) -> list[str]:
    """The command's ``--`` options a person can see in its help, ``--no-X`` forms too."""
    names: list[str] = []
    for param in _params(context):
        names += [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--") and o not in names]
    return names


def _short(typed: str, context: Any) -> list[str]:
    """``-M`` as ``-m``: a short option in the other case; any other letter is no typo of one."""
    flipped = typed.swapcase()
    shorts = {o for p in _params(context) for o in p.opts if len(o) == 2 and o[0] == "-" and o[1] != "-"}
    return [flipped] if len(typed) == 2 and flipped != typed and flipped in shorts else []


def _one_dash(args: Sequence[str], context: Any) -> str | None:
    """A word typed with one dash that, with two, is one of the command's long options (``-seed``)."""
    options = _long_options(context)
    for arg in args:
        if arg == "--":
            return None  # what follows is no option
        word = arg.partition("=")[0]
        if len(word) > 2 and word[0] == "-" and word[1] != "-" and f"-{word}" in options:
            return word
    return None


def _prompt_hint(typed: str, context: Any) -> str | None:
    """``--prompt`` (or ``--promt``) where the prompt is the command's argument: said how it is given."""
    if _distance(typed[2:].lower(), "prompt") > 1 or "--prompt" in _long_options(context):
        return None
    if not any(
        getattr(p, "name", None) == "prompt" and not p.opts[0].startswith("-") for p in _params(context)
    ):
        return None
    # Every argument in its place, the prompt as an example: ``reelgen animate IMAGE "a red fox in snow"``.
    line = [
        '"a red fox in snow"' if p.name == "prompt" else p.name.upper()
        for p in _params(context)
        if not p.opts[0].startswith("-")
    ]
    return f"the prompt takes no option: give it in quotes, as in {context.command_path} {' '.join(line)} ..."


def _other_name(typed: str, options: list[str]) -> list[str]:
    """The option another tool's name (``--num-frames``, or a typo of one) stands for, if this command has it."""
    word = typed[2:].lower().replace("_", "-")
    for name, option in _OTHER_NAMES.items():
        if option in options and _distance(word, name) <= (1 if len(word) <= _SHORT_WORD else 2):
            return [option]
    return []


def _near(typed: str, options: list[str]) -> list[str]:
    word = typed[2:].lower()
    allowed = 1 if len(word) <= _SHORT_WORD else 2
    by_distance = {o: _distance(word, o[2:].lower()) for o in options}
    best = min(by_distance.values(), default=allowed + 1)
    if best <= allowed:
        near = {o for o, d in by_distance.items() if d == best}
        # "--interpolation" is --interpolator two edits off, but --interpolate three: either may be meant,
        # so past one edit an option one more off that differs only in its last letters is named too.
        near |= {
            o
            for o, d in by_distance.items()
            if best > 1 and d == best + 1 and _same_start(word, o[2:].lower()) >= len(o) - 4
        }
        return sorted(near)[:_MOST]
    if len(word) >= _PREFIX_LETTERS:
        started = sorted(o for o in options if o[2:].lower().startswith(word))
        if len(started) <= _MOST:
            return started
    return []


def _same_start(a: str, b: str) -> int:
    """How many letters ``a`` and ``b`` begin with in common."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: a letter added, dropped or changed, or two side by side swapped (``widht``)."""
    if abs(len(a) - len(b)) > 2:
        return 3  # farther than any typo counted
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]
