"""The lip-sync speed bench's options: a name, folder, device or count it cannot use is one usage line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.backends.avatar import bench


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # A FileNotFoundError traceback for 'nosuch/lipsync.json'.
        (["--model", "nosuch"], "'nosuch' is neither musetalk-random, reelgen-lipsync nor a lip-sync folder"),
        # torch's "Torch not compiled with CUDA enabled" traceback on a machine without CUDA.
        (["--device", "gpu"], "'gpu': give cpu, or cuda / cuda:N on a machine with a CUDA GPU"),
        # Timed nothing and printed fps 0.0.
        (["--frames", "0"], "argument --frames: 0 is below 1"),
        (["--batch", "x"], "argument --batch: 'x' is not a whole number"),
    ],
)
def test_an_option_it_cannot_use_is_a_usage_error(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        bench.main(args)
    assert exit_.value.code == 2 and expected in capsys.readouterr().err


def test_the_shipped_model_is_named_by_its_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.main(["--help"])
    assert "reelgen-lipsync" in capsys.readouterr().out
    assert bench._model("reelgen-lipsync") == "reelgen-lipsync"


def test_a_lip_sync_folder_is_taken(tmp_path: Path) -> None:
    (tmp_path / "lipsync.json").write_text("{}")
    assert bench._model(str(tmp_path)) == str(tmp_path)
