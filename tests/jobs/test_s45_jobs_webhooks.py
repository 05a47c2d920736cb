"""Webhook deliveries to receivers that answer oddly, URLs written oddly, and secrets left empty."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from reelgen.core.errors import InvalidRequest
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import Webhook, WebhookSender, load_secret, signing_key
from tests.jobs.helpers import create, request, wait_for


class OddReceiver:
    """A loopback endpoint: ``/endless`` answers 200 and a body it never finishes; ``/moved`` redirects."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.posts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                receiver.posts += 1
                if self.path == "/moved":
                    self.send_response(308)
                    self.send_header("Location", "/hooks/v2")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"ok")
                self.wfile.flush()
                receiver.release.wait(30)  # the rest of the body never comes while the test runs

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[OddReceiver]:
    odd = OddReceiver()
    yield odd
    odd.release.set()
    odd.server.shutdown()


@pytest.fixture
def sender(tmp_path: Path) -> Iterator[WebhookSender]:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    settings = JobSettings(
        data_dir=tmp_path, webhook_secret=SecretStr("k"), allow_private_webhooks=True, webhook_timeout_s=0.5
    )
    yield WebhookSender(store, settings)
    store.close()


def test_a_receiver_that_answers_200_and_never_ends_its_body_has_the_event(
    receiver: OddReceiver, sender: WebhookSender
) -> None:
    """Its body was read: slower than the timeout, the delivered event was called failed and sent again;
    a byte at a time for ever, it held one of the four senders for ever (all four, in time)."""
    assert sender._post(f"{receiver.url}/endless", {"id": "video_x:1"}) is None
    assert receiver.posts == 1


def test_a_redirect_is_said_with_the_url_to_give_instead(
    receiver: OddReceiver, sender: WebhookSender
) -> None:
    # "HTTP 308" alone: the operator could not tell the receiver moved, nor where to.
    said = sender._post(f"{receiver.url}/moved", {"id": "video_x:1"})
    assert said is not None and said.startswith("HTTP 308")
    assert "redirects are not followed" in said and f"{receiver.url}/hooks/v2" in said


def test_a_url_whose_scheme_is_in_capitals_is_taken() -> None:
    # Schemes are case-insensitive; it was refused as not starting with https://.
    assert Webhook("HTTPS://hooks.example/x").url == "HTTPS://hooks.example/x"


def test_a_url_with_an_unprintable_character_is_refused_naming_it() -> None:
    # urllib drops a newline unseen: the events went to https://hooks.example/ab, not what was stored.
    with pytest.raises(InvalidRequest) as refused:
        Webhook("https://hooks.example/a\nb")
    assert refused.value.param == "webhook.url"
    assert "unprintable character '\\n' (character 24)" in str(refused.value)


@pytest.mark.parametrize("secret", ["", "   ", "whsec_", "whsec_not base64!"])
def test_an_empty_or_broken_secret_is_refused_without_showing_it(secret: str) -> None:
    """An unset variable gave an empty key: deliveries anyone could sign, none a receiver could verify."""
    with pytest.raises(ValidationError) as refused:
        JobSettings(webhook_secret=SecretStr(secret))
    said = str(refused.value)
    assert "is empty" in said or "not base64" in said


def test_a_standard_webhooks_secret_is_still_taken() -> None:
    made = "whsec_" + base64.b64encode(b"k" * 32).decode()
    settings = JobSettings(webhook_secret=SecretStr(made))
    assert signing_key(load_secret(settings)) == b"k" * 32


def test_an_emptied_secret_file_is_made_again_instead_of_signing_with_no_key(tmp_path: Path) -> None:
    (tmp_path / "webhook-secret").write_text("\n")
    secret = load_secret(JobSettings(data_dir=tmp_path))
    assert secret.startswith("whsec_") and len(signing_key(secret)) == 32
    assert (tmp_path / "webhook-secret").read_text().strip() == secret
    assert load_secret(JobSettings(data_dir=tmp_path)) == secret  # kept from then on
    assert sorted(p.name for p in tmp_path.iterdir()) == ["webhook-secret"]


def test_a_user_and_password_in_the_url_reach_the_receiver_and_stay_out_of_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The request went to the pinned address without them: a receiver behind basic auth answered 401
    to every delivery, and each failure's log line showed the password."""
    seen: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            seen.append(self.headers.get("authorization"))
            self.send_response(401)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    settings = JobSettings(
        data_dir=tmp_path,
        webhook_secret=SecretStr("k"),
        allow_private_webhooks=True,
        webhook_max_attempts=2,
        webhook_backoff_s=0,
    )
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        url = f"http://hook%40us:p%3Ass@127.0.0.1:{server.server_address[1]}/hook"
        create(store, request(), webhook_url=url, webhook_events=["queued"])
        wait_for(lambda: store.pending_webhooks() == 0, timeout_s=10, what="the delivery given up")
    finally:
        sender.stop()
        server.shutdown()
        store.close()
    assert seen == ["Basic " + base64.b64encode(b"hook@us:p:ss").decode()] * 2
    assert "HTTP 401 (attempt 1 of 2; the next in 0 s)" in caplog.text  # a wait told from a loss
    assert "p%3Ass" not in caplog.text and "hook%40us" not in caplog.text and "***@127.0.0.1" in caplog.text


def test_a_secret_mounted_from_a_file_signs_without_its_newline() -> None:
    made = "whsec_" + base64.b64encode(b"m" * 32).decode()
    settings = JobSettings(webhook_secret=SecretStr(made + "\n"))
    assert signing_key(load_secret(settings)) == b"m" * 32


def test_by_default_a_receiver_down_for_hours_still_gets_its_events() -> None:
    """Five tries from 1 s spanned 15 s: a receiver restarting for half a minute lost every event."""
    from reelgen.jobs.webhooks import retry_pause

    settings = JobSettings()
    waits = [retry_pause(settings.webhook_backoff_s, n) for n in range(settings.webhook_max_attempts - 1)]
    assert sum(waits) >= 8 * 3600
