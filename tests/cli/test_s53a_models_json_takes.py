"""`reelgen models --json` says which models take LoRAs and an end image, as GET /v1/models does.

Only the error of a run that gave --lora or --end-image to a model without them said so.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from reelgen.api.models import describe
from reelgen.cli import app
from reelgen.core.spec import registry

runner = CliRunner()


def rows() -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["models", "--json"])
    assert result.exit_code == 0, result.output
    return {row["model"]: row for row in json.loads(result.stdout)}


def test_each_row_says_what_the_api_says_of_loras_and_end_images() -> None:
    listed = rows()
    for name, (spec, preset) in registry.presets().items():
        card = describe(spec, preset)
        assert (listed[name]["supports_lora"], listed[name]["supports_end_image"]) == (
            card.supports_lora,
            card.supports_end_image,
        ), name


def test_a_model_that_refuses_a_lora_is_listed_as_taking_none() -> None:
    listed = rows()
    assert listed["hunyuan15-tiny"]["supports_lora"] is False
    assert listed["ltx-tiny"]["supports_lora"] is True
    refused = runner.invoke(app, ["generate", "waves", "-m", "hunyuan15-tiny", "--lora", "x.safetensors"])
    assert refused.exit_code == 2, refused.output
    assert listed["wan-flf2v"]["supports_end_image"] is True
    assert listed["wan-1.3b"]["supports_end_image"] is False


def test_help_says_where_to_read_it() -> None:
    said = " ".join(runner.invoke(app, ["models", "--help"], env={"COLUMNS": "200"}).output.split())
    assert (
        "--json also says which models take LoRAs (supports_lora) and an end image (supports_end_image)"
        in said
    )
