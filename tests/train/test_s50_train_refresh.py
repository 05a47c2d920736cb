"""`reelgen train-micro train` refuses a --refresh larger than the --pool it refreshes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.train.micro import main


def test_more_fresh_clips_a_step_than_the_pool_holds_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --pool 4 --refresh 100 trained: each step encoded 100 clips into 4 slots, writing each slot
    # many times in one indexed assignment, where which clip wins is left undefined, so a slot's
    # latent and its caption could come from different clips.
    out = tmp_path / "run"
    argv = ["train", "--out", str(out), "--device", "cpu", "--pool", "4", "--refresh", "100"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--refresh 100 is more than the --pool of 4 clips it refreshes" in err
    assert "give --refresh 4 or less, or a larger --pool" in err
    assert not out.exists()
