"""`reelgen models` and `reelgen pull` print a plugin's names as they were typed: no markup, no emoji codes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from rich.console import Console
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli.catalog import model_rows, of_family, print_models
from reelgen.core.spec import registry
from tests.jobs import fakes

runner = CliRunner()

#: Names a plugin may give its models: an emoji code, markup, and a closing tag with nothing to close.
ODD = (":smile:", "[red]x", "a[/]b")


@pytest.fixture
def odd_family() -> Iterator[None]:
    presets = tuple(replace(fakes.PRESET, name=name, family="s45odd", tiny=False) for name in ODD)
    registry.register(replace(fakes.SPEC, family="s45odd", label="Odd [b]fam :thumbs_up:", presets=presets))
    yield
    registry.unregister("s45odd")


@pytest.mark.usefixtures("odd_family")
def test_models_lists_names_holding_markup_or_emoji_codes_as_typed() -> None:
    """ "a[/]b" ended the listing in "closing tag '[/]' ... has nothing to close"; ":smile:" was a face."""
    result = runner.invoke(app, ["models", "--family", "s45odd"])
    assert result.exit_code == 0, result.output
    for name in ODD:
        assert any(line.startswith(f"│ {name} ") for line in result.stdout.splitlines()), result.stdout
    assert "Odd [b]fam :thumbs_up:" in result.stdout and "😄" not in result.stdout


@pytest.mark.usefixtures("odd_family")
def test_the_narrow_listing_prints_them_as_typed_too() -> None:
    narrow = Console(width=40, force_terminal=True, record=True, emoji=False)
    print_models(of_family(model_rows(), "s45odd"), narrow)
    text = narrow.export_text()
    for name in ODD:
        assert any(line.startswith(f"{name}  Odd [b]fam :thumbs_up:") for line in text.splitlines()), text
