"""An upscaler checkpoint reelgen cannot load without spandrel: the refusal says how to get spandrel."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from reelgen.core.enhance.upscale import torch_model
from reelgen.core.errors import InvalidRequest


def test_a_checkpoint_of_another_architecture_names_the_extra_that_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said only "spandrel is not installed", naming neither the extra nor its torchvision need.
    monkeypatch.setattr(torch_model, "spandrel", lambda: None)
    path = tmp_path / "4x_other.pth"
    with pytest.raises(InvalidRequest) as err:
        torch_model.build({"foo.weight": torch.zeros(3, 3)}, path)
    message = err.value.message
    assert message.startswith(f"upscaler checkpoint {path}: spandrel is not installed")
    assert "pip install 'reelgen[spandrel]'" in message
    assert "torchvision built for this torch" in message
    assert "RRDBNet" in message and "SRVGGNetCompact" in message
