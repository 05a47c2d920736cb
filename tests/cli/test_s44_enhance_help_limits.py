"""`reelgen enhance --help` gives the limits the checks enforce, so a value it offers is one that works."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.timing import MAX_FACTOR
from reelgen.core.enhance.upscale import LanczosOptions
from reelgen.core.spec.request import GenerationRequest


def _bound(model: type, field: str, kind: str) -> object:
    return next(getattr(m, kind) for m in model.model_fields[field].metadata if hasattr(m, kind))


def test_the_help_names_each_limit_the_checks_hold() -> None:
    # It offered "2, 4 ..." and "any above 1" with no end; 32 and x9 were then refused.
    result = CliRunner().invoke(app, ["enhance", "--help"])
    said = " ".join(result.output.replace("│", " ").split())  # the box and its wrapping undone
    assert result.exit_code == 0
    assert f"2 to {_bound(GenerationRequest, 'interpolate', 'le')} (n frames" in said
    assert f"any above 1, at most {_bound(LanczosOptions, 'scale', 'le'):g})" in said
    assert f"at most {MAX_FACTOR}x it" in said
