"""A webhook delivery still to make when its job is deleted is made all the same, as the job stood then."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import WebhookSender
from tests.jobs.helpers import create, request, wait_for


class Receiver:
    """A loopback endpoint that answers 500 until ``up`` is set, then 200; keeps every body it got."""

    def __init__(self) -> None:
        self.up = threading.Event()
        self.got: list[tuple[int, dict[str, Any]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                status = 200 if receiver.up.is_set() else 500
                receiver.got.append((status, body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self) -> list[dict[str, Any]]:
        return [body for status, body in self.got if status == 200]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def _settings(tmp_path: Path, max_attempts: int = 50) -> JobSettings:
    return JobSettings(
        data_dir=tmp_path,
        webhook_secret=SecretStr("k"),
        allow_private_webhooks=True,
        webhook_backoff_s=0.1,
        webhook_max_attempts=max_attempts,
    )


def test_a_completed_event_whose_receiver_was_down_reaches_it_after_the_job_is_deleted(
    make_store: Callable[..., JobStore], receiver: Receiver, tmp_path: Path
) -> None:
    store = make_store()
    sender = WebhookSender(store, _settings(tmp_path))
    sender.start()
    try:
        job = create(store, request(), webhook_url=receiver.url, webhook_events=["completed"])
        claimed = store.claim_next("w")
        assert claimed is not None
        store.complete(job.id, claimed.token, {"files": {}})
        wait_for(lambda: receiver.got, 30, "a first try the receiver refuses")
        # The usual client: it polled, downloaded the video and deleted the job.
        store.delete(job.id)
        receiver.up.set()
        delivered = wait_for(receiver.delivered, 30, "the completed event after the delete")
    finally:
        sender.stop()
    assert [body["type"] for body in delivered] == ["video.completed"]
    assert delivered[0]["id"] == f"{job.id}:3"  # after queued (1) and started (2)
    assert delivered[0]["data"]["video"]["id"] == job.id
    assert delivered[0]["data"]["video"]["status"] == "completed"
    assert store.pending_webhooks() == 0


def test_a_delivery_claimed_before_the_delete_is_sent_with_the_body_kept(
    make_store: Callable[..., JobStore], receiver: Receiver, tmp_path: Path
) -> None:
    # The sender took the delivery, then the job went before it read the job to make the POST.
    store = make_store()
    receiver.up.set()
    job = create(store, request(), webhook_url=receiver.url, webhook_events=["queued"])
    (delivery,) = store.claim_webhooks(1, hold_s=60)
    store.delete(job.id)
    sender = WebhookSender(store, _settings(tmp_path))
    sender._in_flight.acquire()  # as _send_due holds it for the attempt it hands over
    sender._attempt(delivery)
    (body,) = receiver.delivered()
    assert body["type"] == "video.queued"
    assert body["data"]["video"] == {**body["data"]["video"], "id": job.id, "status": "queued"}
    assert store.pending_webhooks() == 0


def test_a_delivery_given_up_on_after_the_delete_leaves_no_row(
    make_store: Callable[..., JobStore], receiver: Receiver, tmp_path: Path
) -> None:
    store = make_store()
    sender = WebhookSender(store, _settings(tmp_path, max_attempts=2))
    job = create(store, request(), webhook_url=receiver.url, webhook_events=["queued"])
    store.delete(job.id)
    sender.start()
    try:
        wait_for(lambda: store.pending_webhooks() == 0, 30, "the delivery given up")
    finally:
        sender.stop()
    assert [status for status, _ in receiver.got] == [500, 500]
