"""`reelgen bench` as a new user runs it on a CPU: empty paths, `auto`, the budget variant, unmeasured figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.bench_table import summary_table

runner = CliRunner()


def _said(args: list[str]) -> str:
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1", *args], terminal_width=300)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""  # no half report
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # --weights "$UNSET" benchmarked the tiny build without a word.
        (["--weights", ""], "it is empty; give a folder or checkpoint file, or leave it out"),
        # --keep "$UNSET" put stock.mp4 and reelgen.mp4 in the working folder.
        (["--keep", ""], "it is empty; give a folder, or leave it out"),
        # --json "" said "--json . is a folder", a name no one typed.
        (["--json", ""], "it is empty; give a file path such as report.json, or leave it out"),
    ],
)
def test_an_empty_path_is_refused_not_read_as_this_folder(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    said = _said(args)
    assert f"Invalid value for '{args[0]}': {message}" in said
    assert list(tmp_path.iterdir()) == []


def test_a_report_path_ending_in_a_slash_is_refused_not_written_as_a_file(tmp_path: Path) -> None:
    """`--json out/` wrote the report to a file named out."""
    folder = f"{tmp_path / 'out'}/"
    said = _said(["--json", folder])
    assert f"'--json': {folder} is a folder; give a file path in it such as {folder}report.json" in said
    assert list(tmp_path.iterdir()) == []


def test_auto_is_told_bench_times_a_named_model() -> None:
    """It said "unknown model 'auto'; no known model is named like it", though generate takes it."""
    said = _said(["--model", "auto"])
    assert said.startswith("error: --model auto: bench times one named model; give one, e.g. ltx-tiny")


def test_the_budget_variant_without_a_cap_on_a_cpu_is_refused_for_the_cpu_at_once(no_cuda: None) -> None:
    """It asked for --budget GIB first, and once given, refused the variant: no CUDA GPU."""
    said = _said(["--variants", "stock,budget"])
    assert "variant budget caps GPU memory, and this machine has no CUDA GPU" in said
    assert "leave budget out of --variants" in said and "needs --budget" not in said


def test_help_says_which_examples_need_a_gpu_and_what_a_cpu_does_not_measure() -> None:
    result = runner.invoke(app, ["bench", "--help"], terminal_width=200)
    said = " ".join(result.output.split())
    assert "peak VRAM and the bf16 roof are not measured" in said
    before, gpu = said.split("These two are for a CUDA GPU", 1)
    assert "-m ltx-tiny" in before and "-m ltx-2b" in gpu and "--budget 6" in gpu


def test_the_table_says_what_a_cpu_run_did_not_measure() -> None:
    report = {
        "model": "m",
        "size": "1x1x1",
        "steps": 1,
        "guidance": 1.0,
        "not_measured": {"peak_vram_gib": "no CUDA GPU"},
        "variants": {"stock": {"e2e_s": 2.0}},
    }
    lines = summary_table(report).splitlines()
    assert lines[0] == (
        "m 1x1x1 steps=1 guidance=1.0; no CUDA GPU: peak GiB (GPU memory) and roof (a bf16 GEMM on one) "
        "not measured, shown as -"
    )
    assert lines[1].startswith("variant") and lines[2].split()[7] == "-"  # peak GiB


def test_a_cpu_report_says_why_its_vram_and_roof_are_null(tmp_path: Path, no_cuda: None) -> None:
    """A real tiny run (the only way to see run() write its report; under 10 CPU-s): nulls were unexplained."""
    out = tmp_path / "r.json"
    args = ["--size", "32x32x9", "--warmup-steps", "0", "--variants", "stock", "--json", str(out)]
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1", *args])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["bf16_roof_tflops"] is None and report["variants"]["stock"]["peak_vram_gib"] is None
    assert set(report["not_measured"]) == {"peak_vram_gib", "bf16_roof_tflops"}
    assert report["not_measured"]["bf16_roof_tflops"].startswith("no CUDA GPU: the roof is a bf16 GEMM")
    assert "no CUDA GPU: peak GiB (GPU memory) and roof (a bf16 GEMM on one) not measured" in result.stderr
    assert json.loads(result.stdout) == report  # the table is on stderr: stdout is JSON alone


def test_a_nan_in_the_report_is_printed_as_json_text_not_a_bare_nan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A variant whose frames held NaN printed "output_rel_err": NaN, which jq and JSON.parse refuse."""
    from reelgen.core import bench as core_bench

    variant = {"e2e_s": 1.0, "output_rel_err": float("nan"), "steps_s": [float("inf")]}
    report = {
        "model": "ltx-tiny",
        "size": "64x64x9",
        "steps": 1,
        "guidance": 1.0,
        "variants": {"fp8": variant},
    }
    monkeypatch.setattr(core_bench, "run", lambda request, options: report)
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1"])
    assert result.exit_code == 0, result.output

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    said = json.loads(result.stdout, parse_constant=refuse)
    assert said["variants"]["fp8"]["output_rel_err"] == "nan" and said["variants"]["fp8"]["steps_s"] == [
        "inf"
    ]
    assert "nan" in result.stderr.splitlines()[-1]  # the table still shows it


def test_a_full_size_build_on_a_cpu_says_it_takes_minutes_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, no_cuda: None
) -> None:
    """`bench -m ltx-2b` on a CPU built for minutes with nothing said."""
    from reelgen.core import bench_models, devices

    def stop(*args: object) -> None:  # the build itself takes minutes: stopped where it would start
        raise KeyboardInterrupt

    monkeypatch.setattr(bench_models, "load_or_build", stop)
    monkeypatch.setattr(devices, "host_available_gib", lambda: 512.0)
    result = runner.invoke(app, ["bench", "-m", "ltx-2b", "--size", "64x64x9", "--steps", "1"])
    assert result.exit_code == 130, result.output
    said = [r.getMessage() for r in caplog.records if r.name == "reelgen.core.bench"]
    assert said == [
        "ltx-2b is built full size with random weights; on a CPU the build alone takes minutes "
        "(full-size benchmarks are for a CUDA GPU; Ctrl-C stops it)"
    ]
