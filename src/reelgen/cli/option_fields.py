"""The request or export field a command's number option sets, so an option with no ``min``/``max`` of
its own is still told the range the command checks it against."""

from __future__ import annotations

from typing import Any


def field_takes(context: Any, flag: str, error: Any) -> str | None:
    """What the field ``flag`` sets takes (``a number above 0 and at most 240``), for the command of
    ``context``; None where no range is known for it."""
    from reelgen.cli.option_checked import checked_takes
    from reelgen.core.errors import field_range

    command = _command(context)
    own = checked_takes(command, flag)
    if own is not None:
        return own
    model, flags = _model_of(command)
    if model is None:
        return None
    field = next(
        (f for f, typed in flags.items() if typed == flag), flag.removeprefix("--").replace("-", "_")
    )
    if field not in model.model_fields:
        return None
    return field_range(model, (field,), error)


def _command(context: Any) -> str:
    """The command's words after ``reelgen``: ``project export``."""
    words: list[str] = []
    while context is not None and context.parent is not None:
        words.insert(0, str(context.info_name))
        context = context.parent
    return " ".join(words)


def _model_of(command: str) -> tuple[Any, dict[str, str]]:
    """The model whose fields ``command``'s number options set, and its options named otherwise than
    their field. Only commands whose options the model's bounds check are here (submit's and remix's
    by the server's model, the same one); avatar's --fps has its own (10 to 240, ``checked_takes``)."""
    if command in ("generate", "animate", "submit", "remix", "bench", "avatar", "enhance"):
        from reelgen.cli.typed import FLAGS
        from reelgen.core.spec.request import GenerationRequest

        return GenerationRequest, FLAGS
    if command == "project export":
        from reelgen.core.export.settings import ExportSettings

        return ExportSettings, {}
    return None, {}
