"""A render's scene locks (``.reelgen/locks/KEY.lock``) go as it lets go: one was left for every version of
every scene ever rendered. Removed while held, a lock is never held twice by renders racing the removal."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from reelgen.core.project.lock import SceneBusy, scenes_held


def test_no_lock_file_is_left_after_a_render(tmp_path: Path) -> None:
    plans: Any = [SimpleNamespace(key=k, label=f"scene '{k}'") for k in ("k1", "k2", "k1")]
    locks = tmp_path / ".reelgen" / "locks"
    with scenes_held(tmp_path, plans):
        assert sorted(p.name for p in locks.iterdir()) == ["k1.lock", "k2.lock"]
        with pytest.raises(SceneBusy), scenes_held(tmp_path, plans[:1]):  # still one at a time
            pass
    assert list(locks.iterdir()) == []
    with scenes_held(tmp_path, plans[:1]):  # free again at once
        pass
    assert list(locks.iterdir()) == []
