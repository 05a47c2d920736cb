"""Project jobs on a live job service: scenes and windows as child jobs, the same film as in process, resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reelgen.core.cache import ModelCache
from reelgen.core.project import ProjectFolder, SceneStatus, export_project, render_project, status
from reelgen.jobs.kinds.project import PROJECT, project_job
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.service import JobService
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import wait_for
from tests.jobs.projects import (
    assert_same_pictures,
    copy_film,
    edit,
    make_film,
    project_service,
    reelgen_env,
    streams,
)


@pytest.fixture(scope="module")
def reference(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> ProjectFolder:
    """The film rendered and exported in this process, as `reelgen project render/export` do."""
    folder = ProjectFolder.find(make_film(tmp_path_factory.mktemp("in-process") / "film"))
    with reelgen_env(reelgen_home):
        cache = ModelCache(max_models=2)
        try:
            render_project(folder, cache=cache)
        finally:
            cache.free()
        export_project(folder)
    return folder


# ---- a service killed in the middle -------------------------------------------------------------

SERVE = """
import sys, time
from pathlib import Path
from reelgen.core.project import ProjectFolder
from reelgen.jobs.kinds.project import PROJECT, project_job
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings

service = JobService(JobSettings(engine="local", data_dir=Path(sys.argv[1]), cpu_workers=1, max_attempts=2))
service.start()
job = service.submit(project_job(ProjectFolder.find(sys.argv[2]), export=True), kind=PROJECT)
print(job.id, flush=True)
while True:
    time.sleep(1)
