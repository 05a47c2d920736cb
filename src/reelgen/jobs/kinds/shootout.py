"""The ``shootout`` kind: every model on every prompt as ``render`` children, one at a time, then the report.

Trials run one after another, in the order models were named, so no two
trials of a shoot-out share a GPU and each model's timings are its own; the
service's placement keeps a model loaded across its prompts. Each finished
clip (and its record) is copied to ``clips/<trial key>.mp4`` in the report
folder, the layout of an in-process run, and the report is drawn there, where
the API runs, once every trial has ended. A cancelled shoot-out writes no
report but keeps its finished trials' clips there, as Ctrl-C does in process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.batch.summary import ItemOutcome
from reelgen.core.errors import ReelgenError, WriteFailed
from reelgen.core.shootout.lock import report_folder_held
from reelgen.core.shootout.plan import Trial, plan_shootout
from reelgen.core.shootout.report import remove_report
from reelgen.core.shootout.results import TrialResult, failed_result, trial_result
from reelgen.core.shootout.run import listed
from reelgen.core.shootout.score import ranking, score_trials
from reelgen.core.shootout.spec import PromptsFile
from reelgen.jobs.kinds._folder_holds import FolderHolds
from reelgen.jobs.kinds._outputs import child_record, place, with_inputs
from reelgen.jobs.kinds.base import WAIT, Child, Complete, Fail, ParentKind, Spawn, Step
from reelgen.jobs.records import Facts, Job, JobStatus

NAME = "shootout"
#: Clips go in this folder of the report folder, named by trial key (as ``run_shootout`` does).
CLIPS = "clips"


class ShootoutPayload(BaseModel):
    """Models, the prompts file's content and folder, start images and the report folder (paths absolute)."""

    model_config = ConfigDict(extra="forbid")

    models: list[str] = Field(min_length=1, max_length=32)
    prompts: PromptsFile
    input_folder: str = Field(description="the prompts file's folder: prompts' image paths start here")
    images: list[str] = Field(default_factory=list, description="start images, one per prompt in turn")
    output_folder: str = Field(description="the report folder")
    price_per_gpu_hour: float | None = Field(default=None, ge=0, description="default: the prompts file's")

    def priced(self) -> PromptsFile:
        """The prompts file with this shoot-out's price."""
        if self.price_per_gpu_hour is None:
            return self.prompts
        return self.prompts.model_copy(update={"price_per_gpu_hour": self.price_per_gpu_hour})


