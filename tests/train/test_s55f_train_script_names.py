"""Each lip-sync training script names itself as it is typed, `python -m reelgen.train.X`, not `X.py`.

Their usage lines read ``usage: avatar.py`` (``avatar_latent.py`` ...), and their errors
``avatar.py: error: ...``: a command a person cannot run, which names no package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.train import avatar, avatar_eval, avatar_latent, avatar_open

SCRIPTS: list[tuple[str, Callable[[list[str]], None]]] = [
    ("avatar", avatar.main),
    ("avatar_latent", avatar_latent.main),
    ("avatar_open", avatar_open.main),
    ("avatar_eval", avatar_eval.main),
]


@pytest.mark.parametrize(("name", "main"), SCRIPTS)
def test_the_usage_line_is_the_command_to_type(
    name: str, main: Callable[[list[str]], None], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as helped:
        main(["--help"])
    assert helped.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m reelgen.train.{name} ")


def test_an_error_names_the_command_typed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        avatar.main(["--seconds", "-1"])
    assert refused.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "python -m reelgen.train.avatar: error: argument --seconds: '-1' must be above 0"
    )


def test_a_step_of_avatar_open_names_that_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # It printed the top's usage ("{prepare,train} ...") and "avatar_open.py: error:", as if the
    # step had not been typed.
    with pytest.raises(SystemExit) as refused:
        avatar_open.main(["train", "--model", str(tmp_path / "nope")])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m reelgen.train.avatar_open train [-h] --model MODEL")
    assert err.splitlines()[-1] == (
        f"python -m reelgen.train.avatar_open train: error: --model {tmp_path / 'nope'} is not a lip-sync "
        "folder (no lipsync.json in it)"
    )
