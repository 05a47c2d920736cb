"""The job store, the same suite on SQLite and PostgreSQL: queue order, idempotency, fencing, events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.jobs import kinds, reconcile
from reelgen.jobs.records import (
    IdempotencyConflict,
    InvalidTransition,
    JobNotFound,
    JobStatus,
    QueueFull,
    StaleToken,
)
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def test_sqlite_store_runs_in_wal_mode(tmp_path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()


def test_default_store_is_a_sqlite_file_under_the_reelgen_home(reelgen_home) -> None:
    store = JobStore()
    job = create(store, request())
    assert store.dialect == "sqlite"
    assert (reelgen_home / "jobs" / "jobs.db").is_file()
    assert JobStore().get(job.id).id == job.id
    store.close()


def test_created_job_is_committed_and_visible_to_another_connection(
    make_store: Callable[..., JobStore],
) -> None:
    writer, reader = make_store(), make_store()
    job = create(writer, request(seed=42))
    seen = reader.get(job.id)
    assert seen.status is JobStatus.QUEUED
    assert (seen.seed, seen.num_frames, seen.fps, seen.size, seen.seconds) == (42, 5, 8.0, "32x32", 0.625)
    assert kinds.payload_of(seen) == kinds.payload_of(job) == request(seed=42)
    assert job.id.startswith("video_") and len(job.id) == 38


def test_claims_follow_priority_then_age(store: JobStore) -> None:
    low = create(store, request("low"), priority=0)
    high = create(store, request("high"), priority=10)
    low2 = create(store, request("low again"), priority=0)
    mid = create(store, request("mid"), priority=5)
    assert store.queue_position(high.id) == 0
    assert store.queue_position(low2.id) == 3
    order = [store.claim_next("w").id for _ in range(4)]  # type: ignore[union-attr]
    assert order == [high.id, mid.id, low.id, low2.id]
    assert store.claim_next("w") is None
    assert store.queue_position(low.id) is None


def test_same_idempotency_key_and_body_returns_the_first_job(store: JobStore) -> None:
    first = create(store, request(), idempotency_key="key-1")
    again = create(store, request(), idempotency_key="key-1")
    assert again.id == first.id
    assert store.counts()["queued"] == 1


def test_idempotency_key_with_another_body_is_a_conflict(store: JobStore) -> None:
    first = create(store, request("a cat"), idempotency_key="key-2")
    with pytest.raises(IdempotencyConflict) as caught:
        create(store, request("a dog"), idempotency_key="key-2")
    assert caught.value.job_id == first.id
    assert "different request body" in caught.value.message


def test_full_queue_is_refused_with_a_retry_after(make_store: Callable[..., JobStore]) -> None:
    store = make_store(max_queue=2)
    create(store, request("one"))
    kept = create(store, request("two"), idempotency_key="k")
    with pytest.raises(QueueFull) as caught:
        create(store, request("three"))
    assert caught.value.retry_after_s >= 1
    assert create(store, request("two"), idempotency_key="k").id == kept.id  # a replay still answers
    store.claim_next("w")
    create(store, request("three"))  # room again once a job started


def test_stale_token_can_never_finish_the_job(store: JobStore) -> None:
    job = create(store, request())
    first = store.claim_next("w1")
    assert first is not None
    requeued = store.requeue_or_fail(first.id, first.token, message="worker died")
    assert requeued.status is JobStatus.QUEUED and requeued.attempts == 1
    second = store.claim_next("w2")
    assert second is not None and second.token != first.token and second.attempts == 2
    with pytest.raises(StaleToken):
        store.complete(job.id, first.token, {"files": {}})
    with pytest.raises(StaleToken):
        store.progress(job.id, first.token, stage="denoise", step=1, total=2)
    with pytest.raises(StaleToken):
        store.fail(job.id, first.token, "boom", "late failure")
    done = store.complete(job.id, second.token, {"files": {"video": "x.mp4"}})
    assert done.status is JobStatus.COMPLETED and done.progress == 100 and done.worker_id == "w2"
    with pytest.raises(StaleToken):
        store.complete(job.id, second.token, {"files": {}})  # finishing twice is refused too


def test_lost_attempts_requeue_until_the_limit_then_fail_worker_lost(store: JobStore) -> None:
    job = create(store, request(), max_attempts=2)
    for _ in range(2):
        claimed = store.claim_next("w")
        assert claimed is not None
        after = store.requeue_or_fail(claimed.id, claimed.token, message="worker died")
    assert after.status is JobStatus.FAILED
    assert after.error == {"code": "worker_lost", "message": "worker died; gave up after 2 of 2 attempts"}
    assert [e.type for e in store.events(job.id)] == ["queued", "started", "queued", "started", "failed"]


def test_cancel_queued_is_immediate_and_running_sets_a_flag(store: JobStore) -> None:
    waiting = create(store, request("waits"))
    running = create(store, request("runs"), priority=1)
    claimed = store.claim_next("w")
    assert claimed is not None and claimed.id == running.id
    assert store.cancel(waiting.id).status is JobStatus.CANCELLED
    assert store.claim_next("w") is None  # a cancelled job never starts
    flagged = store.cancel(running.id)
    assert flagged.status is JobStatus.IN_PROGRESS and flagged.cancel_requested
    assert store.progress(running.id, claimed.token, stage="denoise", step=1, total=4) is True
    done = store.finish_cancelled(running.id, claimed.token)
    assert done.status is JobStatus.CANCELLED and done.error_code == "cancelled"
    assert store.cancel(running.id).status is JobStatus.CANCELLED  # finished: unchanged


def test_a_job_cancelled_while_running_stays_cancelled_when_the_service_stops(store: JobStore) -> None:
    # Stopping hands running jobs back to the queue; one the user cancelled was queued again too,
    # showed as waiting after the restart and was started once more before the cancel landed.
    cancelled, other = create(store, request("cancelled")), create(store, request("other"))
    first, second = store.claim_next("w"), store.claim_next("w")
    assert first is not None and second is not None and first.id == cancelled.id
    store.cancel(cancelled.id)
    released = store.release(first.id, first.token)
    assert released.status is JobStatus.CANCELLED and released.error_code == "cancelled"
    assert store.release(second.id, second.token).status is JobStatus.QUEUED
    assert [j.id for j in [store.claim_next("w")] if j] == [other.id]
    assert store.claim_next("w") is None


def test_the_cancelled_event_of_a_queued_job_says_why_as_a_running_one_does(store: JobStore) -> None:
    waiting = create(store, request("waits"))
    running = create(store, request("runs"), priority=1)
    claimed = store.claim_next("w")
    assert claimed is not None
    store.cancel(waiting.id)
    store.cancel(running.id)
    store.finish_cancelled(running.id, claimed.token)
    for job in (waiting, running):
        final = store.events(job.id)[-1]
        assert final.type == "cancelled"
        assert final.data["error"]["code"] == "cancelled" and final.data["error"]["message"]
    assert store.events(waiting.id)[-1].data["error"]["message"] == "cancelled by request before it started"


def test_events_resume_after_a_sequence_number(store: JobStore) -> None:
    job = create(store, request())
    claimed = store.claim_next("w")
    assert claimed is not None
    for step in (1, 2):
        store.progress(
            job.id,
            claimed.token,
            stage="denoise",
            step=step,
            total=2,
            eta_s=1.5,
            preview_png_b64="iVBORw0KGgo=",
        )
    store.complete(job.id, claimed.token, {"files": {}})
    events = store.events(job.id)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [e.type for e in store.events(job.id, after_seq=3)] == ["progress", "completed"]
    progress = events[2].data
    assert (progress["step"], progress["total"], progress["progress"], progress["eta_s"]) == (1, 2, 50, 1.5)
    assert progress["preview"] == "iVBORw0KGgo="


def test_list_pages_with_an_after_cursor_and_filters(store: JobStore) -> None:
    made = [create(store, request(f"clip {i}", model="jobtest-tiny" if i % 2 else "other")) for i in range(5)]
    first = store.list(limit=2)
    assert [j.id for j in first.items] == [made[4].id, made[3].id] and first.has_more
    rest = store.list(limit=10, after=first.last_id)
    assert [j.id for j in rest.items] == [made[2].id, made[1].id, made[0].id] and not rest.has_more
    oldest = store.list(limit=2, order="asc")
    assert [j.id for j in oldest.items] == [made[0].id, made[1].id]
    assert {j.id for j in store.list(model="other").items} == {made[0].id, made[2].id, made[4].id}
    store.cancel(made[1].id)
    assert [j.id for j in store.list(status="cancelled").items] == [made[1].id]


def test_a_page_after_a_job_deleted_since_goes_on_from_where_it_stood(store: JobStore) -> None:
    # List, delete each, ask for the page after the last one deleted: that cursor named no job.
    made = [create(store, request(f"clip {i}")) for i in range(5)]
    first = store.list(limit=2)
    for job in first.items:
        store.delete(job.id)
    rest = store.list(limit=10, after=first.last_id)
    assert [j.id for j in rest.items] == [made[2].id, made[1].id, made[0].id]
    assert [j.id for j in store.list(limit=10, after=made[4].id, order="asc").items] == []
    with pytest.raises(JobNotFound):  # a cursor that never named a job is still no cursor
        store.list(after="video_" + "0" * 32)


def test_delete_removes_the_record_but_not_a_running_one(store: JobStore) -> None:
    done = create(store, request())
    store.cancel(done.id)
    running = create(store, request("runs"))
    claimed = store.claim_next("w")
    assert claimed is not None
    store.delete(done.id)
    with pytest.raises(JobNotFound):
        store.get(done.id)
    assert store.events(done.id) == []
    with pytest.raises(InvalidTransition):
        store.delete(running.id)
    store.delete(running.id, force=True)
    with pytest.raises(StaleToken):  # its attempt can no longer write anything
        store.complete(running.id, claimed.token, {"files": {}})


def test_a_delete_that_loses_a_race_with_another_delete_is_not_found(
    store: JobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two DELETEs at once: both read the job, one removes it; the other must say "no job" (404),
    # not "it is running; cancel it first" (409), which sent clients to cancel a job already gone.
    job = create(store, request())
    store.delete(job.id, force=True)
    monkeypatch.setattr(store, "get", lambda _job_id: job)  # read before the other delete committed
    with pytest.raises(JobNotFound):
        store.delete(job.id, force=True)


def test_malformed_ids_are_not_found(store: JobStore) -> None:
    for bad in ("../../etc/passwd", "video_xyz", ""):
        with pytest.raises(JobNotFound):
            store.get(bad)


def test_a_restart_keeps_queued_jobs_and_requeues_running_ones(
    make_store: Callable[..., JobStore],
) -> None:
    before = make_store()
    queued = create(before, request("waiting"))
    running = create(before, request("running"), priority=1)
    last_try = create(before, request("last try"), priority=2, max_attempts=1)
    assert before.claim_next("old-worker") is not None
    assert before.claim_next("old-worker") is not None
    before.close()

    after = make_store()  # the API process started again on the same database, leases since run out
    assert reconcile.recover(after) == []  # within their lease they are nobody's to take
    recovered = {j.id: j for j in reconcile.recover(after, now=time.time() + 601)}
    assert recovered[running.id].status is JobStatus.QUEUED and recovered[running.id].attempts == 1
    assert recovered[last_try.id].status is JobStatus.FAILED
    assert recovered[last_try.id].error_code == "worker_lost"
    assert after.get(queued.id).status is JobStatus.QUEUED
    assert [after.claim_next("new").id for _ in range(2)] == [running.id, queued.id]  # type: ignore[union-attr]


def test_concurrent_claims_never_hand_out_a_job_twice(make_store: Callable[..., JobStore]) -> None:
    setup = make_store()
    made = {create(setup, request(f"clip {i}")).id for i in range(12)}
    stores = [make_store() for _ in range(3)]
    claimed: list[str] = []
    lock = threading.Lock()

    def drain(store: JobStore) -> None:
        while (job := store.claim_next("w")) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=drain, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(made)


def race_creates(stores: list[JobStore], racers: int, tag: str) -> list[str]:
    """``racers`` threads create a job each at the same moment; returns "queued" or "full" per thread."""
    start = threading.Barrier(racers)
    outcomes: list[str] = []

    def racer(i: int) -> None:
        start.wait()
        try:
            create(stores[i % len(stores)], request(f"{tag} racer {i}"))
            outcomes.append("queued")
        except QueueFull:
            outcomes.append("full")

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_the_queue_limit_holds_under_concurrent_creates(make_store: Callable[..., JobStore]) -> None:
    # Count-then-insert under READ COMMITTED let 39 of 40 racing creates in against a limit of 20.
    limit, racers = 20, 40
    stores = [make_store(max_queue=limit) for _ in range(8)]
    for round_ in range(3):
        outcomes = race_creates(stores, racers, f"round {round_}")
        assert stores[0].counts()["queued"] == limit
        assert outcomes.count("queued") == limit and outcomes.count("full") == racers - limit
        while (job := stores[0].claim_next("w")) is not None:  # empty the queue for the next round
            stores[0].fail(job.id, job.token, "test", "cleared")


def test_one_idempotency_key_sent_at_once_makes_one_job(make_store: Callable[..., JobStore]) -> None:
    stores = [make_store() for _ in range(6)]
    start = threading.Barrier(12)
    results: list[tuple[str, bool]] = []
    render = kinds.get(kinds.RENDER)
    payload = render.dump(request())

    def send(store: JobStore) -> None:
        start.wait()
        job, replayed = store.create_or_replay(
            kinds.RENDER, payload, render.facts(request()), idempotency_key="once", body_fingerprint="fp"
        )
        results.append((job.id, replayed))

    threads = [threading.Thread(target=send, args=(stores[i % 6],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({job_id for job_id, _ in results}) == 1
    assert sorted(replayed for _, replayed in results) == [False] + [True] * 11


def test_a_second_service_leaves_running_jobs_alone_while_their_lease_is_renewed(
    make_store: Callable[..., JobStore],
) -> None:
    first, second = make_store(), make_store()
    job = create(first, request())
    claimed = first.claim_next("worker-0", lease_s=30.0, owner="other-host@1/123/abc")
    assert claimed is not None
    assert reconcile.recover(second) == []  # a second API process starting up takes nothing
    later = time.time() + 25.0
    assert first.renew_leases("other-host@1/123/abc", 30.0, [job.id]) == []
    assert reconcile.recover(second, now=later) == []  # renewed: still the first one's
    assert second.get(job.id).status is JobStatus.IN_PROGRESS and second.get(job.id).attempts == 1
    requeued = reconcile.recover(second, now=time.time() + 31.0)  # the first one stopped renewing
    assert [j.id for j in requeued] == [job.id] and requeued[0].status is JobStatus.QUEUED


def test_a_cancel_sent_through_another_process_reaches_the_owner(make_store: Callable[..., JobStore]) -> None:
    owner_store, other = make_store(), make_store()
    job = create(owner_store, request())
    assert owner_store.claim_next("worker-0", owner="me") is not None
    assert owner_store.cancels_wanted("me") == []
    other.cancel(job.id)
    assert owner_store.cancels_wanted("me") == [job.id]
    assert owner_store.renew_leases("me", 20.0, [job.id]) == [job.id]


def test_names_input_finds_an_upload_any_job_still_names(store: JobStore, tmp_path: Path) -> None:
    token = "0123456789abcdef" * 2
    assert not store.names_input(token)
    create(store, request("from an upload", start_image=str(tmp_path / "inputs" / f"{token}-fox.png")))
    assert store.names_input(token) and not store.names_input("f" * 32)
    with pytest.raises(ValueError):
        store.names_input("%")  # never a pattern that matches every payload
