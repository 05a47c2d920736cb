"""Runs a batch in this process: plan every item, skip what is finished, render the rest, summarise.

Items run grouped by model, so a model is loaded once however the manifest
mixes them. Resumable: an item whose ``video_meta.json`` carries the same content key is
not made again, so a batch killed part-way and run again only does what is
left and ends with the same summary. A failed item is tried again on the next
run; a cancel (Ctrl-C) stops the batch with nothing half-written.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from reelgen.core.atomic import check_writable
from reelgen.core.batch.companions import finished, write_companions
from reelgen.core.batch.folder_summary import check_summary_ours
from reelgen.core.batch.inputs import check_images_found
from reelgen.core.batch.lock import folder_held
from reelgen.core.batch.manifest import SUMMARY_FILE, Manifest, load_manifest
from reelgen.core.batch.overwrites import check_keyframes_kept
from reelgen.core.batch.plan import MOTION_FRAMES, PlannedItem, check_models, output_folder, plan_batch
from reelgen.core.batch.prompt import check_prompts
from reelgen.core.batch.summary import BatchSummary, ItemOutcome, cause, outcome_of, summarize
from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_json_atomic
from reelgen.core.errors import Cancelled, InvalidRequest, ReelgenError
from reelgen.core.progress import Progress, ProgressEvent

log = logging.getLogger(__name__)


def run_item(
    planned: PlannedItem,
    *,
    progress: Progress,
    cache: ModelCache,
    device: str | None = None,
    vram_budget_gib: float | None = None,
) -> ItemOutcome:
    """Make one planned item (or say why not) and write its companions; a cancel propagates."""
    if planned.error is not None:
        return ItemOutcome(
            output=planned.output,
            status="failed",
            reason=planned.error["message"],
            code=planned.error["code"],
            param=planned.error["param"],
        )
    if planned.skipped is not None:
        return skipped_outcome(planned)
    meta = finished(planned)
    if meta is not None:
        return outcome_of(planned.output, meta, "reused")
    try:
        # A folder in a companion's place ended the whole batch once this item had rendered.
        for companion in (planned.motion_path, planned.meta_path):
            check_writable(companion, param=f"items[{planned.index}].output", own=True)
        record = _render(planned, progress, cache, device, vram_budget_gib)
    except Cancelled:
        raise
    except ReelgenError as exc:
        reason, param = render_failure(planned, exc.message, exc.param)
        return ItemOutcome(output=planned.output, status="failed", reason=reason, code=exc.code, param=param)
    except Exception as exc:  # a bug in one item must not cost the rest of the batch
        log.exception("batch item %s failed", planned.output)
        where = f"items[{planned.index}]"  # named as a bug met planning it is
        return ItemOutcome(
            output=planned.output,
            status="failed",
            code="internal_error",
            reason=f"{where} ({planned.output}): internal error ({type(exc).__name__}: {exc}); please report it",
            param=where,
        )
    return outcome_of(planned.output, write_companions(planned, record), "done")


#: The request's fields a render may blame, said as the manifest's: AnimateDiff's camera LoRA is the item's motion.
_MANIFEST_FIELD = {"options.camera_motion": "motion", "options.camera_motion_strength": "motion.speed"}
#: How the AnimateDiff runner names the camera LoRA it could not load.
_CAMERA_LORA = re.compile(r"^camera_motion ('[^']*')")


def render_failure(planned: PlannedItem, reason: str, param: str | None) -> tuple[str, str | None]:
    """A render's error said of the item, ``items[N] (name): why`` and ``items[N].<field>``, as a plan's
    error is: a camera LoRA not downloaded was "failed anim: camera_motion ...", with no place, and its
    param ``options.camera_motion``, a field no manifest has."""
    where = f"items[{planned.index}]"
    if planned.ken_burns is not None and param == "image":
        # The Ken Burns request's own field ("image: ... is black"), a field no manifest has.
        param = f"{where}.images[0]"
        return f"{param}: {reason.removeprefix('image: ')}", param
    if param in _MANIFEST_FIELD and planned.motion is not None:
        # The item's motion chose the LoRA: "camera_motion 'pan-left' needs ..." named a field no manifest
        # has (options.camera_motion written in the manifest itself keeps its own words and param).
        param = f"{where}.{_MANIFEST_FIELD[param]}"
        reason = _CAMERA_LORA.sub(r"motion (AnimateDiff's camera LoRA \1)", reason)
    if param is not None and not param.startswith(where):
        param = f"{where}.{param}"
    if not reason.startswith(where):
        reason = f"{where} ({planned.output}): {reason}"
    return reason, param


def skipped_outcome(planned: PlannedItem) -> ItemOutcome:
    """A skipped item's outcome, naming the keyframe that scored worst: a blurred last keyframe was
    said as ``images[0]``, the sharp first one."""
    weakest = (planned.viability or {}).get("image")
    index = planned.images.index(weakest) if weakest in planned.images else 0
    return ItemOutcome(
        output=planned.output,
        status="skipped",
        reason=planned.skipped,
        code="not_viable",
        param=f"items[{planned.index}].images[{index}]",
    )


def _render(
    planned: PlannedItem, progress: Progress, cache: ModelCache, device: str | None, budget: float | None
) -> dict:
    if planned.ken_burns is not None:
        from reelgen.core.motion.kenburns import render_ken_burns

        return render_ken_burns(planned.ken_burns, planned.video, progress=progress).metadata
    from reelgen.core.render import render

    assert planned.request is not None
    result = render(
        planned.request, planned.video, progress=progress, cache=cache, device=device, vram_budget_gib=budget
    )
    return result.metadata


def stopped_batch(progress: Progress, outcomes: dict[int, ItemOutcome], total: int) -> Cancelled:
    """A cancel said as a batch: what is kept and that a second run finishes it (a render's own
    "no file was written" is true only of the item it stopped)."""
    kept = sum(o.status in ("done", "reused") for o in outcomes.values())
    return Cancelled(
        f"batch {progress.cancel.reason} after {len(outcomes)} of {total} item(s): {kept} finished and "
        f"kept, the item in progress wrote no file; run the batch again to do the other {total - len(outcomes)}"
    )


def by_model(plan: list[PlannedItem]) -> list[PlannedItem]:
    """The items grouped by model in order of each model's first item, manifest order within a group."""
    first: dict[str | None, int] = {}
    for planned in plan:
        first.setdefault(planned.model, planned.index)
    return sorted(plan, key=lambda p: (first[p.model], p.index))


