"""`reelgen models --family` does what its help says: a family by id or name, or the start of model names."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def listed(family: str) -> list[str]:
    result = runner.invoke(app, ["models", "--family", family, "--json"])
    assert result.exit_code == 0, result.output
    return [row["model"] for row in json.loads(result.stdout)]


def test_help_says_a_family_may_be_named_by_id_name_or_the_start_of_model_names() -> None:
    shown = " ".join(runner.invoke(app, ["models", "--help"], env={"COLUMNS": "200"}).output.split())
    assert (
        "Only this family, by id or name (ltx, wan), or the models whose name starts with it (wan22)."
        in shown
    )


def test_each_way_of_naming_lists_what_it_says() -> None:
    assert listed("ltx") == listed("LTX-Video") and "ltx2" not in listed("ltx")
    wan22 = listed("wan22")
    assert wan22 and all(name.startswith("wan22") for name in wan22)
    assert "wan-tiny" not in wan22
