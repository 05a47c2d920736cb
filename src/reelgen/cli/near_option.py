"""An unknown option said with the option a person most likely meant, or with none when none is near."""

from __future__ import annotations

from typing import Any

#: A typed word of up to this many letters is a typo one edit off an option; a longer one, two edits off.
_SHORT_WORD = 5
#: The fewest letters a typed option needs before it is read as the start of longer ones (``--neg``).
_PREFIX_LETTERS = 3
#: The most options one suggestion names.
_MOST = 3


def near_option(exc: Any, message: str) -> str:
    """``message`` (Click's "No such option: --x (Possible options: ...)") with reelgen's own suggestion.

    Click offers what difflib finds at a ratio of 0.6: ``--bogus`` got "(Possible options: --gpus)", and
    ``--seeed`` got --seconds beside --seed. Here an option is offered only when the word typed is a typo
    of it (``--widht``: letters swapped, missing, extra or wrong; one edit in a word of up to five letters,
    two in a longer one) or its start
    (``--neg``), and nothing is offered otherwise: the help named after the line lists them all.
    """
    typed = getattr(exc, "option_name", None)
    context = getattr(exc, "ctx", None)
    if not isinstance(typed, str) or not typed.startswith("--") or context is None:
        return message
    if message != exc.format_message():  # another hint has said it already
        return message
    said = str(exc.message)
    near = _near(typed, _long_options(context))
    return f"{said}; did you mean {' or '.join(near)}?" if near else said


def _long_options(context: Any) -> list[str]:
    """The command's ``--`` options a person can see in its help, ``--no-X`` forms too."""
    names: list[str] = []
    for param in context.command.get_params(context):
        if getattr(param, "hidden", False):
            continue
        names += [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--") and o not in names]
    return names


def _near(typed: str, options: list[str]) -> list[str]:
    word = typed[2:].lower()
    allowed = 1 if len(word) <= _SHORT_WORD else 2
    by_distance = {o: _distance(word, o[2:].lower()) for o in options}
    best = min(by_distance.values(), default=allowed + 1)
    if best <= allowed:
        return sorted(o for o, d in by_distance.items() if d == best)[:_MOST]
    if len(word) >= _PREFIX_LETTERS:
        started = sorted(o for o in options if o[2:].lower().startswith(word))
        if len(started) <= _MOST:
            return started
    return []


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
