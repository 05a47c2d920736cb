"""LoRA paths a request check is given as people write them: empty, or under a home that is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
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
