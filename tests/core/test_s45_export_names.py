"""An output name whose suffix is not the container's is refused with a name that keeps what the person chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, check_output


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("film.v2", "name it film.v2.mp4"),  # was "name it film.mp4": the v2 was lost
        ("take 1.0", "name it take 1.0.mp4"),
        ("film.mkv", "name it film.mp4"),
        ("film.json", "name it film.mp4"),
        ("film.AVI", "name it film.mp4"),
    ],
)
def test_the_name_offered_keeps_a_dot_that_is_part_of_the_name(name: str, advice: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_output(Path(name), ExportSettings())
    assert f"{name} does not end in .mp4, the container asked for (export.container); {advice} (" in (
        refused.value.message
    )
