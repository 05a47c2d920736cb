"""The lip-sync training scripts refuse a seed torch cannot take, by name, before loading anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.train import avatar, avatar_latent, avatar_open
from tests.train.test_s50_train_avatar_bounds import usage_error


@pytest.mark.parametrize(
    ("main", "lead"),
    [
        (avatar.main, []),
        (avatar_latent.main, ["--vae", "{tmp}"]),
        (avatar_open.main, ["train", "--model", "{tmp}", "--sources", "{tmp}/train.npz"]),
    ],
)
@pytest.mark.parametrize("value", ["18446744073709551616", "-1"])
def test_a_seed_out_of_bounds_is_a_usage_error(
    main: Callable[[list[str]], None],
    lead: list[str],
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # --seed was a plain int: 2**64 went on to load the data and ended in torch's "Overflow when
    # unpacking long long" traceback; -1 was taken, where train-micro's --seed is refused below 0.
    said = usage_error(main, lead, tmp_path, capsys, "--seed", value)
    assert f"argument --seed: '{value}' must be at least 0 and at most 9223372036854775807" in said, said
    assert not (tmp_path / "out").exists()
