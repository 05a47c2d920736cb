"""`reelgen info` says what this machine has in words, on a CPU-only machine as on a GPU one."""

from __future__ import annotations

from pathlib import Path

import torch
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_info_names_the_gpus_and_free_memory_and_never_prints_none() -> None:
    # On a CPU it read "cuda: None", "gpu: CPU" and "free_vram_gib: None", and gave no free RAM,
    # which is what a CPU run is refused on.
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    facts = dict(line.strip().split(": ", 1) for line in result.output.splitlines() if ": " in line)
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    assert facts["gpus"] == str(gpus)
    assert "None" not in facts.values()
    assert "free_ram_gib" in facts
    if not gpus:
        assert facts["gpu"] == "none: runs on the CPU" and "free_vram_gib" not in facts
    if torch.version.cuda is None:
        assert facts["cuda"] == "none (this torch is a CPU build)"


def test_info_marks_a_data_folder_that_is_a_file(tmp_path: Path) -> None:
    # REELGEN_HOME naming a file made every run fail, and info listed it as if it were fine.
    home = tmp_path / "home"
    home.write_text("")
    result = runner.invoke(app, ["info"], env={"REELGEN_HOME": str(home), "REELGEN_MODELS_DIR": None})
    facts = dict(line.strip().split(": ", 1) for line in result.output.splitlines() if ": " in line)
    assert facts["reelgen_home"] == f"{home} (unusable: {home} is a file, not a folder)"
    assert facts["models_dir"].endswith(f"(unusable: {home} is a file, not a folder)")
