"""The ``batch`` kind: a manifest run as one child job per item, ending with the same files and summary as in process.

The parent runs where the API runs, so its output folder must be writable
there: planning writes the motion crops that become children's input files,
and each finished child's clip, record and companions are copied to the
item's name there as soon as it completes. Items that fail to plan, are
skipped for viability or were finished by an earlier run (same content key)
get no child. Once every child has ended the batch completes with the summary,
failed items and all; only cancelling it ends it otherwise.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.batch.companions import finished, write_companions
from reelgen.core.batch.folder_summary import check_summary_ours, named_file
from reelgen.core.batch.lock import folder_held
from reelgen.core.batch.manifest import Manifest
from reelgen.core.batch.plan import PlannedItem, plan_batch
from reelgen.core.batch.run import SUMMARY_FILE, by_model, render_failure, skipped_outcome
from reelgen.core.batch.summary import ItemOutcome, outcome_of, summarize
from reelgen.core.encode import write_json_atomic
from reelgen.core.errors import ReelgenError, WriteFailed
from reelgen.core.motion.kenburns import KenBurnsRequest
from reelgen.core.progress import CancelToken, Progress
from reelgen.jobs.kinds._folder_holds import FolderHolds
from reelgen.jobs.kinds._outputs import child_record, place, with_inputs
from reelgen.jobs.kinds.base import WAIT, Child, Complete, Fail, ParentKind, Spawn, Step
from reelgen.jobs.kinds.kenburns import NAME as KEN_BURNS_KIND
from reelgen.jobs.kinds.kenburns import KenBurnsKind
from reelgen.jobs.records import Facts, Job, JobStatus

NAME = "batch"
#: Plans kept in memory (one per running batch), so an advance does not plan a batch again.
PLANS_KEPT = 32


class BatchPayload(BaseModel):
    """A manifest, the folder its relative paths start from and where outputs go (both absolute)."""

    model_config = ConfigDict(extra="forbid")

    manifest: Manifest
    input_folder: str = Field(description="the manifest's folder: relative image paths start here")
    output_folder: str = Field(description="where the clips, companions and summary go")
    price_per_gpu_hour: float | None = Field(default=None, ge=0, description="default: the manifest's")
    name: str = Field(default="", max_length=200, description="shown in lists, e.g. the manifest's file name")

    @cached_property
    def places(self) -> dict[str, int]:
        """Each item's place in the manifest by its output name (a child's key): found by a scan of
        every item for each failed one, a batch of 10,000 took 10^8 steps to word its failures."""
        places: dict[str, int] = {}
        for index, item in enumerate(self.manifest.items):
            places.setdefault(item.stem, index)
        return places


class BatchKind(ParentKind[BatchPayload]):
    """One ``render`` (or ``ken_burns``) child per runnable item, keyed by the item's output name."""

    name = NAME
    payload_model = BatchPayload

    def __init__(self) -> None:
        #: Each plan with its planned ends (``planned_ends``), told on every GET of the batch: made once.
        self._plans: OrderedDict[str, tuple[list[PlannedItem], list[ItemOutcome]]] = OrderedDict()
        self._lock = threading.Lock()
        #: The cancel of each plan being made, so ``stop`` ends a big batch's planning between items.
        self._planning: dict[str, CancelToken] = {}
        #: Each running batch's hold on its output folder, the lock an in-process `reelgen batch` takes.
        self._holds = FolderHolds()

    def facts(self, payload: BatchPayload) -> Facts:
        items = len(payload.manifest.items)
        return Facts(model=payload.manifest.defaults.model or "", prompt=payload.name or f"batch of {items}")

    def plan(self, parent_id: str, payload: BatchPayload) -> list[PlannedItem]:
        """The batch's plan, made once per process: planning reads every keyframe and writes crops."""
        with self._lock:
            if parent_id in self._plans:
                self._plans.move_to_end(parent_id)
                return self._plans[parent_id][0]
        folder = Path(payload.output_folder)
        # Again here, under the folder's lock (hold), as an in-process run checks it: a summary another
        # batch wrote there while this one was queued was replaced at the end without a word.
        made_by = named_file(Path(payload.input_folder), payload.name)
        check_summary_ours(payload.manifest, folder, "output_folder", made_by)
        token = CancelToken()
        with self._lock:
            self._planning[parent_id] = token
        try:
            planned = plan_batch(
                payload.manifest, payload.input_folder, payload.output_folder, progress=Progress(cancel=token)
            )
        finally:
            with self._lock:
                self._planning.pop(parent_id, None)
        # As in process: an earlier run's summary no longer describes the folder once this run makes or
        # fails items, and a batch cancelled part way left it beside clips it does not list.
        (folder / SUMMARY_FILE).unlink(missing_ok=True)
        plan = [_mp4_only(p) for p in planned]
        ends = [_outcome(p, None) for p in plan if p.error is not None or p.skipped is not None]
        with self._lock:
            self._plans[parent_id] = (plan, ends)
            while len(self._plans) > PLANS_KEPT:
                self._plans.popitem(last=False)
        return plan

    def planned_ends(self, parent_id: str) -> list[ItemOutcome]:
        """The items that failed or were skipped as this process planned the running batch, each as its
        summary will say it; none before the plan is made, once it ended, or in another API process."""
        with self._lock:
            _, ends = self._plans.get(parent_id) or ([], [])
        return list(ends)

    def stop(self, parent_id: str, reason: str = "cancelled") -> None:
        with self._lock:
            token = self._planning.get(parent_id)
        if token is not None:
            token.cancel(reason)

    def hold(self, parent_id: str, payload: BatchPayload) -> None:
        """The output folder to this batch until it ends; ``FolderBusy`` (folder_in_use) if another holds it.

        A server batch and an in-process one (or another server's) into one folder each made every item
        again and wrote over the other's clips and summary. Held by this process: a restart takes it again.
        """
        where = (
            f"server batch {payload.name}, job {parent_id}"
            if payload.name
            else f"server batch job {parent_id}"
        )
        folder = Path(payload.output_folder)
        self._holds.take(parent_id, lambda: folder_held(folder, where, field="output_folder"))

    def release(self, parent_id: str) -> None:
        """The batch's output folder free again (it ended, failed or was cancelled)."""
        self._holds.let_go(parent_id)

    def item_error(self, payload: BatchPayload, child: Job) -> dict[str, Any] | None:
        """A Ken Burns item's error named by the manifest's field and file, as its summary names it."""
        if child.error is None or child.kind != KEN_BURNS_KIND:
            return child.error
        index = payload.places.get(str(child.child_key))
        if index is None:  # cannot happen: a child's key is its item's output name
            return child.error
        try:
            request = KenBurnsKind().parse(child.payload)
        except ReelgenError:  # a payload of an older version: its own words, as they are
            return child.error
        message, _ = item_words(index, request, child.error.get("message") or "")
        return {**child.error, "message": message}

    def cancelled(self, parent: Job, payload: BatchPayload, children: Sequence[Job]) -> str | None:
        self.release(parent.id)
        return None

    def advance(self, parent: Job, payload: BatchPayload, children: Sequence[Job]) -> Step:
        self.hold(parent.id, payload)
        try:
            step = self._advance(parent, payload, children)
        except BaseException:
            self.release(parent.id)
            raise
        if not isinstance(step, Spawn):  # it ends here: complete or failed
            self.release(parent.id)
        return step

    def _advance(self, parent: Job, payload: BatchPayload, children: Sequence[Job]) -> Step:
        plan = self.plan(parent.id, payload)
        by_key = {str(c.child_key): c for c in children}
        # 1. A child for every runnable item that has none and was not finished by an earlier run,
        #    made grouped by model so each model loads once wherever the manifest mixes them.
        wanted = [_child(p) for p in by_model(plan) if _wanted(p, by_key)]
        if wanted:
            return Spawn(tuple(wanted))
        # 2. Each finished child's files copied into place as it completes (so they appear one by one).
        for planned in plan:
            child = by_key.get(planned.output)
            if child is not None and child.status is JobStatus.COMPLETED and finished(planned) is None:
                _collect(planned, child)
        if any(not c.terminal for c in children):
            return WAIT
        # 3. Every child ended: the outcomes in manifest order, the summary beside the outputs.
        with self._lock:
            self._plans.pop(parent.id, None)
        return self._summary(parent, payload, plan, by_key)

    def _summary(
        self, parent: Job, payload: BatchPayload, plan: list[PlannedItem], by_key: dict[str, Job]
    ) -> Step:
        defaults = payload.manifest.defaults
        price = (
            defaults.price_per_gpu_hour if payload.price_per_gpu_hour is None else payload.price_per_gpu_hour
        )
        outcomes = [_outcome(p, by_key.get(p.output)) for p in plan]
        begun = parent.started_at or parent.created_at
        made_by = named_file(Path(payload.input_folder), payload.name)
        summary = summarize(outcomes, max(0.0, time.time() - begun), price, defaults.currency, made_by)
        path = Path(payload.output_folder) / SUMMARY_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(path, summary.model_dump(mode="json"))
        except WriteFailed as exc:  # a full disk, said by the writer (it was an OSError before)
            return Fail(exc.message, "output_unavailable")
        except OSError as exc:
            return Fail(f"could not write the summary {path} ({exc.strerror or exc})", "output_unavailable")
        return Complete(
            {
                "summary": summary.model_dump(mode="json"),
                "summary_file": str(path),
                "output_folder": payload.output_folder,
                "children": {key: child.id for key, child in by_key.items()},
            }
        )


