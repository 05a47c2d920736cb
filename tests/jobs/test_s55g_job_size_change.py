"""An enhance job of a clip whose picture changes size part way: promised and delivered at its first size."""

from __future__ import annotations

from pathlib import Path

import av

from reelgen.core.enhance.auto import interpolation_step
from reelgen.jobs import kinds
from reelgen.jobs.kinds.enhance import enhance_payload
from reelgen.jobs.records import JobStatus
from reelgen.jobs.service import JobService
from tests.cli.test_s55g_size_change import _resized_clip
from tests.jobs import shared_service

module_family = shared_service.module_family
jobtest_family = shared_service.jobtest_family
shared = shared_service.shared


def test_a_clip_that_changes_size_is_enhanced_at_its_first_size(shared: JobService, tmp_path: Path) -> None:
    source = _resized_clip(tmp_path / "rec.mkv")  # 6 frames of 64x48, then 6 of 96x48
    job = shared.submit(enhance_payload(source, [interpolation_step(2, None, "flow")]), kind=kinds.ENHANCE)
    assert job.size == "64x48"  # it was promised at 96x48, the last frame's size
    done = shared.wait(job.id, timeout_s=300)
    # It failed: "generation_failed the enhanced video shows 64x48; the job promised 96x48".
    assert done.status is JobStatus.COMPLETED, done.error
    video = shared.content(done.id)
    assert video is not None
    with av.open(str(video)) as container:
        assert {(f.width, f.height) for f in container.decode(video=0)} == {(64, 48)}
