"""The lip-sync training scripts refuse an --out they could not write before training, not at its end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.train import avatar, avatar_latent, avatar_open

SCRIPTS = [
    (avatar, []),
    (avatar_latent, ["--vae", "{tmp}"]),
    (avatar_open, ["train", "--model", "{tmp}", "--sources", "{tmp}/sources.npz"]),
]


def _inputs(tmp: Path) -> None:
    """Inputs the scripts' checks take: speech and sources archives, a VAE and a lip-sync folder."""
    np.savez(
        tmp / "train.npz", features=np.zeros(1), frames=np.zeros(1), opening=np.zeros(1), width=np.zeros(1)
    )
    np.savez(tmp / "sources.npz", textures=np.zeros(1), photos=np.zeros(1), photo_mouths=np.zeros(1))
    (tmp / "config.json").write_text("{}")
    (tmp / "lipsync.json").write_text("{}")


def _run(module: Any, lead: list[str], out: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    def began(*_: object, **__: object) -> dict[str, object]:
        # Training loads models and data for minutes; the writable check must come before it.
        raise AssertionError("training began")

    monkeypatch.setattr(module, "train", began)
    main: Callable[[list[str]], None] = module.main
    args = [a.format(tmp=tmp) for a in lead]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--data", str(tmp / "train.npz"), "--out", str(out)])
    return int(exit_.value.code or 0)


@pytest.mark.parametrize(("module", "lead"), SCRIPTS)
def test_an_out_under_a_file_is_refused_before_training(
    module: Any,
    lead: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The folder was made only once training ended: NotADirectoryError, the minutes of training lost.
    _inputs(tmp_path)
    (tmp_path / "file").write_text("x")
    code = _run(module, lead, tmp_path / "file" / "model", tmp_path, monkeypatch)
    said = capsys.readouterr().err
    assert code == 2
    assert f"--out {tmp_path / 'file' / 'model'}" in said, said
    assert f"{tmp_path / 'file'} is a file, not a folder" in said, said


@pytest.mark.parametrize(("module", "lead"), SCRIPTS)
def test_an_out_that_is_a_file_is_refused_before_training(
    module: Any,
    lead: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _inputs(tmp_path)
    (tmp_path / "model").write_text("x")
    code = _run(module, lead, tmp_path / "model", tmp_path, monkeypatch)
    said = capsys.readouterr().err
    assert code == 2
    assert f"--out {tmp_path / 'model'} is a file; give the folder the model goes into" in said, said
    assert (tmp_path / "model").read_text() == "x"


@pytest.mark.parametrize(("module", "lead"), SCRIPTS)
def test_a_writable_out_goes_on_to_train(
    module: Any, lead: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _inputs(tmp_path)

    class Reached(Exception):
        """Training reached: stopped there (not Ctrl-C's KeyboardInterrupt, which the scripts now say)."""

    def began(*_: object, **__: object) -> dict[str, object]:
        raise Reached

    monkeypatch.setattr(module, "train", began)
    args = [a.format(tmp=tmp_path) for a in lead]
    with pytest.raises(Reached):
        module.main([*args, "--data", str(tmp_path / "train.npz"), "--out", str(tmp_path / "new" / "model")])
    assert not (tmp_path / "new").exists()  # checked, not made


def test_prepare_refuses_an_out_under_a_file_before_drawing_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # prepare drew the texture bank and photo crops first, then failed to make the folder.
    monkeypatch.setattr(avatar_open, "prepare", lambda *_: pytest.fail("sources were drawn"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(SystemExit) as exit_:
        avatar_open.main(["prepare", "--out", str(tmp_path / "file" / "sources.npz")])
    said = capsys.readouterr().err
    assert exit_.value.code == 2
    assert f"{tmp_path / 'file'} is a file, not a folder" in said, said