def _mp4_only(planned: PlannedItem) -> PlannedItem:
    """A child job makes an MP4, so another container is this item's error (in process it is not)."""
    suffix = Path(planned.video).suffix.lower()
    if not planned.runnable or suffix == ".mp4":
        return planned
    where = f"items[{planned.index}].output"
    message = (
        f"{where}: a batch on a server makes MP4 files, not {suffix}; name the output {planned.output} "
        f"or {planned.output}.mp4, or run `reelgen batch` without --server"
    )
    return planned.model_copy(
        update={"error": {"message": message, "code": "invalid_request", "param": where}}
    )


def _wanted(planned: PlannedItem, by_key: dict[str, Job]) -> bool:
    return planned.runnable and planned.output not in by_key and finished(planned) is None


def _child(planned: PlannedItem) -> Child:
    if planned.ken_burns is not None:
        return Child(planned.output, KEN_BURNS_KIND, planned.ken_burns)
    assert planned.request is not None  # a runnable item has one or the other
    return Child(planned.output, "render", planned.request)


def _record(planned: PlannedItem, child: Job) -> dict[str, Any]:
    """The child's record naming the files the item was planned from, as an in-process run's does."""
    record = child_record(child)
    if planned.ken_burns is not None:
        request = planned.ken_burns
        return with_inputs(record, "ken_burns", request.model_dump(mode="json"), request.input_files())
    assert planned.request is not None
    request_json = planned.request.model_dump(mode="json")
    return with_inputs(record, "request", request_json, planned.request.input_files())


