"""A video's parameters hold source_strength only for a restyle of a source clip, the one task that reads it."""

from __future__ import annotations

import pytest

from reelgen.api.convert import video_object
from reelgen.jobs.records import Job, JobStatus


def _job(task: str, strength: float) -> Job:
    payload = {"task": task, "source_video": "/data/inputs/clip.mp4", "source_strength": strength}
    return Job(
        id="video_" + "5" * 32,
        status=JobStatus.QUEUED,
        model="ltx-tiny",
        prompt="a fox",
        payload=payload,
        priority=0,
        created_at=1000.0,
        updated_at=1000.0,
    )


@pytest.mark.parametrize("task", ["extend", "avatar"])
def test_an_extend_or_a_dub_says_no_strength(task: str) -> None:
    # An extend's record carried the default 0.7, which no extend runner reads and the API refuses
    # with an extend: the page showed "How much changed: 0.70" under a continued clip.
    shown = video_object(_job(task, 0.7), "http://127.0.0.1:8000", 0, 7.0)
    assert shown.parameters is not None and shown.parameters.source_strength is None


def test_a_restyle_says_its_strength() -> None:
    shown = video_object(_job("v2v", 0.45), "http://127.0.0.1:8000", 0, 7.0)
    assert shown.parameters is not None and shown.parameters.source_strength == 0.45
