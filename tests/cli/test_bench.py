"""`reelgen bench` on tiny models: the JSON report's shape, per-stage figures, errors against stock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.bench import check_variants, relative_error
from reelgen.core.bench_table import summary_table
from reelgen.core.errors import InvalidRequest

runner = CliRunner()


def test_bench_reports_each_variant_per_stage_with_its_error_against_stock(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    report_path = tmp_path / "wan.json"
    result = runner.invoke(
        app,
        # A small size: what is checked is the report's shape and its figures being there, not their size.
        ["bench", "-m", "wan-tiny", "--size", "32x32x5", "--steps", "2", "--warmup-steps", "0"]
        + ["--json", str(report_path)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text())
    assert (report["model"], report["size"], report["steps"]) == ("wan-tiny", "32x32x5", 2)
    assert list(report["variants"]) == ["stock", "reelgen"]
    for name, variant in report["variants"].items():
        assert len(variant["steps_s"]) == 2, name
        assert all(s > 0 for s in variant["steps_s"])
        for stage in ("text_encode_s", "denoise_s", "vae_decode_s", "mp4_encode_s", "e2e_s"):
            assert variant[stage] > 0, (name, stage)
        assert variant["transformer_calls"] == 4  # CFG: prompt and negative per step (no batching on CPU)
        assert variant["accel"]["fast_path"] is False
        assert "warmup_s" not in variant  # --warmup-steps 0
        # Same weights, same inputs, and on a CPU both run stock diffusers: identical output.
        assert variant["output_rel_err"] == 0.0 and variant["first_forward_rel_err"] == 0.0
        assert variant["rates"]["denoise_step"]["tflops"] > 0
    # FLOPs are counted exactly: one step is two forwards of the same size.
    assert report["flops"]["transformer_calls_per_step"] == 2
    assert report["flops"]["denoise_step"] > 0 and report["flops"]["vae_decode"] > 0
    *_, stock_row, reelgen_row, footer = result.stderr.splitlines()
    assert stock_row.startswith("stock") and reelgen_row.startswith("reelgen")
    assert footer == "errors: relative to stock" and report["error_reference"] == "stock"
    # Progress while it runs: a full-size benchmark takes minutes before its report.
    progress = [r.getMessage() for r in caplog.records if r.name == "reelgen.core.bench"]
    assert progress[0].startswith("built wan-tiny in ")
    assert [m.split(" ")[0] for m in progress[1:]] == ["stock:", "reelgen:"]
    assert all(" timed run " in m for m in progress[1:])


def test_variant_keeps_its_mp4_reports_its_warm_up_and_errors_are_against_the_fast_path(
    tmp_path: Path,
) -> None:
    report_path = tmp_path / "ltx.json"
    result = runner.invoke(
        app,
        [
            "bench",
            "-m",
            "ltx-tiny",
            "--steps",
            "1",
            "--variants",
            "reelgen,sdpa",
            "--keep",
            str(tmp_path),
            "--json",
            str(report_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reelgen.mp4").stat().st_size > 0 and (tmp_path / "sdpa.mp4").stat().st_size > 0
    report = json.loads(report_path.read_text())
    # No stock run: lossy variants are measured against the lossless fast path (on a CPU both are stock).
    assert report["error_reference"] == "reelgen"
    assert report["variants"]["sdpa"]["output_rel_err"] == 0.0
    # Each variant's untimed first render is reported: what a user waits for once per process.
    for variant in report["variants"].values():
        assert variant["warmup_s"] > 0
        assert variant["warmup_graphs"] == 0  # a CPU runs diffusers eagerly: nothing compiled
    assert result.stderr.splitlines()[-1] == "errors: relative to reelgen"


def test_a_full_size_model_larger_than_the_free_ram_is_refused_on_a_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reelgen.core import devices

    monkeypatch.setattr(devices, "host_available_gib", lambda: 8.0)
    result = runner.invoke(app, ["bench", "-m", "wan-14b", "--steps", "1"])
    assert result.exit_code != 0
    assert "wan-14b on the CPU needs about" in result.output and "in bfloat16" in result.output
    assert "8.0 GiB are available" in result.output and "Traceback" not in result.output


def test_unknown_variant_is_refused_with_the_valid_ones() -> None:
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--variants", "stock,warp"])
    assert result.exit_code != 0
    assert "unknown variant 'warp'" in result.output and "reelgen" in result.output


def test_a_report_path_under_a_file_is_refused_before_benchmarking(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n")
    result = runner.invoke(
        app, ["bench", "-m", "ltx-tiny", "--steps", "1", "--json", str(blocker / "r.json")]
    )
    assert result.exit_code == 2, result.output
    assert f"{blocker} is a file, not a folder" in " ".join(result.output.split())
    assert "stock" not in result.stdout and not isinstance(result.exception, OSError)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "0"], "--steps: 0 is too small"),
        (["--size", "64x64x0"], "--size 64x64x0 (the frame count): 0 is too small"),
        (["--size", "-64x64x9"], "--size -64x64x9 (the width): -64 is too small"),
        (["--variants", "stock,warp"], "--variants: unknown variant 'warp'; valid: stock, reelgen"),
        (
            ["--variants", "budget", "--budget", "6", "--budget-plan", "disk"],
            "--budget-plan disk: not an offload rung; valid: gpu, text_offload",
        ),
        (["--guidance", "nan"], "--guidance: nan is not a finite number; it takes a number from 0 to 100"),
        (["--budget", "-1", "--variants", "budget"], "-1 GiB is no budget"),
        (["--warmup-steps", "-1"], "--warmup-steps -1: give a whole number from 0 to 1000"),
    ],
)
def test_a_bad_number_is_a_usage_error_naming_the_option(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", *args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.replace("│", " ").split())
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("model", "needs"), [("svd-tiny", "a start image"), ("wan-i2v-tiny", "a start image")]
)
def test_a_model_that_needs_an_input_is_told_bench_times_text_to_video(model: str, needs: str) -> None:
    """It said "give a start image (start_image)", an option bench does not have."""
    result = runner.invoke(app, ["bench", "-m", model])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"reelgen bench times text-to-video, from --prompt alone, and {model} needs {needs}" in said
    assert "(start_image)" not in said and "pick a model that does t2v" in said


def test_the_budget_variant_on_a_machine_without_a_gpu_is_refused_before_building(no_cuda: None) -> None:
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--variants", "budget", "--budget", "6"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "variant budget caps GPU memory, and this machine has no CUDA GPU" in said
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_variants_run_stock_first_and_budget_needs_a_cap() -> None:
    assert check_variants(("reelgen", "fp8", "stock"), None) == ("stock", "reelgen", "fp8")
    with pytest.raises(InvalidRequest, match="needs --budget"):
        check_variants(("budget",), None)
    with pytest.raises(InvalidRequest, match="separate benchmarks"):
        check_variants(("budget", "fp8"), 6.0)
    # Both FP8 weight swaps in one process would quantize the weights twice.
    with pytest.raises(InvalidRequest, match="run fp8 and fp8-all in separate benchmarks"):
        check_variants(("fp8", "fp8-all"), None)
    assert check_variants(("fp8-all", "fp8-attention", "reelgen"), None) == (
        "fp8-attention",
        "reelgen",
        "fp8-all",
    )


def test_a_budget_plan_must_be_an_offload_rung_and_needs_the_budget_variant() -> None:
    assert check_variants(("reelgen", "budget"), 6.0, "group_offload") == ("reelgen", "budget")
    with pytest.raises(InvalidRequest, match="not an offload rung; valid: gpu, text_offload"):
        check_variants(("budget",), 6.0, "disk")
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--budget-plan", "group_offload"])
    assert result.exit_code != 0
    assert "add budget to --variants" in result.output


def test_relative_error_is_the_norm_of_the_difference_over_the_norm_of_stock() -> None:
    reference = np.array([3.0, 4.0])  # norm 5
    assert relative_error(reference, reference) == 0.0
    assert relative_error(np.array([3.0, 4.5]), reference) == pytest.approx(0.1)
    assert relative_error(np.zeros(3), reference) is None  # shapes differ: not comparable
    assert relative_error(None, reference) is None


def test_summary_table_has_a_row_per_variant() -> None:
    report = {
        "model": "m",
        "size": "1x1x1",
        "steps": 1,
        "guidance": 1.0,
        "variants": {"stock": {"e2e_s": 2.0}, "reelgen": {"e2e_s": 1.0, "output_rel_err": 1e-3}},
    }
    lines = summary_table(report).splitlines()
    assert lines[2].startswith("stock") and lines[3].startswith("reelgen") and "1.0e-03" in lines[3]


def test_a_step_cached_variant_reports_its_mean_step_and_no_kernel_rate() -> None:
    """Skipped steps take milliseconds: their median is no forward's time, and no TFLOP/s comes of it."""
    from reelgen.core.bench_flops import score

    flops = {"denoise_step": 2e12, "vae_decode": 1e12}
    cached = {"steps_s": [1.0, 1.0, 0.01, 0.01, 0.01], "step_median_s": 0.01, "vae_decode_s": 0.5}
    cached["accel"] = {"lossy": {"taylorseer": {}}}
    plain = {"steps_s": [1.0, 1.0], "step_median_s": 1.0, "vae_decode_s": 0.5, "accel": {}}
    score(cached, flops, 800.0)
    score(plain, flops, 800.0)
    assert cached["step_median_s"] is None and cached["step_mean_s"] == pytest.approx(0.406)
    assert "denoise_step" not in cached["rates"] and cached["rates"]["vae_decode"]["tflops"] == 2.0
    assert plain["rates"]["denoise_step"]["tflops"] == 2.0 and "step_mean_s" not in plain
    report = {"model": "m", "size": "1x1x1", "steps": 5, "guidance": 1.0, "variants": {"taylorseer": cached}}
    lines = summary_table(report).splitlines()
    assert "0.4060" in lines[2] and "mean over all steps" in lines[3]


