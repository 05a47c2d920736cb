"""A key in a webhook URL's query reaches the receiver and stays out of the server's log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.jobs.webhooks import shown_url
from tests.jobs.helpers import create, request, wait_for
from tests.jobs.webhook_receiver import receiving, sending


def _answer(path: str) -> tuple[int, str | None]:
    """``/moved`` redirects to a URL with a token, anything else answers 401."""
    if path.startswith("/moved"):
        return 308, "/hooks/v2?access_token=MOVEDHUSHHUSH&v=2"
    return 401, None


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[str]]]:
    with receiving(_answer) as endpoint:
        yield endpoint


def _deliver(tmp_path: Path, url: str) -> None:
    """One job's "queued" event sent to ``url`` until given up (two attempts, no pause)."""
    with sending(tmp_path, max_attempts=2, backoff_s=0) as store:
        create(store, request(), webhook_url=url, webhook_events=["queued"])
        wait_for(lambda: store.pending_webhooks() == 0, timeout_s=10, what="the delivery given up")


def test_a_token_in_the_query_reaches_the_receiver_and_no_log_line(
    tmp_path: Path, receiver: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    """Only a user and password were hidden: ``?token=HUSHHUSH`` was in each failure's log line."""
    base, paths = receiver
    caplog.set_level(logging.DEBUG)
    _deliver(tmp_path, f"{base}/hook?token=HUSHHUSH&sig=SIGHUSHHUSH&page=2")
    assert paths == ["/hook?token=HUSHHUSH&sig=SIGHUSHHUSH&page=2"] * 2
    assert "HUSHHUSH" not in caplog.text  # not "SECRET": a short signing key is warned of by its variable
    assert f"webhook {base}/hook?token=[hidden]&sig=[hidden]&page=2 for video_" in caplog.text
    assert "HTTP 401 (attempt 1 of 2; the next in 0 s)" in caplog.text


def test_a_token_in_a_redirect_the_receiver_answers_stays_out_of_the_log(
    tmp_path: Path, receiver: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    base, _ = receiver
    caplog.set_level(logging.DEBUG)
    _deliver(tmp_path, f"{base}/moved?key=HUSHHUSH")
    assert "HUSHHUSH" not in caplog.text
    assert f"the receiver redirects to {base}/...; ask its owner for the new URL" in caplog.text  # 961f9b88


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://fn.example/api/hook?code=AZ%3D%3D", "https://fn.example/api/hook?code=[hidden]"),
        (
            "https://b.example/o?X-Amz-Signature=ab12&X-Amz-Credential=AK&x=1",
            "https://b.example/o?X-Amz-Signature=[hidden]&X-Amz-Credential=[hidden]&x=1",
        ),
        (
            "https://h.example/?apiKey=k1#access_token=k2",
            "https://h.example/?apiKey=[hidden]#access_token=[hidden]",
        ),
        ("https://u:pw@h.example/h?api_key=k&id=7", "https://***@h.example/h?api_key=[hidden]&id=7"),
        ("https://h.example/h?page=2&token=", "https://h.example/h?page=2&token="),
        ("https://h.example/hooks/T1/B2", "https://h.example/hooks/T1/B2"),
    ],
)
def test_key_like_query_values_are_hidden_and_the_rest_is_kept(url: str, shown: str) -> None:
    assert shown_url(url) == shown
