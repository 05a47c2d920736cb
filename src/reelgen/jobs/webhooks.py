"""Signed webhook deliveries of job events, retried with exponential backoff.

Signatures follow the Standard Webhooks scheme: headers ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``; ``verify`` checks one on the receiving side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import queue
import secrets
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from reelgen.jobs.records import JobEvent, JobNotFound
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore

log = logging.getLogger(__name__)

#: Progress webhooks for one job are sent at most this often.
PROGRESS_EVERY_S = 2.0


def load_secret(settings: JobSettings) -> str:
    """The signing key: from settings, else one made once and kept in ``data_dir/webhook-secret``."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    path = Path(settings.data_dir) / "webhook-secret"
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    made = secrets.token_urlsafe(32)
    tmp = path.with_suffix(".partial")
    tmp.write_text(made)
    tmp.chmod(0o600)
    tmp.replace(path)
    return path.read_text().strip()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
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


class WebhookSender:
    """Listens to the store's events and POSTs the ones each job's filter asks for."""

    def __init__(self, store: JobStore, settings: JobSettings, secret: str | None = None) -> None:
        self.store = store
        self.settings = settings
        self.secret = secret or load_secret(settings)
        self._queue: queue.Queue[JobEvent | None] = queue.Queue()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="reelgen-webhook")
        self._thread: threading.Thread | None = None
        self._unsubscribe: Any = None
        self._last_progress: dict[str, float] = {}
        self._stopping = threading.Event()

    def start(self) -> None:
        self._unsubscribe = self.store.subscribe(self._queue.put)
        self._thread = threading.Thread(target=self._loop, name="reelgen-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _loop(self) -> None:
        while (event := self._queue.get()) is not None:
            try:
                self._consider(event)
            except Exception:
                log.exception("webhook for %s/%s not sent", event.job_id, event.seq)

    def _consider(self, event: JobEvent) -> None:
        try:
            job = self.store.get(event.job_id)
        except JobNotFound:
            return
        if not job.webhook_url or event.type not in job.webhook_events:
            return
        if event.type == "progress":
            last = self._last_progress.get(job.id, 0.0)
            if time.monotonic() - last < PROGRESS_EVERY_S:
                return
            self._last_progress[job.id] = time.monotonic()
        elif job.terminal:
            self._last_progress.pop(job.id, None)
        summary = {k: v for k, v in job.to_dict().items() if k in _SUMMARY}
        payload = {
            "type": f"video.{event.type}",
            "id": f"{job.id}:{event.seq}",
            "created_at": event.created_at,
            "data": {"video": summary, "event": event.data},
        }
        self._pool.submit(self._deliver, job.webhook_url, payload)

    def _deliver(self, url: str, payload: dict[str, Any]) -> bool:
        """POST with retries: backoff doubles from ``webhook_backoff_s``; 2xx ends it."""
        import httpx

        body = json.dumps(payload, separators=(",", ":")).encode()
        delay = self.settings.webhook_backoff_s
        for attempt in range(1, self.settings.webhook_max_attempts + 1):
            stamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "webhook-id": payload["id"],
                "webhook-timestamp": str(stamp),
                "webhook-signature": sign(self.secret, payload["id"], stamp, body),
                "user-agent": "reelgen-webhooks",
            }
            try:
                reply = httpx.post(
                    url,
                    content=body,
                    headers=headers,
                    timeout=self.settings.webhook_timeout_s,
                    follow_redirects=False,
                )
                if 200 <= reply.status_code < 300:
                    return True
                log.warning("webhook %s -> %s (attempt %d)", url, reply.status_code, attempt)
            except httpx.HTTPError as exc:
                log.warning("webhook %s failed: %s (attempt %d)", url, exc, attempt)
            if attempt == self.settings.webhook_max_attempts or self._stopping.wait(delay):
                break
            delay *= 2
        return False


_SUMMARY = {
    "id",
    "status",
    "model",
    "progress",
    "created_at",
    "started_at",
    "completed_at",
    "error",
    "seed",
    "num_frames",
    "fps",
    "size",
    "seconds",
    "attempts",
    "metrics",
    "metadata",
}
