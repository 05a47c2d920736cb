"""A request whose model is unknown is offered the models that do its task: an image-to-video request
was offered mochi-1 (prompt only) and the avatar-only reelgen-lipsync."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec import GenerationRequest, resolve


def test_an_image_request_with_an_unknown_model_is_offered_image_models(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    Image.new("RGB", (32, 32)).save(image)
    with pytest.raises(ModelNotAvailable) as refused:
        resolve(GenerationRequest(model="zzzz", prompt="a fox", start_image=str(image)))
    said = refused.value.message
    assert "svd" in said and "framepack" in said, said
    assert "mochi-1" not in said and "reelgen-lipsync" not in said
    assert "(the first of each family that makes a video from a start image;" in said
