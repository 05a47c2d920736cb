"""A LoRA file as a job finds it when it runs: gone since the request was checked, or refused by the loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.backends.plumbing import apply_loras
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import LoraSpec
from tests.lora_files import write_lora


class Pipe:
    """A pipeline whose loader fails as diffusers does on a file it cannot take, naming the path."""

    def load_lora_weights(self, path: str, **kwargs: Any) -> None:
        raise ValueError(f"Error no file named pytorch_lora_weights.bin found in directory {path}.")


def test_a_lora_deleted_after_the_check_is_said_to_be_gone_not_a_hub_repo(tmp_path: Path) -> None:
    gone = tmp_path / "loras" / "style.safetensors"
    with pytest.raises(InvalidRequest) as err:
        apply_loras(Pipe(), (LoraSpec(path=str(gone)),), model="ltx-tiny")
    # diffusers read the path as a Hub repo id: "could not be applied to ltx-tiny (Repo id must be in the
    # form 'repo_name' or 'namespace/repo_name': '/srv/loras/style.safetensors' ...)".
    assert err.value.message == (
        "loras[0].path: style.safetensors is no longer there: it was deleted or moved after the request was "
        "checked; put it back, or ask again"
    )
    assert err.value.param == "loras[0].path"


def test_a_loader_error_naming_the_server_path_names_the_file_only(tmp_path: Path) -> None:
    (tmp_path / "loras").mkdir()
    lora = write_lora(tmp_path / "loras" / "style.safetensors")
    with pytest.raises(InvalidRequest) as err:
        apply_loras(Pipe(), (LoraSpec(path=str(lora)),), model="ltx-tiny")
    assert err.value.message == (
        "loras[0].path: style.safetensors could not be applied to ltx-tiny (Error no file named "
        "pytorch_lora_weights.bin found in directory style.safetensors.)"
    )
    assert str(tmp_path) not in err.value.message  # a job's error reaches API clients
