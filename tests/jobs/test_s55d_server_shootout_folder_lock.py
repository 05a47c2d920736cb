"""A server shoot-out holds its report folder as an in-process `reelgen shootout` does: one into a folder an
in-process run writes in fails folder_in_use before any trial, and an in-process run is refused while it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.shootout.lock import ReportFolderBusy, report_folder_held
from reelgen.core.shootout.spec import PromptsFile
from reelgen.jobs import kinds
from reelgen.jobs.kinds.shootout import ShootoutPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import JobStatus
from reelgen.jobs.store import JobStore
from tests.jobs.fakes import MODEL


def _queued(store: JobStore, out: Path) -> tuple[ParentDriver, str]:
    kind = kinds.parent("shootout")
    payload = ShootoutPayload(
        models=[MODEL],
        prompts=PromptsFile.model_validate({"prompts": ["a fox"]}),
        input_folder=str(out.parent),
        output_folder=str(out),
    )
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)
    return driver, store.create(kind.name, kind.dump(payload), kind.facts(payload), start_as=DRIVER).id


def test_a_server_shootout_into_a_folder_an_in_process_run_writes_fails_folder_in_use(
    tmp_path: Path, jobtest_family: None
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    out = tmp_path / "compare"
    try:
        with report_folder_held(out, "shootout prompts.yaml"):
            driver, parent_id = _queued(store, out)
            done = driver.advance(parent_id)
        assert done is not None and done.status is JobStatus.FAILED, done
        assert done.error is not None and done.error["code"] == "folder_in_use"
        assert done.error["message"].startswith(
            f"output_folder {out}: another shoot-out is writing its clips and report there now (shootout prompts.yaml, "
        )
        assert store.children(parent_id) == []  # no trial made
    finally:
        store.close()


def test_an_in_process_run_is_refused_while_a_server_shootout_runs_and_free_once_cancelled(
    tmp_path: Path, jobtest_family: None
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    out = tmp_path / "compare"
    try:
        driver, parent_id = _queued(store, out)
        driver.advance(parent_id)  # its first trial queued: it runs
        with pytest.raises(ReportFolderBusy) as refused, report_folder_held(out, "shootout mine.yaml"):
            pass
        assert f"(server shoot-out job {parent_id}, process " in refused.value.message
        assert refused.value.message.startswith(f"--output {out}: another shoot-out is writing")
        ended = driver.cancel(store.cancel(parent_id))
        assert ended is not None and ended.status is JobStatus.CANCELLED
        with report_folder_held(out, "shootout mine.yaml"):
            pass
    finally:
        store.close()
