"""`python -m reelgen.train.avatar_speech` reads its arguments as options, not as the folder to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.train.avatar_speech import main


def test_help_is_help_and_an_unknown_option_is_refused_writing_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # it once wrote a 33 MB data set into a folder called ./--help
    with pytest.raises(SystemExit) as helped:
        main(["--help"])
    assert helped.value.code == 0 and "folder" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["--nope"])
    assert refused.value.code == 2 and "unrecognized arguments: --nope" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
