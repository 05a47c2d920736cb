"""`reelgen train-micro train --warmup 0` trains at the full learning rate from the first step."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.train.micro_loop import TrainConfig, _lr


def test_no_warm_up_starts_at_the_full_rate() -> None:
    # It was a ZeroDivisionError at the first transformer step, after the whole VAE phase.
    cfg = TrainConfig(out=Path("run"), lr=5e-4, warmup=0)
    assert _lr(cfg, 0, 0.0) == pytest.approx(5e-4)
    assert _lr(cfg, 10, 1.0) == pytest.approx(5e-5)  # the cosine still ends at a tenth


def test_a_warm_up_still_ramps() -> None:
    cfg = TrainConfig(out=Path("run"), lr=5e-4, warmup=10)
    assert _lr(cfg, 0, 0.0) == pytest.approx(5e-5)
    assert _lr(cfg, 9, 0.0) == pytest.approx(5e-4)
