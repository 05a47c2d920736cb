"""Prompt adherence of reelgen-micro: generate, analyse each clip, report; held-out prompts, or training-split ones while training."""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.backends.micro import build as mb
from reelgen.train.adherence import AdherenceResult, ObjectAnalysis, adherence_summary, analyze_clip
from reelgen.train.micro_checkpoint import atomic_write
from reelgen.train.micro_data import ignore_ctrl_c
from reelgen.train.scenes import DIRECTIONS, Scene, heldout_directions, sample_scene

#: Seed of the held-out prompt list, fixed so every report scores the same prompts.
PROMPT_SEED = 20261121


def heldout_scenes(count: int, seed: int = PROMPT_SEED) -> list[Scene]:
    """``count`` single-object scenes whose (colour, shape, direction, background) never occur in training.

    Each combination is used once before any repeats, so the list covers as
    many distinct held-out combinations as it can.
    """
    rng = random.Random(seed)
    chosen: list[Scene] = []
    used: set[tuple[str, ...]] = set()
    # Once every combination is used, a repeat is taken: it skipped repeats for 50 draws a prompt
    # instead, a minute of drawing before --prompts 1000 made its first clip.
    every = len(heldout_directions())
    tries = 0
    while len(chosen) < count:
        scene = sample_scene(rng, "heldout", objects=1, motions=DIRECTIONS, camera=False)
        key = (scene.main.colour, scene.main.shape, scene.main.motion, scene.colour)
        tries += 1
        if key in used and len(used) < every and tries < 50 * count:
            continue
        used.add(key)
        chosen.append(scene)
    return chosen


def expected(scene: Scene) -> dict[str, str]:
    main = scene.main
    return {"colour": main.colour, "shape": main.shape, "motion": main.motion}


def generate_clips(
    pipe: Any,
    prompts: list[str],
    seeds: list[int],
    *,
    size: int,
    frames: int,
    steps: int,
    guidance: float,
    batch: int,
    max_tokens: int,
) -> list[np.ndarray]:
    """uint8 clips (T, H, W, 3) from ``pipe`` (a WanPipeline), ``batch`` prompts per call, one seed each."""
    import torch

    clips: list[np.ndarray] = []
    for start in range(0, len(prompts), batch):
        part, part_seeds = prompts[start : start + batch], seeds[start : start + batch]
        out = pipe(
            prompt=part,
            negative_prompt=[""] * len(part),
            height=size,
            width=size,
            num_frames=frames,
            num_inference_steps=steps,
            guidance_scale=guidance,
            generator=[torch.Generator().manual_seed(s) for s in part_seeds],
            output_type="np",
            max_sequence_length=max_tokens,
        ).frames
        clips += [(np.clip(np.nan_to_num(c), 0, 1) * 255).round().astype(np.uint8) for c in out]
    return clips


def analyse_all(clips: list[np.ndarray], workers: int = 0) -> list[ObjectAnalysis]:
    if workers > 1:
        with multiprocessing.get_context("spawn").Pool(workers, initializer=ignore_ctrl_c) as pool:
            return pool.map(analyze_clip, clips)
    return [analyze_clip(c) for c in clips]


def evaluate(
    pipe: Any,
    scenes: list[Scene],
    *,
    size: int,
    frames: int,
    steps: int,
    guidance: float,
    batch: int,
    max_tokens: int,
    workers: int = 0,
    first_seed: int = 0,
    keep_clips: bool = False,
    on_clips: Callable[[list[np.ndarray]], None] | None = None,
) -> tuple[dict[str, Any], list[AdherenceResult], list[np.ndarray]]:
    """Generate one clip per scene caption and score it against the scene's dominant object."""
    seeds = [first_seed + i for i in range(len(scenes))]
    begin = time.monotonic()
    clips = generate_clips(
        pipe,
        [s.caption for s in scenes],
        seeds,
        size=size,
        frames=frames,
        steps=steps,
        guidance=guidance,
        batch=batch,
        max_tokens=max_tokens,
    )
    generated = time.monotonic() - begin
    if on_clips is not None:  # e.g. save them before the analysis, which may take a while
        on_clips(clips)
    found = analyse_all(clips, workers)
    results = [
        AdherenceResult(s.caption, seed, expected(s), f)
        for s, seed, f in zip(scenes, seeds, found, strict=True)
    ]
    summary = adherence_summary(results)
    summary["settings"] = {"size": size, "frames": frames, "steps": steps, "guidance": guidance}
    summary["generate_seconds"] = round(generated, 1)
    return summary, results, clips if keep_clips else []


