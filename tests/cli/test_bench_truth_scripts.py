"""The benchmark scripts' and `reelgen bench`'s bad arguments: refused before any work, naming what is valid."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

ROOT = Path(__file__).parents[2]
BENCHMARKS = ROOT / "benchmarks"
ENV = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{BENCHMARKS}", "COLUMNS": "400"}


def _run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=cwd,
        timeout=300,
    )


def test_a_misspelt_gpu_core_case_is_refused_before_the_cases_before_it_run(tmp_path: Path) -> None:
    """`gpu_core.py ... ltx8 wan51` ran ltx8 (minutes on a GPU), then died on a KeyError."""
    out = tmp_path / "out"
    done = _run("gpu_core.py", "--out", str(out), "attention", "ltx8", "wan51", cwd=tmp_path)
    assert done.returncode == 2
    assert "error: unknown case 'wan51'; valid: attention, encode" in done.stderr
    assert "wan14-budget" in done.stderr and "Traceback" not in done.stderr and not out.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["esgran"], "error: unknown case 'esgran'; valid: sources, rife, esrgan, rrdb-tiles, chain"),
        (["chain"], "error: case chain needs --chain"),
        ([], "error: case rife needs --rife"),  # the default cases are rife and esrgan
    ],
)
def test_enhance_gpu_refuses_an_unknown_case_or_one_without_its_input(
    tmp_path: Path, args: list[str], said: str
) -> None:
    """A misspelt case wrote a report of the torch version alone; a case without its input died on None."""
    out = tmp_path / "out"
    done = _run("enhance_gpu.py", "--out", str(out), *args, cwd=tmp_path)
    assert done.returncode == 2 and said in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


@pytest.mark.parametrize(
    ("script", "listed"),
    [
        ("gpu_compile_probes.py", "wan14-fp8-fast-2l"),
        ("gpu_fp8_profile.py", "fp8-all-unfused"),
        ("gpu_gelu_cast_variants.py", "gelu-cast-variants.json"),
        ("ltx_time_tiles.py", "usage: ltx_time_tiles.py [-h]"),
    ],
)
def test_a_probe_scripts_help_says_its_arguments_and_runs_nothing(
    tmp_path: Path, script: str, listed: str
) -> None:
    """`--help` made a folder named "--help" and ran the probe: the arguments were read by position."""
    done = _run(script, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: {script}") and listed in done.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("script", "args", "said"),
    [
        (
            "gpu_compile_probes.py",
            ["OUT", "ltx-bf16", "ltx-fp8"],
            "unknown variant 'ltx-fp8'; valid: wan14-bf16-2l",
        ),
        (
            "gpu_fp8_profile.py",
            ["OUT", "2", "lossless,fp8"],
            "unknown variant 'fp8'; valid: lossless, fp8-attention",
        ),
        ("gpu_fp8_profile.py", [], "the following arguments are required: out"),
    ],
)
def test_a_probe_given_an_unknown_variant_names_the_valid_ones_and_makes_nothing(
    tmp_path: Path, script: str, args: list[str], said: str
) -> None:
    done = _run(script, *args, cwd=tmp_path)
    assert done.returncode == 2 and said in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("size", ["64x64", "64x64x9x1", "big"])
def test_a_size_not_of_three_numbers_names_the_option(size: str) -> None:
    """It said "size '64x64' must be ...", naming no option, unlike every other --size error."""
    result = CliRunner().invoke(app, ["bench", "-m", "ltx-tiny", "--size", size])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said == f"error: --size {size}: give WIDTHxHEIGHTxFRAMES, e.g. 768x512x121"
