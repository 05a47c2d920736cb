"""An enhance input that exists but is no regular file is said to be that, not "does not exist"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelgen.core.enhance.files import enhance_file
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import EnhanceStep


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_as_input_is_named_as_such(tmp_path: Path) -> None:
    pipe = tmp_path / "clip.mp4"
    os.mkfifo(pipe)
    steps = [EnhanceStep(name="lanczos", options={"scale": 2})]
    with pytest.raises(InvalidRequest) as refused:
        enhance_file(pipe, tmp_path / "out.mp4", steps)
    assert refused.value.param == "input"
    assert f"input: {pipe} is not a regular file" in refused.value.message
    assert "does not exist" not in refused.value.message
