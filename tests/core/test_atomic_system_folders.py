"""An output under a folder the system makes no files in (/proc) is told so, not 'No such file or directory'."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.atomic import check_writable
from reelgen.core.errors import InvalidRequest


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="a Linux /proc")
def test_proc_is_said_to_take_no_files() -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_writable("/proc/clip.mp4")
    assert refused.value.message == (
        "output /proc/clip.mp4: cannot write into /proc (the system makes no files there); "
        "give a path in a folder you can write to"
    )
