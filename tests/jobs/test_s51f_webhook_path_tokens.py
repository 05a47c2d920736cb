"""A token in a webhook URL's path (Slack's, Discord's) reaches the receiver and stays out of the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from reelgen.jobs.schema import webhooks as webhooks_t
from tests.jobs.helpers import create, request, wait_for
from tests.jobs.webhook_receiver import receiving, sending

SLACK = "/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"
DISCORD = "/api/webhooks/123456789012345678/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-Q7"


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[str]]]:
    """Every POST answered with a redirect to the other service's path."""
    with receiving(lambda path: (308, DISCORD if path == SLACK else SLACK)) as endpoint:
        yield endpoint


def _one_failed_try(tmp_path: Path, url: str) -> str:
    """One job's "queued" event sent to ``url`` once (the next try an hour away); the error kept."""
    kept = sa.select(webhooks_t.c.last_error).where(webhooks_t.c.attempts == 1)
    with sending(tmp_path, max_attempts=3, backoff_s=3600) as store:

        def error() -> str | None:
            with store.engine.connect() as conn:
                return conn.execute(kept).scalar()

        create(store, request(), webhook_url=url, webhook_events=["queued"])
        return wait_for(error, timeout_s=10, what="the first try's error kept")


@pytest.mark.parametrize(
    ("path", "shown", "elsewhere"),
    [
        (SLACK, "/services/T0000/B0000/[hidden]", "/api/webhooks/123456789012345678/[hidden]"),
        (DISCORD, "/api/webhooks/123456789012345678/[hidden]", "/services/T0000/B0000/[hidden]"),
    ],
)
def test_a_token_in_the_path_reaches_the_receiver_and_no_log_line_nor_kept_error(
    tmp_path: Path,
    receiver: tuple[str, list[str]],
    caplog: pytest.LogCaptureFixture,
    path: str,
    shown: str,
    elsewhere: str,
) -> None:
    """Only a user and password and query keys were hidden: the whole Slack URL was in the log."""
    base, paths = receiver
    caplog.set_level(logging.DEBUG)
    error = _one_failed_try(tmp_path, base + path)
    assert paths == [path]
    tokens = ("XXXXXXXXXXXXXXXXXXXXXXXX", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-Q7")
    assert not [token for token in tokens if token in caplog.text or token in error]
    assert f"webhook {base}{shown} for video_" in caplog.text
    assert f"POST {base}{shown} " in caplog.text  # httpx's request line
    # The redirect's own token is not shown either (test_s51v_webhook_redirect.py: only its host).
    assert elsewhere not in error and error.endswith(
        f"redirects to {base}/...; ask its owner for the new URL and give that"
    )


def test_a_plain_path_is_logged_as_it_is(
    tmp_path: Path, receiver: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    base, _ = receiver
    caplog.set_level(logging.WARNING, logger="reelgen.jobs.webhooks")
    _one_failed_try(tmp_path, f"{base}/hooks/reelgen")
    assert f"webhook {base}/hooks/reelgen for video_" in caplog.text
