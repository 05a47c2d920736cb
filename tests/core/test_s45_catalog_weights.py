"""A model's place in the models folder holding something other than its diffusers folder is said so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelgen.core import weights
from reelgen.core.errors import WeightsNotHere
from reelgen.core.spec import registry


def refusal() -> str:
    with pytest.raises(WeightsNotHere) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    return caught.value.message


def test_a_checkpoint_copied_into_the_models_folder_is_said_to_be_no_diffusers_folder() -> None:
    """ "Looked in: PATH" named a folder plainly holding the model's file, and said nothing of why it was passed over."""
    local = Path(os.environ["REELGEN_MODELS_DIR"]) / "ltx-2b"
    local.mkdir(parents=True)
    (local / "ltx-video-2b-v0.9.5.safetensors").write_bytes(b"x")
    assert (
        f"Looked in: {local} (there, but with no model_index.json: it must be the model's whole diffusers "
        "folder, as `save_pretrained` writes it) and the Hugging Face cache" in refusal()
    )
    (local / "ltx-video-2b-v0.9.5.safetensors").unlink()
    assert f"Looked in: {local} and the Hugging Face cache" in refusal()  # an empty folder: nothing to say
    local.rmdir()
    local.write_bytes(b"")
    assert f"Looked in: {local} (a file: the model's diffusers folder goes there) and" in refusal()
