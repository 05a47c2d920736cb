"""An upscaler checkpoint path that is no file is refused saying what it is and what would work."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.enhance.upscale.models import checkpoint_path
from reelgen.core.errors import InvalidRequest


def test_a_missing_checkpoint_names_what_would_work(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        checkpoint_path(str(tmp_path / "4x_typo.pth"))
    assert caught.value.param == "upscaler"
    assert f"{tmp_path / '4x_typo.pth'} does not exist; give a checkpoint file (.pth" in caught.value.message
    assert "or a named model (realesr-animevideov3" in caught.value.message


def test_a_folder_named_like_a_checkpoint_is_said_to_be_a_folder(tmp_path: Path) -> None:
    # It was said "does not exist", though it plainly does.
    folder = tmp_path / "models.pth"
    folder.mkdir()
    with pytest.raises(InvalidRequest, match=r"models\.pth is a folder; give a checkpoint file"):
        checkpoint_path(str(folder))
