"""avatar_open's training: a short run writes a lip-sync folder that loads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgen.train.avatar_mouths import prepare


def test_a_short_training_run_writes_a_lip_sync_folder_that_loads(tmp_path: Path) -> None:
    from reelgen.core.backends.avatar.lipsync import LipSyncConfig
    from reelgen.core.spec import registry
    from reelgen.core.weights import bundled_folder
    from reelgen.train.avatar_open import train

    shipped = bundled_folder(registry.resolve("reelgen-lipsync")[1])
    rng = np.random.default_rng(0)
    frames = 40
    data = tmp_path / "train.npz"
    np.savez(
        data,
        features=rng.normal(size=(2 * frames + 20, 384)).astype(np.float16),
        frames=np.stack([np.zeros(frames), np.arange(frames), np.zeros(frames)], 1).astype(np.int64),
        opening=rng.uniform(0, 1, frames).astype(np.float32),
        width=rng.uniform(0.7, 1.12, frames).astype(np.float32),
    )
    prepare(tmp_path / "sources.npz")
    # Three opened identities (each encoded at every opening and width before training), one of each kind
    # of source (a photo, a drawn face, a texture), and one drawn face: the pools a step draws from, at
    # their least. Training takes whole steps until 0.2 s of wall time have passed, the first always:
    # one or two steps, where 1.0 s took 3 to 7 that nothing here reads (about 1 CPU-s more).
    report = train(shipped, data, tmp_path / "sources.npz", tmp_path / "out", 0.2, 4, 1e-4, 0, 0.5, 3, 16)
    assert report["steps"] >= 1 and report["identities"] == 3
    assert LipSyncConfig.read(tmp_path / "out") == LipSyncConfig.read(shipped)
    assert (tmp_path / "out" / "unet" / "diffusion_pytorch_model.safetensors").is_file()
    assert (tmp_path / "out" / "vae" / "config.json").is_file()
