"""Signed webhook deliveries of job events, kept in the store and retried with exponential backoff.

Signatures follow the Standard Webhooks scheme: headers ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``; ``verify`` checks one on the receiving side. A secret
this makes is ``whsec_`` and the base64 of its key, the form that scheme's libraries take.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reelgen.core.errors import InvalidRequest
from reelgen.core.net import BlockedTarget, pin_url
from reelgen.core.redact import hide_url_secrets
from reelgen.jobs._webhooks import event_body
from reelgen.jobs.loop_trouble import Trouble
from reelgen.jobs.records import DEFAULT_WEBHOOK_EVENTS, EVENT_TYPES, JobNotFound
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import Delivery, JobStore
from reelgen.jobs.webhook_secret import load_secret as load_secret  # tests and callers import both from here
from reelgen.jobs.webhook_secret import put_back
from reelgen.jobs.webhook_secret import signing_key as signing_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Webhook:
    """Where to POST a job's events, and which of ``EVENT_TYPES`` to send (default: terminal ones)."""

    url: str
    events: list[str] = field(default_factory=lambda: list(DEFAULT_WEBHOOK_EVENTS))

    def __post_init__(self) -> None:
        unknown = [e for e in self.events if e not in EVENT_TYPES]
        if unknown:
            raise InvalidRequest(
                f"webhook events {unknown} are unknown; valid: {', '.join(EVENT_TYPES)}",
                param="webhook.events",
            )
        problem = url_problem(self.url)
        if problem:
            raise InvalidRequest(f"webhook url {self.url!r} {problem}", param="webhook.url")


def url_problem(url: str) -> str | None:
    """What keeps ``url`` from being POSTed to (scheme, host, port), or None when nothing does.

    urllib reads a bad port or bracket only when asked, with a ValueError: unchecked here, a
    create answered 500 and every delivery of such a URL failed the same way, forever.
    """
    # Schemes are case-insensitive: "HTTPS://example.com/hook" was refused as not starting with https://.
    if not url.lower().startswith(("http://", "https://")):
        return "must start with http:// or https://"
    odd = next((ch for ch in url if not ch.isprintable()), None)
    if odd is not None:  # urllib drops a tab or newline unseen, so the POST went to another URL
        return f"holds the unprintable character {odd!r} (character {url.index(odd) + 1}); remove it"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check: out of range or not a number raises
    except ValueError as exc:
        return f"is not a valid URL ({exc}); give one like https://example.com/hooks"
    if not parts.hostname:
        return "names no host; give one like https://example.com/hooks"
    if parts.port == 0:  # read as "no port", it would go to 80 or 443 instead
        return "has port 0; give a port from 1 to 65535, or none"
    return None


#: Deliveries sent at once.
SENDERS = 4
#: How often the store is looked at for due deliveries without a wake-up (retries, other processes).
POLL_S = 1.0


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(signing_key(secret), f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, tolerance_s: float = 300.0) -> bool:
    """Whether ``body`` with these headers was signed with ``secret`` within ``tolerance_s``."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        message_id, stamp = lower["webhook-id"], int(lower["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance_s:
        return False
    expected = sign(secret, message_id, stamp, body)
    offered = lower.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, sig) for sig in offered)


def retry_pause(backoff_s: float, attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling from ``backoff_s``, at most a
    day (``backoff_s * 2**attempts`` alone overflowed a float past 1,023 attempts and stopped retrying)."""
    return min(backoff_s * 2 ** min(attempts, 32), 86400.0)


