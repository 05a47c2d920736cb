"""Flags are shown in help as taking no value: ``--quiet, -q`` with no ``<bool>`` after it."""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_MARK = "_reelgen_bare_flags"


def show_flags_bare() -> None:
    """Leave the type column of a flag (``--quiet``, ``--json``, ``--force/--no-force``, ``--help``) empty.

    Typer 0.29 writes every option's type after its names, a flag's as ``<bool>``, as if it took a value:
    ``--json <bool>`` read as ``--json true``, which was then refused as an extra argument ("Got unexpected
    extra argument(s) (true)"). An option that takes a value keeps its ``<int>``, ``<path>`` ... as before.
    """
    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, _MARK, False):  # an older Typer without the column; or done already
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag and not self.count:
            return None
        result: str | None = shown(self, ctx)
        return result

    setattr(display_type_rich, _MARK, True)
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
