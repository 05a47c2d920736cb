"""The lip-sync training scripts refuse a --data file that is no training archive, before they start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reelgen.train import avatar, avatar_latent


@pytest.mark.parametrize("main", [avatar.main, avatar_latent.main])
@pytest.mark.parametrize("content", [b"", b"not a zip archive at all"])
def test_a_damaged_data_file_is_a_usage_error_naming_it(
    main: Callable[[list[str]], None], content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An empty or damaged train.npz was an EOFError or BadZipFile traceback from numpy.
    data = tmp_path / "train.npz"
    data.write_bytes(content)
    vae = tmp_path / "vae"
    vae.mkdir()
    (vae / "config.json").write_text("{}")
    args = ["--data", str(data), "--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as exit_:
        main(["--vae", str(vae), *args] if main is avatar_latent.main else args)
    said = capsys.readouterr().err
    assert exit_.value.code == 2
    assert f"--data {data} is not a NumPy .npz archive" in said, said
    assert "write it with: python -m reelgen.train.avatar_speech .avatar_data" in said
    assert "Traceback" not in said
    assert not (tmp_path / "out").exists()


def test_an_archive_without_the_training_arrays_is_a_usage_error_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An .npz of other arrays was a KeyError: 'features' traceback from inside the data loader.
    data = tmp_path / "train.npz"
    np.savez(data, frames=np.zeros(1))
    with pytest.raises(SystemExit) as exit_:
        avatar.main(["--data", str(data), "--out", str(tmp_path / "out")])
    said = capsys.readouterr().err
    assert exit_.value.code == 2
    assert f"--data {data} lacks the arrays features (or features_q), opening, width" in said, said
    assert "write it with: python -m reelgen.train.avatar_speech .avatar_data" in said
    assert not (tmp_path / "out").exists()