"""


@dataclass
class Killed:
    """A project job whose service process was SIGKILLed in the middle of the film."""

    film: Path
    data: Path
    parent_id: str
    children: dict[str, Job]  # its children as the killed process left them in the store


@pytest.fixture(scope="module")
def killed(reference: ProjectFolder, reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Killed:
    """The film submitted to a service in its own process, killed once the long scene's first window is
    kept in the project, before the film is done. After ``reference``: its models are built by then."""
    root = tmp_path_factory.mktemp("killed")
    film = make_film(root / "film")
    data = root / "jobs"
    env = {
        **os.environ,
        "REELGEN_HOME": str(reelgen_home),
        "REELGEN_MODELS_DIR": str(reelgen_home / "models"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(data), str(film)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        parent_id = proc.stdout.readline().strip()
        store = JobStore(f"sqlite:///{data / 'jobs.db'}")
        first_window = film / "windows"
        wait_for(lambda: any(first_window.glob("*/window-000.mp4")), timeout_s=300, what="the first window")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        children = {c.child_key: c for c in store.children(parent_id)}
        store.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Killed(film, data, parent_id, children)


@pytest.fixture(scope="module")
def service(killed: Killed, reelgen_home: Path) -> Iterator[JobService]:
    """The service started again on the killed one's data: it finishes that film, then runs the tests' jobs
    (one worker process for both, where a fresh service for the restart alone started a second)."""
    with project_service(killed.data, reelgen_home) as svc:
        yield svc


def run(service: JobService, folder: Path, **options: object) -> tuple[Job, list[Job]]:
    """Submit a project job as the API does, wait for it, return it and its children."""
    payload = project_job(ProjectFolder.find(folder), **options)  # type: ignore[arg-type]
    job = service.wait(service.submit(payload, kind=PROJECT).id, timeout_s=600)
    return job, service.children(job.id)


def test_a_project_job_renders_the_same_film_as_the_cli(
    service: JobService, reference: ProjectFolder, tmp_path: Path
) -> None:
    film = make_film(tmp_path / "film")
    job, children = run(service, film, export=True)
    assert job.status is JobStatus.COMPLETED, job.error
    keys = {s.scene_id: s.key for s in status(reference)}
    # One child per window: the long scene's first two windows, then its last window with the join.
    assert [(c.child_key, c.kind) for c in children] == [
        (f"scene-{keys['boats']}", "scene"),
        (f"window-{keys['pan']}-000", "scene"),
        (f"window-{keys['pan']}-001", "scene"),
        (f"scene-{keys['pan']}", "scene"),
        ("export", "export"),
    ]
    assert all(c.status is JobStatus.COMPLETED and c.attempts == 1 for c in children)
    folder = ProjectFolder.find(film)
    states = status(folder)
    assert [(s.scene_id, s.status, s.key) for s in states] == [
        (s.scene_id, s.status, s.key) for s in status(reference)
    ]
    for scene in ("boats", "pan"):
        assert_same_pictures(folder.clip(keys[scene]), reference.clip(keys[scene]))
    assert not (film / "windows").exists()  # windows are kept only until their clip is made
    export = film / "exports" / "harbour-lights.mp4"
    assert job.result is not None and job.result["export"]["name"] == export.name
    assert job.result["rendered"] == ["boats", "pan"]
    assert streams(export) == streams(reference.exports / "harbour-lights.mp4")
    assert streams(export)["audio"]  # the music is there, as long as the film


def test_one_changed_prompt_renders_one_scene_and_an_export_alone_renders_nothing(
    service: JobService, reference: ProjectFolder, tmp_path: Path
) -> None:
    film = copy_film(reference.root, tmp_path / "film")
    clips = film / "clips"
    before = {p.name: p.stat().st_mtime_ns for p in clips.glob("*.mp4")}
    edit(film, lambda d: d["scenes"][1].update(prompt="small boats rocking at dawn"))
    job, children = run(service, film, export=True)
    assert job.status is JobStatus.COMPLETED, job.error
    new_key = next(s.key for s in status(ProjectFolder.find(film)) if s.scene_id == "boats")
    assert [c.child_key for c in children] == [f"scene-{new_key}", "export"]
    after = {p.name: p.stat().st_mtime_ns for p in clips.glob("*.mp4")}
    pan = next(s.key for s in status(reference) if s.scene_id == "pan")
    assert after[f"{pan}.mp4"] == before[f"{pan}.mp4"]  # untouched
    assert set(after) == {f"{pan}.mp4", f"{new_key}.mp4"}  # the old clip of boats is gone

    exported, children = run(
        service, film, render=False, export=True, overrides={"container": "webm", "codec": "vp9"}
    )
    assert exported.status is JobStatus.COMPLETED, exported.error
    assert [(c.child_key, c.kind) for c in children] == [("export", "export")]
    assert {p.name: p.stat().st_mtime_ns for p in clips.glob("*.mp4")} == after
    assert streams(film / "exports" / "harbour-lights.webm")["video"][0] == "vp9"
    # The record names the project the film was made from, not the worker's scratch copy of it.
    record = json.loads((film / "exports" / "harbour-lights.json").read_text())
    assert record["project"] == str(film / "project.yaml")
    # Its clips and music too: the copy they were read from was the job's, deleted as it ended.
    assert [s["clip"] for s in record["segments"]] == [
        None,
        *(str(clips / f"{k}.mp4") for k in (new_key, pan)),
    ]
    assert record["soundtrack"]["file"].startswith(str(film) + "/")
    assert all(Path(s["clip"]).is_file() for s in record["segments"] if s["clip"])


def test_a_failed_export_leaves_the_previous_export_intact(
    service: JobService, reference: ProjectFolder, tmp_path: Path
) -> None:
    film = copy_film(reference.root, tmp_path / "film")
    export = film / "exports" / "harbour-lights.mp4"
    before = export.read_bytes()
    (film / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a picture")
    edit(film, lambda d: d.setdefault("export", {}).update(watermark={"image": "assets/logo.png"}))
    job, children = run(service, film, render=False, export=True)
    assert job.status is JobStatus.FAILED and job.error_code == "export_failed"
    assert "export.watermark.image" in (job.error_message or "")
    assert "previous export is unchanged" in (job.error_message or "")
    assert [c.status for c in children] == [JobStatus.FAILED]
    assert export.read_bytes() == before
    assert sorted(p.name for p in export.parent.iterdir()) == ["harbour-lights.json", "harbour-lights.mp4"]


def test_a_service_killed_mid_project_loses_no_scene_and_renders_none_twice(
    killed: Killed, service: JobService, reference: ProjectFolder
) -> None:
    assert "export" not in killed.children  # it really died in the middle

    # The service started again on the same data (the module's) finishes the film.
    done = service.wait(killed.parent_id, timeout_s=600)
    children = service.children(killed.parent_id)
    assert done.status is JobStatus.COMPLETED, done.error
    keys = [c.child_key for c in children]
    assert len(keys) == len(set(keys)) == 5  # every child once
    for child in children:
        before = killed.children.get(child.child_key)
        if before is not None and before.status is JobStatus.COMPLETED:
            assert (child.attempts, child.started_at) == (before.attempts, before.started_at)  # not again
    folder = ProjectFolder.find(killed.film)
    assert [s.status for s in status(folder)] == [
        SceneStatus.CARD,
        SceneStatus.RENDERED,
        SceneStatus.RENDERED,
    ]
    for state in status(folder)[1:]:
        assert_same_pictures(folder.clip(str(state.key)), reference.clip(str(state.key)))
    assert streams(killed.film / "exports" / "harbour-lights.mp4") == streams(
        reference.exports / "harbour-lights.mp4"
    )
