"""report.html shows no score ("—") for a failed trial and a model with no finished trial, not a measured-looking 0.0."""

from __future__ import annotations

import re
from pathlib import Path

from reelgen.core.shootout import run_shootout
from reelgen.core.shootout.spec import PromptsFile


def test_a_model_that_finished_nothing_has_no_score_in_the_report(tmp_path: Path) -> None:
    prompts = PromptsFile.model_validate({"prompts": ["a fox"]})  # no image: the i2v model's trial fails
    done = run_shootout(["wan-i2v-tiny"], prompts, tmp_path / "compare")
    page = done.report.read_text()
    ranking = re.search(r'<table id="ranking">.*?</table>', page, re.S)
    assert ranking is not None
    assert "<td>\u2014</td><td>0 of 1</td>" in ranking[0] and "0.0" not in ranking[0]
    trial = re.search(r'<tr class="failed" data-model="wan-i2v-tiny".*?</tr>', page, re.S)
    assert trial is not None
    assert "<td>failed</td><td>\u2014</td>" in trial[0]
    assert done.results[0].score == 0.0  # results.json's numbers stay as they were
