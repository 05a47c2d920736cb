"""A retention far past any lifetime is refused at start, naming the setting and its range."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from reelgen.api.convert import video_object
from reelgen.api.settings import setting_problem
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.settings import JobSettings

INT64_MAX = 2**63 - 1


@pytest.mark.parametrize("name", ["REELGEN_RETENTION_DAYS", "REELGEN_RECORD_RETENTION_DAYS"])
def test_a_retention_past_a_hundred_years_is_refused_with_its_range(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # 1e300 days started the server and every finished video's expires_at was a 305-digit number.
    monkeypatch.setenv(name, "1e300")
    with pytest.raises(ValidationError) as caught:
        JobSettings()
    said = setting_problem(caught.value, JobSettings, {})
    assert said.startswith(f"{name}='1e300': ")
    assert "it takes a number from 0 to 36500" in said


def test_the_longest_retention_taken_gives_an_expiry_a_64_bit_client_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REELGEN_RETENTION_DAYS", "36500")
    days = JobSettings().retention_days
    now = time.time()
    job = Job(
        id="video_" + "0" * 32,
        status=JobStatus.COMPLETED,
        model="ltx-tiny",
        prompt="a fox",
        payload={},
        priority=0,
        created_at=now,
        updated_at=now,
        completed_at=now,
    )
    expires = video_object(job, "http://127.0.0.1:8000", None, days, tmp_path).expires_at
    assert expires is not None and now < expires <= INT64_MAX
