"""The kept webhook secret, deleted with the data folder while the server runs, is written back: a restart signs as before."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import WebhookSender, load_secret


def test_a_deleted_webhook_secret_is_written_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The next start made a new secret, and every receiver refused the webhooks signed with it."""
    data = tmp_path / "data"
    settings = JobSettings(data_dir=data)
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    sender = WebhookSender(store, settings)
    shutil.rmtree(data)  # the data folder removed while the server runs

    def one_pass() -> None:
        sender._stopping.set()  # the loop ends after this pass

    monkeypatch.setattr(sender, "_send_due", one_pass)
    try:
        with caplog.at_level(logging.WARNING, logger="reelgen.jobs.webhook_secret"):
            sender._loop()
    finally:
        store.close()
    assert load_secret(JobSettings(data_dir=data)) == sender.secret  # what a restart signs with
    assert (data / "webhook-secret").stat().st_mode & 0o777 == 0o600
    assert (
        f"{data / 'webhook-secret'} was deleted while the server ran; the secret in use was written back"
        in (caplog.text)
    )


def test_a_secret_given_by_the_caller_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    sender = WebhookSender(store, JobSettings(data_dir=tmp_path / "data"), secret="whsec_" + "A" * 44)
    monkeypatch.setattr(sender, "_send_due", sender._stopping.set)
    try:
        sender._loop()
    finally:
        store.close()
    assert not (tmp_path / "data" / "webhook-secret").exists()
