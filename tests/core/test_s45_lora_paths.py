"""LoRA paths a request check is given as people write them: empty, or under a home that is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import LoraSpec
from tests.core.helpers import resolved
from tests.lora_files import write_lora

NO_HOME = "~reelgen-no-such-user/style.safetensors"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        # Path("") is ".": an empty path (a record or project edited by hand) was "  is a folder".
        ("", "loras[1].path is empty; give a .safetensors file"),
        (" ", "loras[1].path is empty; give a .safetensors file"),
        # pathlib raised "Could not determine home directory": an internal error, not a missing file.
        (NO_HOME, f"loras[1].path: LoRA file {NO_HOME} does not exist; give a .safetensors file"),
    ],
)
def test_an_empty_or_homeless_lora_path_is_refused_saying_what_is_wrong(
    tmp_path: Path, path: str, says: str
) -> None:
    fine = write_lora(tmp_path / "fine.safetensors")
    with pytest.raises(InvalidRequest) as err:
        resolved(model="ltx-tiny", prompt="waves", loras=[{"path": str(fine)}, {"path": path}])
    assert (err.value.message, err.value.param) == (says, "loras[1].path")
    assert resolved(model="ltx-tiny", prompt="waves", loras=[{"path": str(fine)}]).loras[0].path == str(fine)


def test_weight_name_picks_the_file_in_a_folder_and_is_never_ignored(tmp_path: Path) -> None:
    """A project's ``{path: loras, weight_name: v2.safetensors}`` was refused as a folder, and with a file path
    ``weight_name`` was passed to diffusers, which ignores it: the file ``path`` named was applied unsaid."""
    v1 = write_lora(tmp_path / "v1.safetensors", rank=2)
    v2 = write_lora(tmp_path / "v2.safetensors", rank=4)

    def lora(**fields: str) -> object:
        return resolved(model="ltx-tiny", prompt="waves", loras=[fields]).loras[0]

    assert lora(path=str(tmp_path), weight_name="v2.safetensors") == LoraSpec(path=str(v2))
    assert lora(path=str(v1), weight_name="v1.safetensors") == LoraSpec(path=str(v1))
    with pytest.raises(InvalidRequest) as err:
        lora(path=str(v1), weight_name="v2.safetensors")
    assert err.value.param == "loras[0].weight_name"
    assert err.value.message == (
        f"loras[0].weight_name: 'v2.safetensors' is not the file {v1} names; weight_name picks a file "
        "inside a folder path: leave it out, or make path the folder"
    )
    with pytest.raises(InvalidRequest) as err:
        lora(path=str(tmp_path), weight_name="v3.safetensors")
    assert err.value.message == (
        f"loras[0].path: LoRA file {tmp_path / 'v3.safetensors'} does not exist; give a .safetensors file"
    )


def test_a_model_that_takes_no_lora_names_the_families_that_do(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as err:
        resolved(
            model="hunyuan15-tiny",
            prompt="waves",
            loras=[{"path": str(write_lora(tmp_path / "s.safetensors"))}],
        )
    # It was "HunyuanVideo 1.5 does not take LoRAs", and nothing on where to go instead.
    assert err.value.param == "loras"
    assert err.value.message.startswith(
        "HunyuanVideo 1.5 does not take LoRAs; leave them out (loras), or use a model of a family that does "
        "for task t2v: AnimateDiff, CogVideoX, HunyuanVideo, "
    )
    assert "LTX-Video" in err.value.message and "HunyuanVideo 1.5" not in err.value.message.partition(":")[2]
