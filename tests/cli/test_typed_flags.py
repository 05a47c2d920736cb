"""A field's problem is said with the running command's option only when that command has the option."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from reelgen.cli.typed import as_option
from reelgen.core.errors import InvalidRequest


def command_saying(problem: InvalidRequest, *, with_fps: bool) -> str:
    """What ``as_option`` makes of ``problem`` inside a command that has ``--fps`` or not."""
    app = typer.Typer()

    if with_fps:

        @app.command()
        def has_fps(fps: int = typer.Option(16, "--fps")) -> None:
            typer.echo(as_option(problem).message)

    else:

        @app.command()
        def lacks_fps(frames: int = typer.Option(16, "--frames")) -> None:
            typer.echo(as_option(problem).message)

    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_a_field_the_command_has_an_option_for_is_said_as_that_option() -> None:
    problem = InvalidRequest("fps: 500 is above 60", param="fps")
    assert command_saying(problem, with_fps=True) == "--fps: 500 is above 60"


def test_a_field_the_command_sets_itself_keeps_its_name_rather_than_an_option_it_lacks() -> None:
    # avatar and animate have no --fps; telling their users to fix "--fps" names an option they cannot give.
    problem = InvalidRequest("fps: 500 is above 60", param="fps")
    assert command_saying(problem, with_fps=False) == "fps: 500 is above 60"
    bracketed = InvalidRequest("this model needs a start image (start_image)", param=None)
    assert command_saying(bracketed, with_fps=False) == "this model needs a start image (start_image)"
