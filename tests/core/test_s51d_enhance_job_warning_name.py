"""A server's enhance job warns of a source cut short by the name it was sent under, not input-0.mp4."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_video
from reelgen.core.enhance.auto import upscale_step
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.types import Video
from reelgen.jobs import kinds
from reelgen.jobs.kinds.enhance import enhance_payload
from reelgen.jobs.worker import unpack_inputs


def test_the_cut_short_warning_names_the_upload(tmp_path: Path) -> None:
    whole = tmp_path / "whole.mp4"
    noise = np.random.default_rng(0).integers(0, 256, (24, 48, 64, 3), dtype=np.uint8)
    write_video(Video(noise, Fraction(24)), whole)
    # As the API keeps an upload sent as holiday.mp4: a copy that stopped half-way.
    (tmp_path / "inputs").mkdir()
    kept = tmp_path / "inputs" / f"{'ab' * 16}-holiday.mp4"
    kept.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    kind = kinds.worker(kinds.ENHANCE)
    payload = enhance_payload(kept, [upscale_step(2, "lanczos")])
    work = tmp_path / "work"
    work.mkdir()
    typed, _ = unpack_inputs(kind, payload, {"source": kept.read_bytes()}, work)
    said: list[str] = []

    def heard(event: ProgressEvent) -> None:
        said.append(event.message or "")

    context = kinds.WorkerContext(work, Progress(on_event=heard), ModelCache(max_models=1), "w0")
    kind.run(typed, context)
    warnings = [line for line in said if "frames it lists" in line]
    # It said "warning: input-0.mp4 ends after ...", the worker's copy the person never had.
    assert len(warnings) == 1 and warnings[0].startswith("warning: holiday.mp4 ends after "), said
