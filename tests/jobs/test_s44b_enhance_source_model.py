"""An enhancement of an enhanced upload names its own methods as its model, not the earlier job's."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from reelgen.core.spec.request import EnhanceStep
from reelgen.jobs.kinds.enhance import EnhanceKind, enhance_payload
from reelgen.jobs.records import Job
from tests.jobs.test_enhance_kind import clip

UPSCALE = [EnhanceStep(name="lanczos", options={"scale": 2})]


def _job(kind: str, model: str, payload: dict[str, Any]) -> Job:
    # Only what enhance_payload reads of a source job.
    return cast(
        Job, SimpleNamespace(id="video_00", kind=kind, model=model, prompt="", seed=None, payload=payload)
    )


def test_an_upscale_of_an_interpolated_upload_is_named_lanczos(tmp_path: Path) -> None:
    # The first job's row said "rife" (its methods: an upload has no model); carried on as the
    # source's model, the upscale of it said "rife" too, a method that did not run in it.
    source = _job("enhance", "rife", {"source_model": ""})
    payload = enhance_payload(clip(tmp_path / "in.mp4", sound=False), UPSCALE, source_job=source)
    assert EnhanceKind().facts(payload).model == "lanczos"


def test_an_enhancement_of_a_render_keeps_the_model_that_made_it(tmp_path: Path) -> None:
    path = clip(tmp_path / "in.mp4", sound=False)
    render = _job("render", "wan-1.3b", {})
    assert EnhanceKind().facts(enhance_payload(path, UPSCALE, source_job=render)).model == "wan-1.3b"
    again = _job("enhance", "wan-1.3b", {"source_model": "wan-1.3b"})  # an enhanced render, enhanced again
    assert EnhanceKind().facts(enhance_payload(path, UPSCALE, source_job=again)).model == "wan-1.3b"