def test_no_variant_at_all_is_refused_with_the_valid_ones() -> None:
    """`--variants ,` ran nothing, then died on a StopIteration traceback."""
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1", "--variants", ","])
    assert result.exit_code == 2, result.output
    assert "--variants names none; valid: stock, reelgen" in " ".join(result.output.split())
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_report_path_that_is_a_folder_is_refused_before_benchmarking(tmp_path: Path) -> None:
    """The whole benchmark ran, then writing the report into a folder failed with a traceback."""
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--steps", "1", "--json", str(tmp_path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--json {tmp_path} is a folder; give a file path in it" in said
    assert "stock" not in result.stdout and list(tmp_path.iterdir()) == []


def test_a_cpus_kernel_rate_is_shown_to_three_figures_not_as_zero() -> None:
    variants = {
        "stock": {"rates": {"denoise_step": {"tflops": 0.0584}}},
        "reelgen": {"rates": {"denoise_step": {"tflops": 412.7}}},
    }
    report = {"model": "m", "size": "1x1x1", "steps": 1, "guidance": 1.0, "variants": variants}
    lines = summary_table(report).splitlines()
    assert lines[2].split()[8] == "0.0584" and lines[3].split()[8] == "413"  # step TF/s


def test_the_model_that_ships_with_reelgen_is_benchmarked_on_its_own_weights() -> None:
    """reelgen-micro was refused: "no full-size random build of 'reelgen-micro'"."""
    result = runner.invoke(app, ["bench", "-m", "reelgen-micro", "--size", "32x32x5", "--steps", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # JSON alone on stdout
    assert report["model"] == "reelgen-micro" and set(report["variants"]) == {"stock", "reelgen"}


def test_a_model_without_weights_or_a_random_build_says_how_to_get_them() -> None:
    result = runner.invoke(app, ["bench", "-m", "cogvideox-2b", "--steps", "1"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "Fetch it with: reelgen pull cogvideox-2b" in said
    assert "bench builds full-size random ones only for ltx-2b, wan-1.3b, wan-14b" in said


def test_help_shows_every_option_and_variant_name_whole_on_an_80_column_terminal() -> None:
    """The --stock-warmup/--no-stock-warmup pair squeezed the help column: 'first-block-cach…', 'WIDTHxHEIGHTxFRA…'."""
    result = runner.invoke(app, ["bench", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    for name in ("--no-stock-warmup", "WIDTHxHEIGHTxFRAMES", "first-block-cache", "sequential_offload"):
        assert name in result.output


def test_the_micro_cpu_benchmark_script_renders_a_resolved_request(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/micro.md's `python benchmarks/micro_cpu.py ...` died in the memory plan: width * height of None."""
    import runpy
    import sys

    from reelgen.core import bench as core_bench

    rendered: list[Any] = []
    monkeypatch.setattr(core_bench, "bench_request", lambda request, output: rendered.append(request) or {})
    script = Path(__file__).parents[2] / "benchmarks" / "micro_cpu.py"
    monkeypatch.setattr(sys, "argv", [str(script), "--runs", "1", "--out", str(tmp_path)])
    monkeypatch.setattr("torch.set_num_threads", lambda n: None)
    runpy.run_path(str(script), run_name="__main__")
    (request,) = rendered
    assert (request.model, request.width, request.height, request.num_frames) == (
        "reelgen-micro",
        128,
        128,
        25,
    )
    assert '"run": 0' in capsys.readouterr().out


def test_on_a_cpu_the_table_says_the_variants_all_ran_stock_and_no_loading_bar_is_shown(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """On a CPU `--variants stock,fp8` printed fp8 several times faster than stock, read as FP8's gain;
    diffusers' "Loading pipeline components" bar came between bench's own progress lines."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    from reelgen.core import weights
    from reelgen.core.spec import registry

    weights.tiny_folder(*registry.resolve("ltx-tiny"))  # built here, so the run below only loads it
    # The bars as a fresh process has them: an earlier run in this process may have turned them off.
    monkeypatch.setattr(diffusers_logging, "_tqdm_active", True)
    monkeypatch.setattr(transformers_logging, "_tqdm_active", True)
    argv = ["bench", "-m", "ltx-tiny", "--steps", "1", "--warmup-steps", "0", "--variants", "stock,fp8"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    table = result.stderr[result.stderr.rindex("ltx-tiny 64x64x9") :].splitlines()
    assert table[1] == (
        "on a CPU every variant runs stock diffusers (the fast path and its variants are for CUDA "
        "GPUs): the rows differ only by noise and by the order they ran in (the first pays "
        "one-time costs)"
    )
    assert table[2].startswith("variant") and table[3].startswith("stock") and table[4].startswith("fp8")
    assert "Loading pipeline components" not in result.stderr
    progress = [r.getMessage() for r in caplog.records if r.name == "reelgen.core.bench"]
    assert progress[0].startswith("built ltx-tiny in")  # bench's own lines, which the bar came between


@pytest.mark.parametrize(
    ("size", "line"),
    [
        (
            "63x64x9",
            "error: --size 63x64x9: width 63 is not a multiple of 32 (LTX-Video); nearest valid: 32 or 64",
        ),
        ("64x64x10", "error: --size 64x64x10: 10 frames is not 8k+1 (LTX-Video); nearest valid: 9 or 17"),
    ],
)
def test_a_size_breaking_the_models_rule_names_the_option_typed(size: str, line: str) -> None:
    """It said "width 63 is not ..." or "10 frames is not ...", naming no option: bench has only --size."""
    result = runner.invoke(app, ["bench", "-m", "ltx-tiny", "--size", size])
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == line
