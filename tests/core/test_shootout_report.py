"""The report's page says which weighted parts of the score nothing measured (VRAM and cost on a CPU)."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.shootout import PromptsFile, TrialResult
from reelgen.core.shootout.report import write_report

PROMPTS = PromptsFile.model_validate({"prompts": ["a fox"]})


def _done(model: str, parts: dict[str, float]) -> TrialResult:
    return TrialResult(
        key=f"{model}--p1", model=model, prompt_id="p1", prompt="a fox", status="done", score=50, parts=parts
    )


def test_a_report_of_cpu_runs_says_vram_and_cost_were_left_out_of_the_score(tmp_path: Path) -> None:
    # It listed "vram 0.15" and "cost 0.1" among the weights as if they had counted.
    cpu = {"speed": 1.0, "temporal": 0.9, "artefacts": 1.0}
    page = write_report([_done("a", cpu), _done("b", cpu)], PROMPTS, ["a", "b"], tmp_path / "r").read_text()
    assert "artefacts 0.25 (not measured here, so left out of the score: cost, vram)." in page
    gpu = {**cpu, "cost": 1.0, "vram": 0.5}
    page = write_report([_done("a", gpu), _done("b", gpu)], PROMPTS, ["a", "b"], tmp_path / "g").read_text()
    assert "left out of the score" not in page and "artefacts 0.25." in page
