"""Webhooks: the events a job asked for reach a loopback receiver, signed, retried after a failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from reelgen.core.errors import InvalidRequest
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import Webhook, WebhookSender, load_secret, sign, verify
from tests.jobs.helpers import create, request, wait_for


class Receiver:
    """A loopback HTTP endpoint that answers 500 to the first ``fail_first`` posts, then 200."""

    def __init__(self, fail_first: int, expect: int) -> None:
        self.fail_first = fail_first
        self.expect = expect
        self.calls: list[tuple[int, dict[str, str], bytes]] = []
        self.done = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                status = 500 if len(receiver.calls) < receiver.fail_first else 200
                receiver.calls.append((status, dict(self.headers), body))
                self.send_response(status)
                self.end_headers()
                if sum(1 for s, _, _ in receiver.calls if s == 200) >= receiver.expect:
                    receiver.done.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self) -> list[tuple[dict[str, str], dict[str, Any], bytes]]:
        return [(h, json.loads(b), b) for s, h, b in self.calls if s == 200]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield store
    store.close()


def test_filtered_events_arrive_signed_and_a_failed_delivery_is_retried(
    store: JobStore, tmp_path: Path
) -> None:
    receiver = Receiver(fail_first=1, expect=2)
    settings = JobSettings(
        data_dir=tmp_path,
        webhook_secret=SecretStr("s3cret"),
        webhook_backoff_s=0.05,
        allow_private_webhooks=True,
    )
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        job = create(store, request(), webhook_url=receiver.url, webhook_events=["started", "completed"])
        claimed = store.claim_next("w")
        assert claimed is not None
        store.progress(job.id, claimed.token, stage="denoise", step=1, total=2)
        store.complete(job.id, claimed.token, {"files": {}})
        assert receiver.done.wait(30), f"deliveries: {receiver.calls}"
    finally:
        sender.stop()
        receiver.server.shutdown()
    delivered = receiver.delivered()
    assert sorted(p["type"] for _, p, _ in delivered) == ["video.completed", "video.started"]
    assert len(receiver.calls) == 3  # one 500, then two successes: progress and queued were filtered
    for headers, payload, body in delivered:
        assert verify("s3cret", headers, body)
        assert not verify("wrong", headers, body)
        assert payload["data"]["video"]["id"] == job.id
    completed = next(p for _, p, _ in delivered if p["type"] == "video.completed")
    assert completed["data"]["video"]["status"] == "completed"


def test_signatures_bind_id_timestamp_and_body(tmp_path: Path) -> None:
    headers = {"webhook-id": "m1", "webhook-timestamp": "1700000000"}
    headers["webhook-signature"] = sign("k", "m1", 1700000000, b"{}")
    assert not verify("k", headers, b"{}")  # too old
    fresh = dict(headers)
    stamp = int(time.time())
    fresh.update({"webhook-timestamp": str(stamp), "webhook-signature": sign("k", "m1", stamp, b"{}")})
    assert verify("k", fresh, b"{}")
    assert not verify("k", fresh, b'{"tampered":1}')


def test_a_missing_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = JobSettings(data_dir=tmp_path)
    first = load_secret(settings)
    assert len(first) >= 32 and load_secret(settings) == first
    assert (tmp_path / "webhook-secret").stat().st_mode & 0o077 == 0


def test_a_made_secret_verifies_as_standard_webhooks_libraries_read_it(tmp_path: Path) -> None:
    # Those libraries strip "whsec_" and base64-decode the rest; a bare token_urlsafe secret gave
    # them another key, so a receiver using one refused every delivery.
    secret = load_secret(JobSettings(data_dir=tmp_path))
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, b"m1.1700000000.{}", hashlib.sha256).digest()
    assert sign(secret, "m1", 1700000000, b"{}") == "v1," + base64.b64encode(expected).decode()
    # A secret of one's own (or one kept from before) is still its text as the key.
    mine = hmac.new(b"k", b"m1.1700000000.{}", hashlib.sha256).digest()
    assert sign("k", "m1", 1700000000, b"{}") == "v1," + base64.b64encode(mine).decode()


def test_deliveries_committed_before_a_crash_are_sent_by_the_next_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    receiver = Receiver(fail_first=0, expect=2)
    crashed = JobStore(url)  # its process dies right after these commits, before any send
    job = create(crashed, request(), webhook_url=receiver.url, webhook_events=["queued", "started"])
    assert crashed.claim_next("w") is not None
    assert crashed.pending_webhooks() == 2
    crashed.close()

    restarted = JobStore(url)
    settings = JobSettings(data_dir=tmp_path, webhook_secret=SecretStr("k"), allow_private_webhooks=True)
    sender = WebhookSender(restarted, settings)
    sender.start()
    try:
        assert receiver.done.wait(30), f"deliveries: {receiver.calls}"
        # The receiver counts a delivery when it arrives; the sender records it once the answer is back.
        wait_for(lambda: restarted.pending_webhooks() == 0, timeout_s=30, what="both deliveries recorded")
    finally:
        sender.stop()
        receiver.server.shutdown()
    assert sorted(p["type"] for _, p, _ in receiver.delivered()) == ["video.queued", "video.started"]
    assert {p["data"]["video"]["id"] for _, p, _ in receiver.delivered()} == {job.id}
    restarted.close()


def test_a_retry_waiting_when_the_service_stopped_is_made_after_the_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    receiver = Receiver(fail_first=1, expect=1)
    settings = JobSettings(
        data_dir=tmp_path, webhook_secret=SecretStr("k"), webhook_backoff_s=2.0, allow_private_webhooks=True
    )
    first = JobStore(url)
    sender = WebhookSender(first, settings)
    sender.start()
    job = create(first, request(), webhook_url=receiver.url, webhook_events=["queued"])
    wait_for(lambda: len(receiver.calls) == 1, what="the first, failing attempt")
    sender.stop()  # the retry, due in 2 s, now lives only in the database
    first.close()

    again = JobStore(url)
    restarted = WebhookSender(again, settings)
    restarted.start()
    try:
        assert receiver.done.wait(30), f"deliveries: {receiver.calls}"
    finally:
        restarted.stop()
        receiver.server.shutdown()
    assert [s for s, _, _ in receiver.calls] == [500, 200]
    ((_, payload, _),) = receiver.delivered()
    assert payload["id"] == f"{job.id}:1" and payload["type"] == "video.queued"
    again.close()


def test_a_name_that_resolves_to_loopback_when_sent_gets_nothing_posted(
    store: JobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the create checked the name when it was public; by the delivery it names this
    machine. Without the check at send time the job's events were POSTed to a loopback service."""
    receiver = Receiver(fail_first=0, expect=1)
    port = receiver.server.server_address[1]
    real = socket.getaddrinfo

    def rebound(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "hooks.rebind.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    settings = JobSettings(data_dir=tmp_path, webhook_secret=SecretStr("k"), webhook_max_attempts=1)
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        create(
            store, request(), webhook_url=f"http://hooks.rebind.test:{port}/hook", webhook_events=["queued"]
        )
        wait_for(lambda: store.pending_webhooks() == 0, timeout_s=30, what="the delivery given up")
    finally:
        sender.stop()
        receiver.server.shutdown()
    assert receiver.calls == []


def test_a_private_receiver_allowed_gets_the_post_at_the_address_checked(
    store: JobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With private targets allowed, the name is still resolved once and the Host header keeps it."""
    receiver = Receiver(fail_first=0, expect=1)
    port = receiver.server.server_address[1]
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: real("127.0.0.1" if host == "hooks.lan" else host, *a, **k),
    )
    settings = JobSettings(data_dir=tmp_path, webhook_secret=SecretStr("k"), allow_private_webhooks=True)
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        create(store, request(), webhook_url=f"http://hooks.lan:{port}/hook", webhook_events=["queued"])
        assert receiver.done.wait(30), f"deliveries: {receiver.calls}"
    finally:
        sender.stop()
        receiver.server.shutdown()
    ((headers, payload, _),) = receiver.delivered()
    host = {k.lower(): v for k, v in headers.items()}["host"]
    assert host == f"hooks.lan:{port}" and payload["type"] == "video.queued"


@pytest.mark.parametrize(
    "url",
    ["http://hooks.example:99999/", "http://hooks.example:abc/", "http://[::1", "http://", "http://h:0/"],
)
def test_a_webhook_url_with_a_bad_port_or_host_is_refused_naming_the_field(url: str) -> None:
    # A server allowing private receivers checks nothing else: these were taken, and the API's
    # create answered 500 for the first three.
    with pytest.raises(InvalidRequest) as refused:
        Webhook(url)
    assert refused.value.param == "webhook.url"
    assert url in str(refused.value)


def test_a_stored_url_that_cannot_be_parsed_fails_its_delivery_instead_of_looping(
    store: JobStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A port out of range raised ValueError in the sender: the delivery was neither sent nor given
    up, and was claimed again every 15 s for ever, each time with a traceback in the log."""
    settings = JobSettings(
        data_dir=tmp_path, webhook_secret=SecretStr("k"), webhook_max_attempts=1, allow_private_webhooks=True
    )
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        create(store, request(), webhook_url="http://127.0.0.1:99999/hook", webhook_events=["queued"])
        wait_for(lambda: store.pending_webhooks() == 0, timeout_s=5, what="the delivery given up")
    finally:
        sender.stop()
    assert "Port out of range" in caplog.text


def test_two_servers_making_the_secret_at_once_sign_with_the_one_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both found no file, both wrote one: the one whose secret was replaced signed every delivery
    with a key the file (and so every receiver) no longer had, or failed on the shared temp file."""
    real = secrets.token_bytes

    def slow(n: int) -> bytes:  # both servers past the "is there a file" look before either writes
        time.sleep(0.2)
        return real(n)

    monkeypatch.setattr(secrets, "token_bytes", slow)
    settings = JobSettings(data_dir=tmp_path)
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(load_secret(settings))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    kept = (tmp_path / "webhook-secret").read_text().strip()
    assert got == [kept, kept]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["webhook-secret"]


def test_retries_wait_twice_as_long_each_time_and_never_more_than_a_day() -> None:
    from reelgen.jobs.webhooks import retry_pause

    assert [retry_pause(1.0, n) for n in range(4)] == [1.0, 2.0, 4.0, 8.0]
    assert retry_pause(3600.0, 5000) == retry_pause(1.0, 40) == 86400.0  # 2**5000 overflowed a float
