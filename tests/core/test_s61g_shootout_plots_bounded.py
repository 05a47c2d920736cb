"""A large shoot-out's report draws in bounded size: a bar per model past MAX_BARS trials, not per trial, and
clip pictures linked past INLINE_CLIPS, not all inline."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.shootout import PromptsFile, TrialResult, report
from reelgen.core.shootout.per_model import MAX_BARS, per_model
from reelgen.core.shootout.plots import PLOTS
from reelgen.core.types import Video


def _trials(models: int, prompts: int) -> list[TrialResult]:
    return [
        TrialResult(
            key=f"m{m}--p{p}",
            model=f"m{m}",
            prompt_id=f"p{p}",
            prompt="a fox",
            status="failed" if (m, p) == (1, 0) else "done",
            score=0.0 if (m, p) == (1, 0) else 50.0 + m,
            timings={"load": 4.0, "generate": 2.0 + m} if p == 0 else {"generate": 2.0 + m},
            peak_vram_gib=1.0 + p / 100,
            quality={"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.8 - p / 1000},
        )
        for m in range(models)
        for p in range(prompts)
    ]


def test_plots_of_a_thousand_trials_are_no_wider_than_of_a_few() -> None:
    # 600 trials drew a plot ~66,000 px wide; 32 models x 1,000 prompts could not be drawn at all.
    few = _trials(3, 2)
    many = _trials(4, 250)
    for name, make in PLOTS.items():
        small = Image.open(io.BytesIO(make(few))).size
        large = Image.open(io.BytesIO(make(many))).size
        assert large[0] <= small[0], name
        assert large[0] <= (1.1 * MAX_BARS + 2) * 100, name


def test_a_bar_per_model_is_its_mean_over_finished_trials_and_its_score_as_ranked() -> None:
    rows = {r.model: r for r in per_model(_trials(2, 4))}
    assert rows["m1"].prompt_id == "3 of 4 done"
    assert rows["m1"].score == (0 + 51 * 3) / 4  # as the ranking counts a failed trial
    assert rows["m0"].timings == {"load": 4.0, "generate": 2.0}  # load once, generate a mean
    assert rows["m0"].peak_vram_gib == 1.03
    assert rows["m0"].quality == {"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.797}


def test_past_the_inline_limit_clip_pictures_are_linked_and_the_page_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every clip's sheet and GIF inline: 32,000 clips made a page of tens of GB, built in memory.
    monkeypatch.setattr(report, "INLINE_CLIPS", 1)
    frames = np.zeros((4, 32, 32, 3), dtype=np.uint8)
    clip = write_video(Video(frames, 8), tmp_path / "clip.mp4")  # type: ignore[arg-type]
    trials = [
        TrialResult(
            key=f"m--p{i}", model="m", prompt_id=f"p{i}", prompt="a fox", status="done", clip=str(clip)
        )
        for i in range(3)
    ]
    prompts = PromptsFile.model_validate({"prompts": ["a", "b", "c"]})
    page = report.write_report(trials, prompts, ["m"], tmp_path / "r").read_text()
    assert page.count('src="data:image/gif') == 1
    assert '<img src="previews/m--p1.gif"' in page and '<img src="sheets/m--p2.png"' in page
    assert "The first 1 clips' pictures are in this page; the other 2 are linked" in page
    assert (tmp_path / "r" / "previews" / "m--p2.gif").is_file()
    assert page.rstrip().endswith("</body></html>")
