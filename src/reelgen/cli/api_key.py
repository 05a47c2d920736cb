"""The ``--api-key`` option of the commands that talk to a server (``REELGEN_API_KEY``)."""

from __future__ import annotations

from typing import Annotated

import typer


class TypedKey(str):
    """A key typed as ``--api-key``, told from one REELGEN_API_KEY gave (a run here refuses only this)."""


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
    source = ctx.get_parameter_source(param.name) if param.name else None
    if value is not None and source is not None and source.name == "COMMANDLINE":
        return TypedKey(value)
    return value


KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--api-key", envvar="REELGEN_API_KEY", callback=_key_given, help="Bearer key the server requires."
    ),
]


def only_with_server(server: str | None, api_key: str | None) -> None:
    """A run here refuses an ``--api-key`` typed for it: it sends no key, and the one typed most likely
    meant a --server left out. REELGEN_API_KEY, set once for every server command, is no mistake here."""
    from reelgen.cli.output import say_error

    if server is None and isinstance(api_key, TypedKey):
        say_error("--api-key is for --server; without --server this runs here and needs no key")
        raise typer.Exit(2)
