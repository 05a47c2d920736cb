"""Runs a shoot-out in this process: every trial rendered (one model loaded at a time), scored, reported."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelgen.core.atomic import check_writable
from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled, InvalidRequest, ReelgenError
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.shootout.lock import report_folder_held
from reelgen.core.shootout.plan import Trial, plan_shootout
from reelgen.core.shootout.report import foreign_report, remove_report, write_report
from reelgen.core.shootout.results import TrialResult, failed_result, trial_result
from reelgen.core.shootout.score import score_trials
from reelgen.core.shootout.spec import PromptsFile

log = logging.getLogger(__name__)

#: Clips go in this folder of the report folder, named by trial key.
CLIPS = "clips"
#: The report's folders beside report.html and results.json.
FOLDERS = (CLIPS, "sheets", "previews", "plots")


def check_report_folder(folder: Path) -> None:
    """Refuse, before any trial, a report folder whose files could not be written: a file named
    ``sheets`` or a folder named ``results.json`` there failed every trial's clip, or the report
    once every trial had run (minutes of GPU time), as "... is a file, not a folder"."""
    for name in ("report.html", "results.json"):
        check_writable(folder / name, own=True)  # names reelgen picks: "give a file path in it" was wrong
    if (foreign := foreign_report(folder)) is not None:
        raise InvalidRequest(
            f"the report folder {folder} holds a {foreign.name} that is not a shoot-out's, and the report "
            "would replace it; move that file, or give another folder",
            param="output",
        )
    for name in FOLDERS:
        path = folder / name
        if path.exists() and not path.is_dir():
            raise InvalidRequest(
                f"output {folder}: {path} is a file, and the report keeps its {name} in a folder of that "
                "name; move or rename that file, or give another folder",
                param="output",
            )


@dataclass(frozen=True)
class Shootout:
    """A finished shoot-out: its scored trials and the report's path."""

    results: list[TrialResult]
    report: Path


#: Finished trials a stop's message names before "and N more".
NAMED = 10


def listed(keys: list[str]) -> str:
    """``a, b, c`` or ``a, ... j and 4 more``: a shoot-out has up to 32 models on many prompts."""
    more = f" and {len(keys) - NAMED} more" if len(keys) > NAMED else ""
    return ", ".join(keys[:NAMED]) + more


def run_trial(
    trial: Trial, folder: Path, price: float, *, progress: Progress, cache: ModelCache, device: str | None
) -> TrialResult:
    """Render one trial into ``folder/clips`` and read its numbers; an error becomes a failed result."""
    from reelgen.core.render import render

    if trial.request is None:
        return failed_result(trial, trial.error or {"message": "not planned", "code": "invalid_request"})
    clip = folder / CLIPS / f"{trial.key}.mp4"
    try:
        result = render(trial.request, clip, progress=progress, cache=cache, device=device)
    except Cancelled:
        raise
    except ReelgenError as exc:
        return failed_result(trial, {"message": exc.message, "code": exc.code, "param": exc.param})
    except Exception as exc:  # one model's bug must not end the match for the others
        log.exception("shoot-out trial %s failed", trial.key)
        return failed_result(
            trial, {"message": f"internal error ({type(exc).__name__}: {exc})", "code": "internal_error"}
        )
    return trial_result(trial, result.metadata, str(clip), price)


def run_shootout(
    models: Sequence[str],
    prompts: PromptsFile,
    folder: str | Path,
    *,
    base_dir: str | Path = ".",
    images: list[str] | None = None,
    progress: Progress | None = None,
    device: str | None = None,
    price_per_gpu_hour: float | None = None,
    prompts_file: str | Path | None = None,
) -> Shootout:
    """Every model on every prompt, then the report in ``folder``.

    Models run one after another, each loaded once for all its prompts, so its
    load time shows on its first trial only.
    """
    begun = time.monotonic()
    progress = progress or Progress()
    # Absolute, as a server's shoot-out records them: results.json's clip paths then open from anywhere.
    folder = Path(folder).resolve()
    price = prompts.price_per_gpu_hour if price_per_gpu_hour is None else price_per_gpu_hour
    prompts = prompts.model_copy(update={"price_per_gpu_hour": price})
    # 1. Every trial resolved up front: a typo in a model name stops it before anything runs.
    trials = plan_shootout(list(models), prompts, base_dir=base_dir, images=images, prompts_file=prompts_file)
    check_report_folder(folder)
    if device is not None:
        # A device this machine lacks is the user's typo, the same for every trial: said once, before
        # anything runs, rather than as a failed row per trial and a report of nothing.
        from reelgen.core.devices import device_info

        device_info(device)
    # Another run into this folder would write the same clips and report over these.
    with report_folder_held(folder, f"shootout {prompts_file}" if prompts_file else None):
        return _run_trials(trials, prompts, models, folder, price, progress, device, begun)


def _run_trials(
    trials: list[Trial],
    prompts: PromptsFile,
    models: Sequence[str],
    folder: Path,
    price: float,
    progress: Progress,
    device: str | None,
    begun: float,
) -> Shootout:
    """Every planned trial rendered into ``folder``, scored, and the report written."""
    # 2. Each trial in turn; the cache keeps one model loaded across its prompts. An earlier report no
    #    longer tells the truth once a clip of it is replaced, and a stopped run draws no new one.
    remove_report(folder)
    cache = ModelCache(max_models=1)
    results: list[TrialResult] = []
    for i, trial in enumerate(trials):
        if i and trial.model != trials[i - 1].model:
            # render resets the peak before loading, and the cache evicted the last model only while
            # loading this one: its first trial's peak VRAM counted the last model's weights.
            cache.free()
        try:
            progress.cancel.check()
            result = run_trial(trial, folder, price, progress=progress, cache=cache, device=device)
        except Cancelled:
            cache.free()
            # A render's own "no file was written" is true only of the trial it stopped. "The clips made
            # so far are in clips/" was said after trials that had all failed, and made no clip.
            made = [r.key for r in results if r.status == "done"]
            # Named, as the server's cancel names them: clips/ may hold an earlier run's clips beside these.
            kept = (
                f"; the clips made so far are in {folder / CLIPS} (finished: {listed(made)})" if made else ""
            )
            raise Cancelled(
                f"shoot-out {progress.cancel.reason} after {i} of {len(trials)} trial(s): no report was "
                f"written{kept}"
            ) from None
        results.append(result)
        said = result.error["message"] if result.error else f"{result.timings.get('total', 0):.1f} s"
        message = f"[{i + 1}/{len(trials)}] {trial.key}: {result.status} ({said})"
        progress.emit(
            ProgressEvent("shootout", i + 1, len(trials), time.monotonic() - begun, message=message)
        )
    cache.free()
    # 3. Scores against the field, then the report.
    scored = score_trials(results, prompts.weights)
    return Shootout(scored, write_report(scored, prompts, list(models), folder))
