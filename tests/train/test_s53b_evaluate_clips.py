"""`reelgen train-micro evaluate --clips` never names the report's own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.train import micro_eval
from reelgen.train.micro import main


def test_clips_at_the_report_path_are_refused_before_loading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The NPZ of clips was saved, then the JSON report replaced it: the clips were lost, unsaid.
    def load_model(*_: object) -> None:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(micro_eval, "load_model", load_model)
    report = tmp_path / "eval.json"
    argv = ["evaluate", "--prompts", "1", "--out", str(report), "--clips", f"{tmp_path}/./eval.json"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"error: --clips {tmp_path}/./eval.json is the --out report's path; give the clips a file of their own\n"
    )
    assert not report.exists()
