"""A number setting refused says the whole range it takes, not only the end that was passed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.api.settings import ApiSettings, setting_problem
from reelgen.jobs.settings import JobSettings


@pytest.mark.parametrize(
    ("model", "name", "value", "said"),
    [
        (  # it said "less than or equal to 64" alone: a person trying 0 next heard of the other end
            ApiSettings,
            "REELGEN_MAX_CONCURRENT_DECODES",
            "100",
            "REELGEN_MAX_CONCURRENT_DECODES='100': too large; it takes "
            "a whole number from 1 to 64 (default 2)",
        ),
        (
            ApiSettings,
            "REELGEN_MAX_VIDEO_SECONDS",
            "0",
            "REELGEN_MAX_VIDEO_SECONDS='0': too small; it takes a number above 0 "
            "and at most 1e+09 (default 120.0)",
        ),
        (
            JobSettings,
            "REELGEN_WEBHOOK_BACKOFF_S",
            "-1",
            "REELGEN_WEBHOOK_BACKOFF_S='-1': too small; it takes a number from 0 to 3600 (default 1.0)",
        ),
        (  # a non-finite value of a two-ended setting hears the range too
            JobSettings,
            "REELGEN_WEBHOOK_TIMEOUT_S",
            "inf",
            "REELGEN_WEBHOOK_TIMEOUT_S='inf': not a finite number; it takes a number above 0 "
            "and at most 3600 (default 10.0)",
        ),
        (  # text where a whole number goes says what kind of number
            JobSettings,
            "REELGEN_MAX_QUEUE",
            "abc",
            "REELGEN_MAX_QUEUE='abc': not a whole number; it takes a whole number of at least 1 (default 1000)",
        ),
        (  # a setting that is not a number names its choices
            JobSettings,
            "REELGEN_ENGINE",
            "gpu",
            "REELGEN_ENGINE='gpu': not one of its choices; give auto, local or ray (default auto)",
        ),
    ],
)
def test_a_refused_number_setting_says_its_range(
    monkeypatch: pytest.MonkeyPatch, model: type[ApiSettings | JobSettings], name: str, value: str, said: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        model()
    assert setting_problem(caught.value, model, {}) == said
