"""`reelgen bench`: time one render of a model and print JSON (speed lives here, never in tests)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from reelgen.cli.output import fail
from reelgen.core.errors import ReelgenError


def bench(
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "ltx-tiny",
    size: Annotated[str | None, typer.Option(help="WIDTHxHEIGHTxFRAMES (model default if unset).")] = None,
    steps: Annotated[int | None, typer.Option(help="Denoising steps.")] = None,
    weights: Annotated[str | None, typer.Option(help="Local diffusers folder or checkpoint.")] = None,
    vram_budget: Annotated[float | None, typer.Option("--vram-budget")] = None,
    repeat: Annotated[
        int, typer.Option(help="Runs; the first pays loading, later ones show steady speed.")
    ] = 1,
    prompt: Annotated[str, typer.Option()] = "a red circle moves to the right over a green background",
) -> None:
    """Render once (or --repeat N times) and print timings, per-step speed and peak VRAM as JSON.

    Examples:

      reelgen bench -m ltx-tiny --size 64x64x9 --steps 2

      reelgen bench -m ltx-2b --size 768x512x121 --steps 50 --weights ./ltx-2b
    """
    from reelgen.core.bench import bench_request
    from reelgen.core.spec import GenerationRequest, resolve

    dims: dict[str, Any] = {}
    if size:
        try:
            w, h, f = (int(x) for x in size.lower().split("x"))
        except ValueError:
            raise typer.BadParameter(f"size {size!r} must be WIDTHxHEIGHTxFRAMES, e.g. 768x512x121") from None
        dims = {"width": w, "height": h, "num_frames": f}
    results = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            request = resolve(
                GenerationRequest(model=model, prompt=prompt, steps=steps, seed=0, weights=weights, **dims)
            )
            for i in range(repeat):
                results.append(
                    bench_request(request, Path(folder) / f"run{i}.mp4", vram_budget_gib=vram_budget)
                )
        except ReelgenError as exc:
            raise fail(exc) from None
    for r in results:
        r.pop("output")
    typer.echo(json.dumps(results if repeat > 1 else results[0], indent=2))


def register(app: typer.Typer) -> None:
    app.command()(bench)
