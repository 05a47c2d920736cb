"""`reelgen bench --no-stock-warmup` where it changes nothing is refused before any model loads.

It was taken without a word with no stock variant to skip the warm-up of (`--variants reelgen`) or with
no warm-up to skip (`--warmup-steps 0`): the run went on, and the user believed a row was timed cold.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import bench as core_bench

runner = CliRunner()


@pytest.fixture
def nothing_runs(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The benchmark itself, replaced: each call is recorded, none runs a model."""
    calls: list[object] = []
    monkeypatch.setattr(core_bench, "run", lambda request, options: calls.append(options) or {})
    return calls


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--variants", "reelgen"], "--variants has no stock: add stock to --variants"),
        (["--warmup-steps", "0"], "with --warmup-steps 0 no variant has a warm-up run to skip"),
    ],
)
def test_no_stock_warmup_that_skips_nothing_is_refused(
    nothing_runs: list[object], extra: list[str], said: str
) -> None:
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1", "--no-stock-warmup", *extra])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: --no-stock-warmup") and said in result.output
    assert "Traceback" not in result.output
    assert nothing_runs == []  # refused before the benchmark started


def test_no_stock_warmup_with_a_stock_variant_still_runs(nothing_runs: list[object]) -> None:
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1", "--no-stock-warmup"])
    assert len(nothing_runs) == 1, result.output
    options = nothing_runs[0]
    assert isinstance(options, core_bench.BenchOptions)
    assert options.variants == ("stock", "reelgen") and options.stock_warmup is False
