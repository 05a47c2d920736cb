"""`python -m reelgen.train.avatar_latent --pool` is checked before the pool is encoded, and kept whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from reelgen.train import avatar_latent


def _refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], pool: Path) -> str:
    """What avatar_latent says as it exits 2 over stand-in VAE and speech data, with ``--pool pool``."""
    np.savez(
        tmp_path / "train.npz",
        features=np.zeros(1),
        frames=np.zeros(1),
        opening=np.zeros(1),
        width=np.zeros(1),
    )
    (tmp_path / "config.json").write_text("{}")
    argv = ["--vae", str(tmp_path), "--data", str(tmp_path / "train.npz"), "--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as exit_:
        avatar_latent.main([*argv, "--pool", str(pool)])
    assert exit_.value.code == 2
    assert not (tmp_path / "out").exists()
    return capsys.readouterr().err


def test_a_folder_as_the_pool_is_refused_before_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It was torch's "open file failed with strerror: Is a directory" traceback once the pool, the slow
    # part on a CPU, had been encoded.
    said = _refused(tmp_path, capsys, tmp_path)
    assert f"--pool {tmp_path} is a folder; give the file the encoded faces are kept in" in said


def test_a_file_that_is_no_pool_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "pool.pt"
    junk.write_bytes(b"not a torch file")
    said = _refused(tmp_path, capsys, junk)
    assert f"--pool {junk} is not a face pool avatar_latent wrote" in said
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(1)}, other)
    said = _refused(tmp_path, capsys, other)
    assert f"--pool {other} is not a face pool avatar_latent wrote" in said
    assert "(no hidden and mouths tensors in it)" in said


def test_a_kept_pool_is_read_once_checked(tmp_path: Path) -> None:
    from reelgen.train.avatar_args import need_pool

    kept = tmp_path / "pool.pt"
    torch.save({"hidden": torch.zeros(1, 4, 2, 2), "mouths": torch.zeros(1, 6, 3, 4, 2, 2)}, kept)
    pool = need_pool(avatar_latent.argparse.ArgumentParser(), "--pool", kept)
    assert pool is not None and pool["hidden"].shape == (1, 4, 2, 2)
    assert need_pool(avatar_latent.argparse.ArgumentParser(), "--pool", tmp_path / "new" / "pool.pt") is None
