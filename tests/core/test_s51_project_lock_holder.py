"""A render refused because another holds a scene names that render's process, as a busy batch does."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from reelgen.core.project.lock import SceneBusy, scenes_held


def test_the_refusal_names_the_process_rendering_the_scene(tmp_path: Path) -> None:
    plan: Any = SimpleNamespace(key="k1", label="scene 'dawn' (scenes[0])")
    with scenes_held(tmp_path, [plan]), pytest.raises(SceneBusy) as busy, scenes_held(tmp_path, [plan]):
        pass
    assert str(busy.value).startswith(
        f"scene 'dawn' (scenes[0]) is being rendered by another `reelgen project render` of this "
        f"project now (process {os.getpid()} on "
    )
    with scenes_held(tmp_path, [plan]):  # let go once the first ended
        pass
