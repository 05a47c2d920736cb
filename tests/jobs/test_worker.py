"""The worker actor's side, in this process: typed events, inputs shipped by value, cancel, errors."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from pathlib import Path

import av
import pytest
from PIL import Image

from reelgen.jobs import kinds
from reelgen.jobs.events import ProgressReport, RunCancelled, RunError, RunResult
from reelgen.jobs.worker import VideoWorker, pack_inputs
from tests.jobs.fakes import resolved

JOB = "video_" + "1" * 32


def test_a_run_streams_progress_reports_then_one_result_with_its_files(
    worker: VideoWorker, tmp_path: Path
) -> None:
    image = tmp_path / "green.png"
    Image.new("RGB", (48, 48), (20, 200, 40)).save(image)
    request = resolved(start_image=str(image), seed=3)
    render = kinds.worker(kinds.RENDER)
    inputs = pack_inputs(render, request)
    assert inputs == {"start_image": image.read_bytes()}

    events = list(worker.run(JOB, kinds.RENDER, render.dump(request), inputs, preview_every=1))
    *head, result = events
    reports = [e for e in head if isinstance(e, ProgressReport)]
    assert len(reports) == len(head)
    assert [e.step for e in reports if e.stage == "denoise"] == [0, 1, 2, 3]
    preview = next(e.preview for e in reports if e.preview)
    assert Image.open(io.BytesIO(base64.b64decode(preview))).size == (8, 8)

    assert isinstance(result, RunResult) and result.frames == 5
    assert set(result.files) == {"video", "thumbnail", "metadata"}
    with av.open(io.BytesIO(result.files["video"])) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24")
    red, green, blue = first.reshape(-1, 3).mean(axis=0)
    assert green > 120 and red < 80 and blue < 80  # made from the shipped image
    record = json.loads(result.files["metadata"])
    # The file the request named, not the worker's copy (a scratch path, gone with its folder).
    assert record["request"]["start_image"] == record["inputs"]["start_image"]["path"] == str(image)
    with av.open(io.BytesIO(result.files["video"])) as container:  # the record in the clip says so too
        embedded = json.loads(container.metadata["comment"])
    assert embedded["inputs"]["start_image"]["path"] == str(image)
    assert record["request"]["seed"] == 3
    assert record["inputs"]["start_image"]["sha256"] == hashlib.sha256(image.read_bytes()).hexdigest()


def test_a_cancel_ends_the_run_with_a_cancelled_event_at_the_next_step(worker: VideoWorker) -> None:
    request = resolved(steps=40, options={"step_delay": 0.05})
    render = kinds.worker(kinds.RENDER)
    events = []
    for event in worker.run(JOB, kinds.RENDER, render.dump(request), {}):
        events.append(event)
        if isinstance(event, ProgressReport) and event.stage == "denoise" and event.step == 2:
            assert worker.cancel(JOB)
    assert isinstance(events[-1], RunCancelled) and "no file was written" in events[-1].message
    assert max(e.step for e in events if isinstance(e, ProgressReport) and e.stage == "denoise") <= 3
    assert not worker.cancel(JOB)  # nothing runs any more


def test_failures_arrive_as_error_events_with_a_code(worker: VideoWorker) -> None:
    render = kinds.worker(kinds.RENDER)
    black = list(worker.run(JOB, kinds.RENDER, render.dump(resolved(options={"black": True})), {}))
    assert isinstance(black[-1], RunError) and black[-1].code == "generation_failed"
    assert "black frame" in black[-1].message
    unknown = list(worker.run(JOB, "no-such-kind", {}, {}))
    assert unknown == [RunError("unknown_kind", unknown[0].message)]  # type: ignore[union-attr]
    assert "no job kind 'no-such-kind'" in unknown[0].message  # type: ignore[union-attr]


def test_every_job_of_a_worker_runs_on_one_thread(
    worker: VideoWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per-thread GPU caches (cuDNN's autotuned plans) outlive a job only if the next job runs on the
    same thread; a thread per job made every LTX clip autotune its VAE again."""
    import threading

    render = kinds.worker(kinds.RENDER)
    threads: list[threading.Thread] = []  # the objects: a new thread can reuse an ended one's ident
    plain_run = type(render).run

    def noting_run(self: object, payload: object, context: object) -> object:
        threads.append(threading.current_thread())
        return plain_run(self, payload, context)  # type: ignore[arg-type]

    monkeypatch.setattr(type(render), "run", noting_run)
    for seed in (1, 2, 3):
        request = resolved(seed=seed)
        *_, result = worker.run(f"video_{seed:032d}", kinds.RENDER, render.dump(request), {})
        assert isinstance(result, RunResult)
    assert len(threads) == 3 and threads[0] is threads[1] is threads[2]
    assert threads[0] is not threading.current_thread()


def test_a_file_the_run_could_not_write_is_named_without_the_servers_folders(
    worker: VideoWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The job's error read "no space left on the device writing /srv/.../scratch/worker-test/video_1-x/out.mp4":
    # a path of the server's, which no client can open and which tells it how the server's disk is laid out.
    import errno
    import os

    from reelgen.core.atomic import write_failed

    render = kinds.worker(kinds.RENDER)

    def full_disk(self: object, request: object, context: kinds.WorkerContext) -> None:
        out = context.folder / "out.mp4"
        raise write_failed(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out)), out)

    monkeypatch.setattr(type(render), "run", full_disk)
    *_, end = worker.run(JOB, kinds.RENDER, render.dump(resolved()), {})
    assert isinstance(end, RunError) and end.code == "write_failed", end
    assert (
        end.message
        == "no space left on the device writing out.mp4; no out.mp4 was made: free some space and run again"
    )
