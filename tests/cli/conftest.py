"""Fixtures shared by the CLI tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine seen as one without a CUDA GPU, so what a CPU-only user is told is checked on GPU
    machines too: reelgen asks ``torch.cuda.is_available()`` each time it picks a device
    (core/devices.py ``device_info``)."""
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
