"""A job queued with an uploaded image, then its data folder moved while the server was stopped, still
finds its upload: to run, to be remixed, and to be kept by the upload cleanup."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.remix_inputs import inputs_kept, remixable
from reelgen.api.settings import ApiSettings
from reelgen.jobs import kinds, reconcile
from reelgen.jobs.records import Job
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.worker import pack_inputs, unreadable_input
from tests.api.conftest import png

FORM = {"prompt": "a fox", "model": "wan-i2v-tiny", "size": "64x64", "num_frames": "9"}


@pytest.fixture
def moved(tmp_path: Path) -> Iterator[tuple[JobService, Job, bytes]]:
    """The service of the moved folder, the job queued before the move, and the image it was sent."""
    old, new = tmp_path / "old", tmp_path / "new place"
    image = png(64, 64)
    settings = ApiSettings(jobs=JobSettings(data_dir=old), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as client:
        sent = client.post(
            "/v1/videos", data=FORM, files={"input_reference": ("fox.png", image, "image/png")}
        )
        assert sent.status_code == 202, sent.text
    shutil.move(old, new)
    service = JobService(JobSettings(data_dir=new))
    try:
        yield service, service.get(sent.json()["id"]), image
    finally:
        service.stop()


def test_the_queued_job_reads_its_upload_from_the_moved_folder(moved: tuple[JobService, Job, bytes]) -> None:
    # It failed "input_missing: an input file is gone: ... /old/inputs/<id>-fox.png".
    service, job, image = moved
    packed = pack_inputs(kinds.worker(job.kind), kinds.payload_of(job), service.input_here)
    assert list(packed.values()) == [image]


def test_its_video_can_still_be_remixed_from_the_upload(moved: tuple[JobService, Job, bytes]) -> None:
    # "cannot be remixed: the image it started from ... is no longer on the server", though it was.
    service, job, image = moved
    request = inputs_kept(job, remixable(job), service.input_here)
    assert request.start_image is not None
    assert Path(request.start_image).read_bytes() == image
    assert Path(request.start_image).parent == service.artifacts.inputs


def test_the_upload_cleanup_keeps_the_queued_jobs_upload(moved: tuple[JobService, Job, bytes]) -> None:
    service, job, _ = moved
    assert reconcile._remove_old_inputs(service.store, service.artifacts, time.time() + 60) == 0
    assert len(list(service.artifacts.inputs.iterdir())) == 1


def test_an_upload_removed_by_hand_is_named_as_sent_not_by_the_servers_path(
    moved: tuple[JobService, Job, bytes],
) -> None:
    # The job failed "an input file is gone: [Errno 2] No such file or directory: '/srv/.../inputs/<id>-fox.png'".
    service, job, _ = moved
    for upload in service.artifacts.inputs.iterdir():
        upload.unlink()
    kind, payload = kinds.worker(job.kind), kinds.payload_of(job)
    with pytest.raises(OSError) as gone:
        pack_inputs(kind, payload, service.input_here)
    said = unreadable_input(kind, payload, gone.value, service.input_here)
    assert said.startswith("the start image file (fox.png) can no longer be read on the server (No such file")
    assert "make the job again, sending it anew" in said
    assert "inputs" not in said and str(service.artifacts.root) not in said