def check_output_folder(folder: Path) -> None:
    """Refuse an output folder that is a file, or lies under one, said of the folder: check_writable
    said it of ``FOLDER/batch-summary.json``, a file the person never named, and to "give a path in a folder"."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                where = f"{folder} is a file" if part == folder else f"{folder}: {part} is a file"
                raise InvalidRequest(
                    f"output_dir {where}, not a folder; give a folder for the outputs (it is made if missing)",
                    param="output_dir",
                )
            return


def _run_items(
    plan: list[PlannedItem],
    progress: Progress,
    cache: ModelCache,
    device: str | None,
    vram_budget_gib: float | None,
    on_item: Callable[[ItemOutcome], None] | None,
    begun: float,
) -> dict[int, ItemOutcome]:
    """Each planned item run (or said as failed, skipped or reused), grouped by model; outcomes by index."""
    outcomes: dict[int, ItemOutcome] = {}
    first_with: dict[tuple[str, str], str] = {}  # (status, cause) -> the first item that said it
    ordered_plan = by_model(plan)
    for n, planned in enumerate(ordered_plan, start=1):
        if n > 1 and planned.model != ordered_plan[n - 2].model:
            # A model's items are over. Unloaded now, not while the next one loads: render resets the
            # peak before loading, and the next item's peak VRAM counted this model's weights.
            cache.free()
        try:
            progress.cancel.check()
            outcome = run_item(
                planned, progress=progress, cache=cache, device=device, vram_budget_gib=vram_budget_gib
            )
        except Cancelled:
            raise stopped_batch(progress, outcomes, len(plan)) from None
        outcomes[planned.index] = outcome
        said = outcome.reason if outcome.status in ("failed", "skipped") else outcome.video
        if outcome.reason and said:  # a reason said once, however many items share it
            same = (outcome.status, cause(outcome.reason))
            said = f"the same way as {first_with[same]}" if same in first_with else said
            first_with.setdefault(same, planned.output)
        message = f"[{n}/{len(plan)}] {planned.output}: {outcome.status}" + (f" ({said})" if said else "")
        progress.emit(ProgressEvent("batch", n, len(plan), time.monotonic() - begun, message=message))
        if on_item is not None:
            on_item(outcome)
    return outcomes


def run_batch(
    manifest: Manifest | str | Path,
    *,
    base_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
    progress: Progress | None = None,
    cache: ModelCache | None = None,
    device: str | None = None,
    vram_budget_gib: float | None = None,
    price_per_gpu_hour: float | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
    source: str | None = None,
    manifest_file: Path | None = None,
) -> BatchSummary:
    """Run every item of ``manifest`` (a path, or a manifest with ``base_dir`` its folder) and summarise.

    ``on_item`` hears each outcome as it happens. The summary is also written to
    ``batch-summary.json`` in the output folder. ``source`` starts the manifest's own errors
    (``manifest shots/manifest.json``); a manifest given as a path is named by it. The summary names
    ``manifest_file`` (the path given), and a folder another manifest file's summary is in is refused.
    """
    begun = time.monotonic()
    progress = progress or Progress()
    cache = cache or ModelCache()
    # 1. The manifest and its plan: no GPU time yet, and poor keyframes are skipped here.
    if not isinstance(manifest, Manifest):
        base_dir = Path(manifest).resolve().parent if base_dir is None else base_dir
        source = source or f"manifest {manifest}"
        manifest_file = manifest_file or Path(manifest)
        manifest = load_manifest(manifest)
    manifest_file = manifest_file.resolve() if manifest_file is not None else None
    base = Path(base_dir or ".").resolve()
    check_models(manifest, source)
    check_prompts(manifest, source)
    check_images_found(manifest, base, source)
    check_keyframes_kept(manifest, base, output_folder(manifest, base, output_dir))
    summary_file = output_folder(manifest, base, output_dir) / SUMMARY_FILE
    # Before the plan, which may take minutes (10000 keyframes scored) and writes crops into the folder.
    check_output_folder(summary_file.parent)
    check_writable(summary_file, param="output_dir", own=True)
    crops = summary_file.parent / MOTION_FRAMES
    if crops.exists() and not crops.is_dir():  # every item with a camera path failed as an internal error
        raise InvalidRequest(
            f"output_dir {summary_file.parent}: {crops} is a file, and the batch keeps camera paths' start "
            "and end crops in a folder of that name; move or rename that file",
            param="output_dir",
        )
    # Another run into this folder would make every item again and write over these files.
    with folder_held(summary_file.parent, source):
        check_summary_ours(
            manifest, summary_file.parent, manifest_file=manifest_file
        )  # under the lock: no run is writing one now
        plan = plan_batch(manifest, base, output_dir, progress=progress)
        # An earlier run's summary no longer describes the folder once this run makes or fails items;
        # a run stopped part way (Ctrl-C) would have left it beside outputs it does not list.
        summary_file.unlink(missing_ok=True)

        # 2. Each item: failed or skipped as planned, reused if finished, else made now. Items run
        #    grouped by model so each model loads once; the summary keeps the manifest's order.
        outcomes = _run_items(plan, progress, cache, device, vram_budget_gib, on_item, begun)

        # 3. The summary, beside the outputs.
        defaults = manifest.defaults
        price = defaults.price_per_gpu_hour if price_per_gpu_hour is None else price_per_gpu_hour
        ordered = [outcomes[p.index] for p in plan]
        summary = summarize(ordered, time.monotonic() - begun, price, defaults.currency, manifest_file)
        folder = output_folder(manifest, base, output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(folder / SUMMARY_FILE, summary.model_dump(mode="json"))
        return summary
