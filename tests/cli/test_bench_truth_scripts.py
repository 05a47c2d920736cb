"""The benchmark scripts' and `reelgen bench`'s bad arguments: refused before any work, naming what is valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

ROOT = Path(__file__).parents[2]
BENCHMARKS = ROOT / "benchmarks"
ENV = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{BENCHMARKS}", "COLUMNS": "400"}


#: Runs ``python SCRIPT ARGS...`` in CWD for each JSON line [script, args, cwd] it reads, in this one
#: process (the scripts' imports, torch among them, are made once, not once a run), and answers each
#: with a JSON line [exit code, stdout, stderr], as the interpreter would have ended and printed them.
_RUNNER = r"""
import contextlib, io, json, os, runpy, sys, traceback
for line in sys.stdin:
    script, args, cwd = json.loads(line)
    out, err, code = io.StringIO(), io.StringIO(), 0
    sys.argv = [script, *args]
    os.chdir(cwd)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
    sys.__stdout__.write(json.dumps([code, out.getvalue(), err.getvalue()]) + "\n")
    sys.__stdout__.flush()
"""


@pytest.fixture(scope="module")
def runner_process() -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", _RUNNER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=60)


@pytest.fixture
def run_script(
    runner_process: subprocess.Popen[str],
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``python benchmarks/SCRIPT ARGS...`` run in ``cwd``: its exit code, stdout and stderr."""

    def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        assert runner_process.stdin is not None and runner_process.stdout is not None
        runner_process.stdin.write(json.dumps([str(BENCHMARKS / script), list(args), str(cwd)]) + "\n")
        runner_process.stdin.flush()
        line = runner_process.stdout.readline()
        assert line, f"the script runner ended (exit code {runner_process.poll()})"
        code, out, err = json.loads(line)
        return subprocess.CompletedProcess([script, *args], code, out, err)

    return run


def test_a_misspelt_gpu_core_case_is_refused_before_the_cases_before_it_run(
    run_script: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    """`gpu_core.py ... ltx8 wan51` ran ltx8 (minutes on a GPU), then died on a KeyError."""
    out = tmp_path / "out"
    done = run_script("gpu_core.py", "--out", str(out), "attention", "ltx8", "wan51", cwd=tmp_path)
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
    run_script: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path, args: list[str], said: str
) -> None:
    """A misspelt case wrote a report of the torch version alone; a case without its input died on None."""
    out = tmp_path / "out"
    done = run_script("enhance_gpu.py", "--out", str(out), *args, cwd=tmp_path)
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
    run_script: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path, script: str, listed: str
) -> None:
    """`--help` made a folder named "--help" and ran the probe: the arguments were read by position."""
    done = run_script(script, "--help", cwd=tmp_path)
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
    run_script: Callable[..., subprocess.CompletedProcess[str]],
    tmp_path: Path,
    script: str,
    args: list[str],
    said: str,
) -> None:
    done = run_script(script, *args, cwd=tmp_path)
    assert done.returncode == 2 and said in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("size", ["64x64", "64x64x9x1", "big"])
def test_a_size_not_of_three_numbers_names_the_option(size: str) -> None:
    """It said "size '64x64' must be ...", naming no option, unlike every other --size error."""
    result = CliRunner().invoke(app, ["bench", "-m", "ltx-tiny", "--size", size])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said == f"error: --size {size}: give WIDTHxHEIGHTxFRAMES, e.g. 768x512x121"
