"""`reelgen bench`: stock diffusers against reelgen's fast path, per stage, as JSON plus a table."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from reelgen.cli.output import fail, positive_gib
from reelgen.cli.typed import WEIGHTS, given, weights_hint
from reelgen.core.errors import (
    InvalidRequest,
    ReelgenError,
    UnsupportedTask,
    WeightsNotHere,
    from_validation_error,
)

#: Request fields set by an option of another name, said as typed: ``--size: ...``, not ``num_frames: ...``.
FLAGS = {"width": "--size", "height": "--size", "num_frames": "--size"}
_SIZE_PARTS = {"width": "width", "height": "height", "num_frames": "frame count"}
#: What a model that cannot work from a prompt alone needs, by the request field resolve names.
_INPUTS = {"start_image": "a start image", "source_video": "a source video", "keyframes": "keyframes"}


def _report_path(value: str | None) -> str | None:
    """``--json`` as typed: a file path, not empty and not a folder's (``out/`` became a file named out)."""
    if value is not None and not value.strip():
        raise typer.BadParameter("it is empty; give a file path such as report.json, or leave it out")
    if value is not None and value.endswith("/"):
        raise typer.BadParameter(f"{value} is a folder; give a file path in it such as {value}report.json")
    return value


def _strict_json(value: Any) -> Any:
    """``value`` with each NaN or infinity as the string "nan", "inf" or "-inf" (said, not dropped)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict_json(v) for v in value]
    return value


def _check_stock_warmup(variants: tuple[str, ...], warmup_steps: int) -> None:
    """Refuse --no-stock-warmup where it changes nothing: it was taken without a word, and the user
    believed the stock row was timed cold when there was no stock row, or no warm-up to skip."""
    if "stock" not in variants:
        raise fail(
            InvalidRequest(
                "--no-stock-warmup skips the stock variant's warm-up run, and --variants has no stock: "
                "add stock to --variants, or leave --no-stock-warmup out",
                param="no_stock_warmup",
            )
        )
    if warmup_steps == 0:
        raise fail(
            InvalidRequest(
                "--no-stock-warmup: with --warmup-steps 0 no variant has a warm-up run to skip; "
                "leave one of the two out",
                param="no_stock_warmup",
            )
        )


def t2v_model_names(incomplete: str) -> list[str]:
    """The models bench can time (text-to-video ones; no ``auto``) that start with what was typed."""
    from reelgen.core.spec.registry import presets

    return sorted(n for n, (_, p) in presets().items() if "t2v" in p.tasks and n.startswith(incomplete))


def bench(
    model: Annotated[
        str, typer.Option("--model", "-m", help="Model name.", autocompletion=t2v_model_names)
    ] = "ltx-tiny",
    size: Annotated[str | None, typer.Option(help="WIDTHxHEIGHTxFRAMES (model default if unset).")] = None,
    steps: Annotated[int | None, typer.Option(help="Denoising steps.")] = None,
    guidance: Annotated[float | None, typer.Option(help="CFG scale; 1 turns CFG off.")] = None,
    variants: Annotated[
        str,
        typer.Option(
            help="Comma list run in one process on identical inputs: stock, reelgen, sdpa, no-compile, "
            "budget, fp8, fp8-attention, fp8-all (both FP8 modes), taylorseer, first-block-cache."
        ),
    ] = "stock,reelgen",
    budget: Annotated[
        float | None,
        typer.Option(callback=positive_gib, help="GiB cap for the budget variant (allocator capped to it)."),
    ] = None,
    budget_plan: Annotated[
        str | None,
        typer.Option(
            help="Offload rung for the budget variant instead of the planner's: gpu, text_offload, "
            "model_offload, group_offload, sequential_offload."
        ),
    ] = None,
    warmup_steps: Annotated[
        int,
        typer.Option(help="Steps of an untimed run before each timed one (compiles, autotunes); 0 to 1000."),
    ] = 1,
    no_stock_warmup: Annotated[
        bool, typer.Option("--no-stock-warmup", help="Time stock without a warm-up run (for costly models).")
    ] = False,
    weights: Annotated[
        str | None,
        typer.Option(
            callback=WEIGHTS,  # --weights "$UNSET" benchmarked the tiny build without a word
            help="Real weights (folder or file); unset: the tiny build, the weights found here, or "
            "random ones (ltx-2b, wan-1.3b, wan-14b).",
        ),
    ] = None,
    # Read as str, not Path: Path("") is "." so --keep "$UNSET" put the MP4s in the working folder.
    json_out: Annotated[
        str | None,
        typer.Option("--json", callback=_report_path, help="Also write the report here."),
    ] = None,
    keep: Annotated[
        str | None,
        typer.Option(callback=given("a folder"), help="Keep each variant's MP4 in this folder."),
    ] = None,
    prompt: Annotated[
        str, typer.Option(help="What every variant renders (the same prompt and seed for all).")
    ] = "a red fox runs through fresh snow at golden hour, cinematic",
) -> None:
    """Time stock diffusers and reelgen's fast path on one request: JSON on stdout, a table on stderr.

    Full-size presets (ltx-2b, wan-1.3b, wan-14b) are built with random weights
    in memory when no --weights is given; any other model runs on the weights
    this machine has (reelgen-micro's ship with reelgen). On a CPU every
    variant runs stock diffusers, and peak VRAM and the bf16 roof are not
    measured (null in the JSON, "-" in the table). Examples:

      reelgen bench -m ltx-tiny --size 64x64x9 --steps 2

    These two are for a CUDA GPU (a CPU refuses the budget variant, and runs
    a full-size model for a long time if its RAM holds it at all):

      reelgen bench -m ltx-2b --size 768x512x121 --steps 8 --guidance 1 \\
          --json ltx8.json

      reelgen bench -m wan-1.3b --steps 5 --variants stock,reelgen,budget \\
          --budget 6
    """
    from reelgen.core import bench as core_bench
    from reelgen.core.atomic import check_writable, staged
    from reelgen.core.bench_table import summary_table
    from reelgen.core.spec import GenerationRequest, resolve

    # Progress on stderr: a full-size benchmark runs for minutes before its report.
    logging.getLogger(core_bench.__name__).setLevel(logging.INFO)

    if model == "auto":  # it said "unknown model 'auto'", a name generate takes
        raise fail(
            InvalidRequest(
                "--model auto: bench times one named model; give one, e.g. ltx-tiny "
                "(`reelgen models` lists them)",
                param="model",
            )
        )
    if not prompt.strip():  # --prompt "$UNSET" benchmarked an empty prompt, which generate refuses
        raise fail(
            InvalidRequest(
                "--prompt: it is empty; give what every variant renders, or leave it out for the default",
                param="prompt",
            )
        )
    try:
        core_bench.check_warmup(warmup_steps)  # before the model loads, not after
    except ReelgenError as exc:
        raise fail(exc) from None
    names = tuple(v.strip() for v in variants.split(",") if v.strip())
    if no_stock_warmup:
        _check_stock_warmup(names, warmup_steps)
    dims: dict[str, Any] = {}
    if size:
        try:
            w, h, f = (int(x) for x in size.lower().split("x"))
        except ValueError:
            # It said "size '64x64' must be ...", naming no option, unlike every other --size error here.
            raise fail(
                InvalidRequest(f"--size {size}: give WIDTHxHEIGHTxFRAMES, e.g. 768x512x121", param="size")
            ) from None
        dims = {"width": w, "height": h, "num_frames": f}
    dims |= {k: v for k, v in (("steps", steps), ("guidance", guidance)) if v is not None}
    options = core_bench.BenchOptions(
        variants=names,
        warmup_steps=warmup_steps,
        stock_warmup=not no_stock_warmup,
        budget_gib=budget,
        budget_plan=budget_plan,
        out_dir=Path(keep) if keep is not None else None,
    )
    report_path = Path(json_out) if json_out is not None else None
    try:
        for where, param in ((report_path, "--json"), (keep and Path(keep) / "stock.mp4", "--keep")):
            if where:
                check_writable(where, param=param)  # before minutes of benchmarking, not after
        request = resolve(GenerationRequest(model=model, prompt=prompt, seed=0, weights=weights, **dims))
        report = core_bench.run(request, options)
    except ValidationError as exc:
        problem = from_validation_error(exc, model=GenerationRequest)  # adds the range: "from 1 to 1000"
        field = problem.param or ""
        said = problem.message.removeprefix(field)
        if size and field in FLAGS:  # "--size: Input should be greater than 0" said neither value nor which
            raise fail(
                InvalidRequest(f"--size {size} (the {_SIZE_PARTS[field]}){said}", param=field)
            ) from None
        flag = FLAGS.get(field, f"--{field}")
        raise fail(InvalidRequest(flag + said, param=field)) from None
    except UnsupportedTask as exc:
        if exc.param in _INPUTS:  # "give a start image (start_image)": bench has no option to give one
            exc = UnsupportedTask(
                f"reelgen bench times text-to-video, from --prompt alone, and {model} needs "
                f"{_INPUTS[exc.param]}; pick a model that does t2v (`reelgen models` lists each one's tasks)",
                param="model",
            )
        raise fail(exc) from None
    except ReelgenError as exc:
        if size and exc.param in FLAGS:  # a model's rule names the width or the frames; --size was typed
            said = exc.message.removeprefix(f"{exc.param}: ")
            exc = InvalidRequest(f"--size {size}: {said}", param=exc.param)
        if isinstance(exc, WeightsNotHere):
            exc = weights_hint(exc, {"weights": "--weights"})
        raise fail(exc) from None
    # A variant whose frames held NaN printed the bare NaN, which JSON has not: jq and JSON.parse refused it.
    text = json.dumps(_strict_json(report), indent=2, default=str, allow_nan=False)
    # Printed first: a full disk at the end of minutes of benchmarking lost the whole report.
    typer.echo(text)
    typer.echo(summary_table(report), err=True)  # stdout stays JSON alone: `| jq` read the table as bad JSON
    if report_path is not None:
        try:
            with staged(report_path) as (tmp,):  # a report it replaces is kept whole if the write fails
                tmp.write_text(text)
        except ReelgenError as exc:
            raise fail(exc) from None


def register(app: typer.Typer) -> None:
    app.command()(bench)