def _collect(planned: PlannedItem, child: Job) -> str | None:
    """Clip, record, then companions (``video_meta.json`` last: the item's finished mark); why not, or None."""
    record = _record(planned, child)
    try:
        place(child, Path(planned.video), record)
        write_companions(planned, record)
    except ReelgenError as exc:
        return exc.message
    except OSError as exc:
        return f"could not write beside {planned.video} ({exc.strerror or exc})"
    return None


def _outcome(planned: PlannedItem, child: Job | None) -> ItemOutcome:
    """How the item ended: as planned (failed, skipped), reused, or as its child did."""
    failed = ItemOutcome(output=planned.output, status="failed")
    if planned.error is not None:
        error = planned.error
        return failed.model_copy(
            update={"reason": error["message"], "code": error["code"], "param": error["param"]}
        )
    if planned.skipped is not None:
        return skipped_outcome(planned)
    meta = finished(planned)
    if child is None:
        if meta is None:  # cannot happen: an unfinished item without a child gets one first
            return failed.model_copy(update={"reason": "never ran", "code": "internal_error"})
        return outcome_of(planned.output, meta, "reused")
    if child.status is JobStatus.COMPLETED:
        why = None if meta is not None else _collect(planned, child)
        meta = meta or finished(planned)
        if meta is not None:
            return outcome_of(planned.output, meta, "done")
        reason = f"{why or 'its files could not be copied out'} (job {child.id})"
        return failed.model_copy(update={"reason": reason, "code": "output_unavailable"})
    error = child.error or {"code": child.status.value, "message": child.status.value}
    reason, param = item_words(planned.index, planned.ken_burns, error["message"] or error["code"])
    if param is None:  # named by its place and the manifest's field, as run_item says it in process
        reason, param = render_failure(planned, reason, error.get("param"))
    return failed.model_copy(
        update={"reason": f"{reason} (job {child.id})", "code": error["code"], "param": param}
    )


def item_words(index: int, ken_burns: KenBurnsRequest | None, reason: str) -> tuple[str, str | None]:
    """A Ken Burns child's "image: the image file is black ..." said of the manifest's field and file,
    ``items[N].images[0]: /path is black ...``, as ``run_item`` says it in process: a job's error keeps
    no param, and its request's ``image`` is a field no manifest has. The summary and the live item
    event both say it so."""
    if ken_burns is None or not reason.startswith("image: "):
        return reason, None
    param = f"items[{index}].images[0]"
    said = reason.removeprefix("image: ")
    # The worker said its scratch copy as these words; the manifest's own file is what the person gave.
    words = KenBurnsKind().input_named("image")
    if said.startswith(words):
        said = ken_burns.image + said.removeprefix(words)
    return f"{param}: {said}", param
