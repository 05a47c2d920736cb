"""The ``--api-key`` option of the commands that talk to a server (``REELGEN_API_KEY``)."""

from __future__ import annotations

from typing import Annotated

import typer


def _key_given(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """An empty ``--api-key "$KEY"`` (KEY unset) is bad input; it overrode REELGEN_API_KEY with no key,
    and the server's "requires an API key" read as if the variable had not been read."""
    if value is not None and not value.strip():
        source = ctx.get_parameter_source(param.name) if param.name else None
        if source is not None and source.name == "COMMANDLINE":
            raise typer.BadParameter(
                "it is empty (an unset variable?); give the key, or leave the option out"
            )
        if value:
            # REELGEN_API_KEY=" " sent no key, and the server's "set REELGEN_API_KEY" named a variable
            # that was set. (Click reads REELGEN_API_KEY= , set to nothing, as unset: no key.)
            raise typer.BadParameter(
                "it holds only blanks, which is no key; set it to the key, or unset REELGEN_API_KEY for none"
            )
        return None  # REELGEN_API_KEY set to nothing: no key
    return value


KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--api-key", envvar="REELGEN_API_KEY", callback=_key_given, help="Bearer key the server requires."
    ),
]
