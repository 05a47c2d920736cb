"""The lip-sync training scripts refuse a missing model folder or data file in one usage line, before any work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.train import avatar, avatar_eval, avatar_latent, avatar_open

SHIPPED = str(Path(avatar.__file__).parents[1] / "assets" / "lipsync")


@pytest.mark.parametrize(
    ("main", "args", "expected"),
    [
        # A FileNotFoundError traceback for nowhere/lipsync.json.
        (
            avatar_eval.main,
            ["{tmp}/nowhere", "{tmp}"],
            "model {tmp}/nowhere is not a lip-sync folder (no lipsync.json in it)",
        ),
        # "ValueError: need at least one array to concatenate", after the model had loaded.
        (avatar_eval.main, [SHIPPED, "{tmp}"], "data {tmp} has no held-out tracks (held_out_*.wav)"),
        # diffusers' "We couldn't connect to 'https://huggingface.co'" for a folder typed wrong.
        (
            avatar_latent.main,
            ["--vae", "{tmp}/vae"],
            "--vae {tmp}/vae is not a VAE folder in diffusers' layout",
        ),
        (avatar.main, ["--data", "{tmp}/train.npz"], "--data {tmp}/train.npz: no such file; write it with"),
        (
            avatar_open.main,
            ["train", "--model", "{tmp}"],
            "--model {tmp} is not a lip-sync folder (no lipsync",
        ),
        (
            avatar_open.main,
            ["train", "--model", SHIPPED, "--data", "{tmp}/t.npz"],
            "--data {tmp}/t.npz: no such file; write it with: python -m reelgen.train.avatar_speech",
        ),
    ],
)
def test_a_missing_input_is_a_usage_error_naming_its_option(
    main: Callable[[list[str]], None],
    args: list[str],
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([a.format(tmp=tmp_path) for a in args])
    said = capsys.readouterr().err
    assert exit_.value.code == 2
    assert expected.format(tmp=tmp_path) in said, said
    assert list(tmp_path.iterdir()) == []  # nothing written
