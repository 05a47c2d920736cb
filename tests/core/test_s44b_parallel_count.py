"""render_parallel refuses a process count that is not a whole number before any process starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.parallel import render_parallel
from reelgen.core.spec import GenerationRequest, resolve


@pytest.mark.parametrize("gpus", [True, 2.0, "2", 0])
def test_a_count_that_is_not_a_whole_number_is_refused_before_any_process(
    gpus: object, tmp_path: Path
) -> None:
    # gpus=True started two processes that both failed on int('True'); nothing may start or be written.
    request = resolve(GenerationRequest(model="ltx-tiny", prompt="a fox", seed=1))
    with pytest.raises(InvalidRequest, match=r"--gpus must be a whole number of 1 or more, not "):
        render_parallel(request, tmp_path / "out.mp4", gpus=gpus, device="cpu")  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())