class ShootoutKind(ParentKind[ShootoutPayload]):
    """One ``render`` child per trial that could be planned, keyed by the trial's key (``model--prompt``)."""

    name = NAME
    payload_model = ShootoutPayload

    def facts(self, payload: ShootoutPayload) -> Facts:
        what = f"shoot-out of {len(payload.models)} model(s) x {len(payload.prompts.prompts)} prompt(s)"
        return Facts(model=",".join(payload.models)[:200], prompt=what)

    def __init__(self) -> None:
        #: Each running shoot-out's trials that failed to plan, told before it ends (``planned_ends``).
        self._unplanned: dict[str, list[ItemOutcome]] = {}
        self._lock = threading.Lock()
        #: Each running shoot-out's hold on its report folder, the lock an in-process `reelgen shootout` takes.
        self._holds = FolderHolds()

    def hold(self, parent_id: str, payload: ShootoutPayload) -> None:
        """The report folder to this shoot-out until it ends; ``ReportFolderBusy`` (folder_in_use) if an
        in-process `reelgen shootout` holds it: both wrote the same clips and report there."""
        folder = Path(payload.output_folder)
        where = f"server shoot-out job {parent_id}"
        self._holds.take(parent_id, lambda: report_folder_held(folder, where, "output_folder"))

    def release(self, parent_id: str) -> None:
        """The report folder free again (it ended, failed or was cancelled)."""
        self._holds.let_go(parent_id)

    def planned_ends(self, parent_id: str) -> list[ItemOutcome]:
        """The running shoot-out's trials that failed as this process planned them (they get no job),
        each with the error its ``trials`` will say; none once it ended, or in another API process."""
        with self._lock:
            return list(self._unplanned.get(parent_id, []))

    def _told(self, parent_id: str, trials: list[Trial]) -> None:
        ends = [
            ItemOutcome(
                output=t.key,
                status="failed",
                reason=t.error.get("message"),
                code=t.error.get("code"),
                param=t.error.get("param"),
            )
            for t in trials
            if t.request is None and t.error is not None
        ]
        with self._lock:
            self._unplanned[parent_id] = ends

    def _forget(self, parent_id: str) -> None:
        with self._lock:
            self._unplanned.pop(parent_id, None)

    def trials(self, payload: ShootoutPayload) -> list[Trial]:
        """Every trial, as ``run_shootout`` plans them (no torch, and cheap: resolving only)."""
        return plan_shootout(
            payload.models, payload.priced(), base_dir=payload.input_folder, images=payload.images
        )

    def advance(self, parent: Job, payload: ShootoutPayload, children: Sequence[Job]) -> Step:
        try:
            self.hold(parent.id, payload)
            step = self._advance(parent, payload, children)
        except BaseException:
            self._forget(parent.id)
            self.release(parent.id)
            raise
        if not isinstance(step, Spawn):  # it ends here: its trials say the rest
            self._forget(parent.id)
            self.release(parent.id)
        return step

    def _advance(self, parent: Job, payload: ShootoutPayload, children: Sequence[Job]) -> Step:
        trials = self.trials(payload)
        self._told(parent.id, trials)
        by_key = {str(c.child_key): c for c in children}
        # 1. One trial at a time: the next starts only when the last one has ended.
        if any(not c.terminal for c in children):
            return WAIT
        following = next((t for t in trials if t.request is not None and t.key not in by_key), None)
        if following is not None:
            assert following.request is not None
            if not children:  # as in process: an earlier report would tell of clips this run replaces
                remove_report(payload.output_folder)
            return Spawn((Child(following.key, "render", following.request),))
        # 2. Every trial ended: its numbers, the scores against the field, the report.
        prompts = payload.priced()
        folder = Path(payload.output_folder)
        results = [_result(t, by_key.get(t.key), folder, prompts.price_per_gpu_hour) for t in trials]
        scored = score_trials(results, prompts.weights)
        try:
            from reelgen.core.shootout.report import RESULTS_FILE, write_report

            report = write_report(scored, prompts, payload.models, folder)
        except WriteFailed as exc:  # a full disk, said by the writer (it was an OSError before)
            return Fail(exc.message, "output_unavailable")
        except OSError as exc:
            return Fail(
                f"could not write the report in {folder} ({exc.strerror or exc})", "output_unavailable"
            )
        return Complete(
            {
                "report_file": str(report),
                "results_file": str(folder / RESULTS_FILE),
                "output_folder": str(folder),
                "ranking": ranking(scored),
                "trials": [_brief(r) for r in scored],
                "one_at_a_time": True,
                "children": {key: child.id for key, child in by_key.items()},
            }
        )

    def cancelled(self, parent: Job, payload: ShootoutPayload, children: Sequence[Job]) -> str | None:
        """The finished trials' clips copied to ``clips/`` (an in-process run's Ctrl-C keeps them too),
        and a message saying how many trials ended and which finished; no report is written."""
        self._forget(parent.id)
        self.release(parent.id)
        trials = self.trials(payload)
        by_key = {str(c.child_key): c for c in children}
        ended = [t for t in trials if t.key in by_key and by_key[t.key].status in _ENDED]
        folder = Path(payload.output_folder)
        kept: list[str] = []
        lost: list[str] = []
        for trial in ended:
            child = by_key[trial.key]
            if child.status is not JobStatus.COMPLETED:
                continue
            try:
                _placed(trial, child, folder)
                kept.append(trial.key)
            except ReelgenError as exc:
                lost.append(f"{trial.key}'s clip could not be copied out: {exc.message}")
        said = f"cancelled by request after {len(ended)} of {len(trials)} trial(s), with its children"
        said += ": no report was written"
        if kept:
            said += f"; the clips made so far are in {folder / CLIPS} (finished: {listed(kept)})"
        return "; ".join([said, *lost])


#: A trial's child that ran to an end, not cancelled with its shoot-out.
_ENDED = (JobStatus.COMPLETED, JobStatus.FAILED)


def _placed(trial: Trial, child: Job, folder: Path) -> tuple[dict[str, Any], Path]:
    """The completed child's clip and record copied to ``clips/<key>.mp4``; ``ReelgenError`` if they cannot be."""
    assert trial.request is not None  # a trial with a child was planned
    record = with_inputs(
        child_record(child), "request", trial.request.model_dump(mode="json"), trial.request.input_files()
    )
    clip = folder / CLIPS / f"{trial.key}.mp4"
    place(child, clip, record)
    return record, clip


def _result(trial: Trial, child: Job | None, folder: Path, price: float) -> TrialResult:
    """The trial's numbers from its child's record, its clip copied to ``clips/<key>.mp4``."""
    if trial.request is None or child is None:
        return failed_result(trial, trial.error or {"message": "not planned", "code": "invalid_request"})
    if child.status is not JobStatus.COMPLETED:
        error = child.error or {"code": child.status.value, "message": child.status.value}
        return failed_result(trial, {**error, "message": f"{error['message']} (job {child.id})"})
    try:
        record, clip = _placed(trial, child, folder)
    except ReelgenError as exc:
        return failed_result(trial, {"message": exc.message, "code": exc.code, "param": exc.param})
    return trial_result(trial, record, str(clip), price)


def _brief(result: TrialResult) -> dict[str, Any]:
    """A trial as the job's result lists it; every number is in the results file."""
    return {
        "key": result.key,
        "model": result.model,
        "prompt_id": result.prompt_id,
        "status": result.status,
        "score": result.score,
        "error": result.error,
    }