def save_grid(path: Path, clips: list[np.ndarray], frames: int = 5) -> None:
    """A PNG of ``frames`` evenly spaced frames (columns) per clip (rows), for a quick look at samples."""
    from PIL import Image

    rows = [np.concatenate([c[i] for i in np.linspace(0, len(c) - 1, frames).astype(int)], 1) for c in clips]
    Image.fromarray(np.concatenate(rows, 0)).save(path)


def write_report(path: Path, summary: dict[str, Any], results: list[AdherenceResult]) -> None:
    """The summary and every prompt's outcome as JSON (written whole, then renamed into place)."""
    rows = [
        {
            "prompt": r.prompt,
            "seed": r.seed,
            "expected": r.expected,
            "checks": r.checks,
            "found": {k: v for k, v in r.found.as_dict().items() if k != "centres"},
        }
        for r in results
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"summary": summary, "results": rows}, indent=1)
    atomic_write(path, lambda tmp: tmp.write_text(text))


def markdown_summary(summary: dict[str, Any]) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.1f}%"

    lines = [
        f"| held-out prompts | {summary['prompts']} |",
        "| --- | --- |",
        f"| colour correct | {pct(summary['colour_correct'])} |",
        f"| direction correct ({summary['direction_prompts']} moving prompts) | {pct(summary['direction_correct'])} |",
        f"| shape correct | {pct(summary['shape_correct'])} |",
        f"| all three correct | {pct(summary['all_correct'])} |",
        f"| object found | {pct(summary['object_found'])} |",
    ]
    return "\n".join(lines)


def validation_scenes(count: int, seed: int = 7) -> list[Any]:
    """Single-object training-split scenes that move in a direction: where sampler settings are chosen."""
    from reelgen.train.scenes import DIRECTIONS, sample_scene

    rng = random.Random(seed)
    return [sample_scene(rng, "train", objects=1, motions=DIRECTIONS, camera=False) for _ in range(count)]


def pipeline(parts: Any, transformer: Any, text_encoder: Any, shift: float = mb.FLOW_SHIFT) -> Any:
    """A WanPipeline over the given (EMA) transformer and text encoder and the trained VAE."""
    pipe = mb.assemble(parts.tokenizer, text_encoder, transformer, parts.vae, mb.build_scheduler(shift))
    pipe.set_progress_bar_config(disable=True)
    return pipe


def validate(parts: Any, cfg: Any, transformer: Any, text_encoder: Any) -> dict[str, Any]:
    """Colour and direction adherence on training-split prompts, with the default sampler settings."""
    import torch

    begin = time.monotonic()
    with torch.no_grad():
        summary, _, _ = evaluate(
            pipeline(parts, transformer, text_encoder),
            validation_scenes(cfg.validate_prompts, seed=11),
            size=cfg.size,
            frames=cfg.frames,
            steps=20,
            guidance=5.0,
            batch=64,
            max_tokens=mb.MAX_TOKENS,
            workers=16 if cfg.cuda else 0,
            first_seed=50_000,
        )
    keys = ("colour_correct", "direction_correct", "shape_correct", "object_found")
    row = {"step": parts.step, **{k: summary[k] for k in keys}, "seconds": round(time.monotonic() - begin, 1)}
    parts.log["validation"].append(row)
    return row


def load_model(folder: Path, device: str) -> Any:
    """The diffusers folder ``folder`` as a WanPipeline on ``device``, or a one-line refusal of what is
    wrong with it: a damaged weight file or model_index.json was an "internal error" from diffusers."""
    import torch
    from diffusers import WanPipeline

    from reelgen.core.backends.plumbing import silence_library_bars
    from reelgen.core.errors import InvalidRequest

    wrote = "give one `reelgen train-micro export --dest` wrote, or leave --model out for the shipped model"
    if not (folder / "model_index.json").is_file():
        raise InvalidRequest(
            f"--model {folder} is not a diffusers folder (no model_index.json); {wrote}", param="model"
        )
    silence_library_bars()  # diffusers' and transformers' loading bars came before the report's table
    try:
        pipe = WanPipeline.from_pretrained(str(folder), dtype=torch.float32, local_files_only=True)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:  # what a damaged folder raises
        said = f"no {exc} in its configuration" if isinstance(exc, KeyError) else " ".join(str(exc).split())
        raise InvalidRequest(f"--model {folder} cannot be loaded ({said}); {wrote}", param="model") from None
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)
