"""REELGEN_WAIT_TIMEOUT_S and REELGEN_POLL_AFTER_MS are bounded: a value past them stops serve at once."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.api.settings import ApiSettings, setting_problem


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (  # taken: POST /generate-video then waited for its job however long it queued
            "REELGEN_WAIT_TIMEOUT_S",
            "1e300",
            "REELGEN_WAIT_TIMEOUT_S='1e300': too large; it takes a number from 0 to 3600 (default 600.0)",
        ),
        (  # taken: the OpenAI SDK's create_and_poll slept that long, never asking again
            "REELGEN_POLL_AFTER_MS",
            "100000000000000000000",
            "REELGEN_POLL_AFTER_MS='100000000000000000000': too large; "
            "it takes a whole number from 100 to 60000 (default 1000)",
        ),
        (  # taken: create_and_poll asked again and again with no pause
            "REELGEN_POLL_AFTER_MS",
            "0",
            "REELGEN_POLL_AFTER_MS='0': too small; it takes a whole number from 100 to 60000 (default 1000)",
        ),
    ],
)
def test_a_wait_or_poll_hint_past_its_range_is_named_with_the_range(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    # The line `reelgen serve` prints (exit 2) before it listens.
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        ApiSettings()
    assert setting_problem(caught.value, ApiSettings, {}) == said


def test_the_ends_are_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_WAIT_TIMEOUT_S", "3600")
    monkeypatch.setenv("REELGEN_POLL_AFTER_MS", "100")
    settings = ApiSettings()
    assert (settings.wait_timeout_s, settings.poll_after_ms) == (3600, 100)