class WebhookSender:
    """Sends the deliveries the store queued with each event (any process's), retrying with backoff.

    Deliveries live in the store until sent or given up, so they survive a
    restart; several API processes on one database share them (a claim holds a
    delivery while it is being sent).
    """

    def __init__(self, store: JobStore, settings: JobSettings, secret: str | None = None) -> None:
        self.store = store
        self.settings = settings
        self.secret = secret or load_secret(settings)
        #: Whether the secret is the one kept in the data folder, which is written back if deleted.
        self._kept = secret is None and settings.webhook_secret is None
        self._thread: threading.Thread | None = None
        self._unsubscribe: Any = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._in_flight = threading.Semaphore(SENDERS)

    def start(self) -> None:
        for name in ("httpx", "httpcore.http11", "httpcore.http2"):  # added once, however many start
            logging.getLogger(name).addFilter(_hidden_in_http_logs)
        self._unsubscribe = self.store.subscribe(lambda _event: self._wake.set())
        self._thread = threading.Thread(target=self._loop, name="reelgen-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        trouble = Trouble(log, "webhook pass")
        while not self._stopping.is_set():
            try:
                if self._kept:
                    put_back(self.settings, self.secret)
                self._send_due()
                trouble.passed()
            except Exception as exc:  # the sender must outlive a database hiccup
                trouble.failed(exc)
            self._wake.wait(POLL_S)
            self._wake.clear()

    def _send_due(self) -> None:
        free = 0
        while self._in_flight.acquire(blocking=False):
            free += 1
        try:
            hold = self.settings.webhook_timeout_s + 5.0
            claimed = self.store.claim_webhooks(free, hold) if free else []
        except BaseException:
            for _ in range(free):
                self._in_flight.release()
            raise
        for _ in range(free - len(claimed)):
            self._in_flight.release()
        for delivery in claimed:
            # A daemon thread per send, at most SENDERS at once: an executor's threads are joined when
            # the process exits, so a receiver that never answered held a stopped server for the whole
            # REELGEN_WEBHOOK_TIMEOUT_S (62 s at 60). A send cut off so is made again once its claim
            # runs out, by this server started again or another on the database.
            threading.Thread(
                target=self._attempt, args=(delivery,), name="reelgen-webhook-send", daemon=True
            ).start()

    def _attempt(self, delivery: Delivery) -> None:
        try:
            # A deleted job's delivery carries its body; one deleted since its claim finds it kept.
            payload = delivery.body or self._payload(delivery) or self.store.kept_body(delivery)
            if payload is None:
                self.store.webhook_done(delivery)  # its event is gone, and nothing was kept of it
                return
            error = self._post(delivery.url, payload)
            error = error if error is None else hide_url_secrets(error)  # logged and kept: no key in it
            if error is None:
                self.store.webhook_done(delivery)
            elif delivery.attempts + 1 >= self.settings.webhook_max_attempts:
                log.warning(
                    "webhook %s for %s (%s) gave up after %d attempts: %s",
                    shown_url(delivery.url),
                    payload["id"],
                    payload["type"],
                    delivery.attempts + 1,
                    error,
                )
                self.store.webhook_done(delivery)
            else:
                pause = retry_pause(self.settings.webhook_backoff_s, delivery.attempts)
                # When it is tried again, and which event: the operator can tell a wait from a loss
                # (one receiver's line for every job's events read alike).
                log.warning(
                    "webhook %s for %s (%s) failed: %s (attempt %d of %d; the next in %g s)",
                    shown_url(delivery.url),
                    payload["id"],
                    payload["type"],
                    error,
                    delivery.attempts + 1,
                    self.settings.webhook_max_attempts,
                    pause,
                )
                self.store.webhook_retry(delivery, time.time() + pause, error)
        except Exception:
            log.exception("webhook %s:%s not sent", delivery.job_id, delivery.seq)
        finally:
            self._in_flight.release()
            self._wake.set()

    def _payload(self, delivery: Delivery) -> dict[str, Any] | None:
        try:
            job = self.store.get(delivery.job_id)
        except JobNotFound:
            return None
        events = self.store.events(job.id, delivery.seq - 1, limit=1)
        if not events or events[0].seq != delivery.seq:
            return None
        return event_body(job, events[0])

    def _post(self, url: str, payload: dict[str, Any]) -> str | None:
        """One signed POST; None when the receiver answered 2xx, else what went wrong."""
        import httpx

        body = json.dumps(payload, separators=(",", ":")).encode()
        stamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": payload["id"],
            "webhook-timestamp": str(stamp),
            "webhook-signature": sign(self.secret, payload["id"], stamp, body),
            "user-agent": "reelgen-webhooks",
        }
        problem = url_problem(url)
        if problem:  # a row stored before URLs were checked this closely: it fails like any refusal
            return f"the url {problem}"
        try:
            # Checked again here, not only when the job was made: the name may resolve elsewhere now.
            target, headers["host"], server_name = pin_url(url, self.settings.allow_private_webhooks)
        except BlockedTarget as exc:
            return str(exc)
        # The pinned address carries no user and password: ``https://user:pw@host/`` lost them, and
        # a receiver behind basic auth answered 401 to every delivery. Sent as curl sends them.
        headers.update(_basic_auth(url))
        try:
            # trust_env=False: a proxy from the environment would bypass the pinned address.
            with (
                httpx.Client(
                    timeout=self.settings.webhook_timeout_s, follow_redirects=False, trust_env=False
                ) as client,
                # Streamed and never read: the status says it all. Reading the body held a sender
                # for as long as the receiver kept sending one (for ever, a byte at a time), and a
                # body slower than the timeout made a delivered event "failed", to be sent again.
                client.stream(
                    "POST", target, content=body, headers=headers, extensions={"sni_hostname": server_name}
                ) as reply,
            ):
                return _refusal(reply.status_code, reply.headers.get("location"), url)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"


def _basic_auth(url: str) -> dict[str, str]:
    """The ``Authorization`` header of the user and password in ``url``, if it names any."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return {}
    pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    return {"authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def shown_url(url: str) -> str:
    """``url`` for a log line: its user and password ``***``, key-like query values and secret-looking
    path segments ``[hidden]`` (the log is read by more people than the job's owner; a token is often
    the user alone, ``https://TOKEN@host/``, a query value, ``?token=``, or a path segment, as in
    Slack's and Discord's webhook URLs)."""
    return hide_url_secrets(url)


def _hidden_in_http_logs(record: logging.LogRecord) -> bool:
    """httpx logs each request's URL at INFO (``HTTP Request: POST http://...?token=...``), httpcore
    a redirect's at DEBUG: where those levels were shown, a webhook's key was in the log."""
    record.msg, record.args = hide_url_secrets(record.getMessage()), None
    return True


def _refusal(status: int, location: str | None, url: str) -> str | None:
    """None for a 2xx answer, else what it said; a redirect names where to, since none is followed
    (each would be a new address to check): "HTTP 301" alone left the operator guessing."""
    if 200 <= status < 300:
        return None
    if 300 <= status < 400 and location:
        target = urllib.parse.urljoin(url, location)  # "/hooks/v2" said as the whole URL
        where = shown_url(target)
        if where == target and len(where) <= 200:
            said = f"the receiver redirects to {where}; give the webhook that URL"
            return f"HTTP {status}: redirects are not followed; {said}"
        # A URL with its key [hidden] cannot be given: it was "give the webhook the URL it points to
        # (https://hooks.example/[hidden]?access_token=[hidden])". Its scheme and host only, no key.
        parts = urllib.parse.urlsplit(target)
        origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"  # a user and password are keys too
        said = f"the receiver redirects to {origin}/...; ask its owner for the new URL and give that"
        return f"HTTP {status}: redirects are not followed; {said}"
    return f"HTTP {status}"
