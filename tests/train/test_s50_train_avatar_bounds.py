"""The lip-sync training scripts refuse a budget, batch or learning rate of zero or less by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reelgen.train import avatar, avatar_latent, avatar_open


@pytest.mark.parametrize(
    ("main", "lead"),
    [
        (avatar.main, []),
        (avatar_latent.main, ["--vae", "{tmp}"]),
        (avatar_open.main, ["train", "--model", "{tmp}", "--sources", "{tmp}/train.npz"]),
    ],
)
@pytest.mark.parametrize(("option", "value"), [("--batch", "0"), ("--seconds", "-1"), ("--seconds", "nan")])
def test_a_value_of_nothing_is_a_usage_error_naming_the_option(
    main: Callable[[list[str]], None],
    lead: list[str],
    option: str,
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # They were plain int and float options: --batch 0, --seconds -1 and --seconds nan were taken and the
    # script went on to load its data and models.
    said = usage_error(main, lead, tmp_path, capsys, option, value)
    assert f"argument {option}: '{value}' must be above 0" in said, said
    assert not (tmp_path / "out").exists()


def usage_error(
    main: Callable[[list[str]], None],
    lead: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> str:
    """What a lip-sync script says as it exits 2, run over stand-in data, model and VAE folders in
    ``tmp_path`` (``{tmp}`` in ``lead``) with ``--out tmp_path/out`` and ``extra``."""
    np.savez(tmp_path / "train.npz", features=np.zeros(1))
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "lipsync.json").write_text("{}")
    args = [a.format(tmp=tmp_path) for a in lead]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--data", str(tmp_path / "train.npz"), "--out", str(tmp_path / "out"), *extra])
    assert exit_.value.code == 2
    return capsys.readouterr().err
