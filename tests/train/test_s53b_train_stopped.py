"""`python -m reelgen.train.micro` stopped by Ctrl-C or a kill: one line saying what was kept, the last
checkpoint whole and no hidden file of the one being written."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from reelgen.train import micro_loop
from reelgen.train.micro import main
from reelgen.train.micro_checkpoint import save_checkpoint

SMOKE = ["--device", "cpu", "--seconds", "60", "--vae-seconds", "10", "--eval-prompts", "0"]


class _Unhandled(BaseException):
    """What the kill became when nothing in reelgen took it (the default action would end pytest)."""


@pytest.fixture
def kill_is_caught() -> Iterator[None]:
    def unhandled(signum: int, frame: Any) -> None:
        raise _Unhandled

    previous = signal.signal(signal.SIGTERM, unhandled)
    yield
    signal.signal(signal.SIGTERM, previous)


class _KilledWhileSaved(torch.nn.Linear):
    """A VAE whose weights are read for the second checkpoint while a kill arrives."""

    saves = 0

    def state_dict(self, *args: Any, **kwargs: Any) -> Any:
        type(self).saves += 1
        if type(self).saves == 2:
            signal.raise_signal(signal.SIGTERM)  # its handler runs before this returns
        return super().state_dict(*args, **kwargs)


def test_a_kill_while_a_checkpoint_is_written_keeps_the_last_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kill_is_caught: None,
) -> None:
    out = tmp_path / "run"

    def run(cfg: Any) -> None:
        parts: Any = SimpleNamespace(vae=_KilledWhileSaved(2, 2), step=2, mean=None, std=None, log={})
        save_checkpoint(parts, cfg, torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
        parts.step = 3
        save_checkpoint(parts, cfg, torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))

    monkeypatch.setattr(micro_loop, "run", run)
    assert main(["train", "--out", str(out), *SMOKE]) == 128 + signal.SIGTERM
    err = capsys.readouterr().err
    assert err == (
        f"error: stopped with SIGTERM; nothing half-written was left; {out} holds the checkpoint of step 2: "
        f"to go on, run the same command with --resume {out} --vae-seconds 0 added\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "log.json",
        "state.json",
        "text_encoder.safetensors",
        "transformer.safetensors",
        "vae.safetensors",
    ]
    assert '"step": 2' in (out / "state.json").read_text()


def test_ctrl_c_before_the_first_checkpoint_says_none_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(cfg: Any) -> None:
        raise KeyboardInterrupt  # the VAE phase, a traceback out of torch's modules

    monkeypatch.setattr(micro_loop, "run", run)
    out = tmp_path / "run"
    assert main(["train", "--out", str(out), *SMOKE]) == 128 + signal.SIGINT
    assert capsys.readouterr().err == (
        f"error: stopped with Ctrl-C; nothing half-written was left, and no checkpoint was written to {out} yet\n"
    )


def test_the_kill_handler_before_is_given_back(tmp_path: Path, kill_is_caught: None) -> None:
    # reelgen's CLI sets its own for every command; train-micro's is only for its step.
    before = signal.getsignal(signal.SIGTERM)
    main(["export", "--checkpoint", str(tmp_path / "none"), "--dest", str(tmp_path / "model")])
    assert signal.getsignal(signal.SIGTERM) is before
