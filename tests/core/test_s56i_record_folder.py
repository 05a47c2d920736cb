"""An output whose record's name (NAME.json) is a folder is refused as a folder, not as a file to move."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.encode import check_record_free
from reelgen.core.errors import InvalidRequest


def test_a_folder_where_the_record_goes_is_said_to_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "shot.json").mkdir()
    with pytest.raises(InvalidRequest) as refused:
        check_record_free(tmp_path / "shot.mp4", "--output")
    assert refused.value.message == (
        f"--output {tmp_path / 'shot.mp4'}: its record goes to {tmp_path / 'shot.json'}, which is a folder; "
        "give another name or move that folder"
    )
    assert refused.value.param == "--output"
