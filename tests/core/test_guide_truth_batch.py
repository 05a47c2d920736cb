"""docs/batch.md and docs/shootout.md walked as written: a misspelt required key is named as the typo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch.manifest import load_manifest
from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts


def test_a_misspelt_output_in_a_manifest_is_named_not_called_missing(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"version": 1, "items": [{"outptu": "shot", "prompt": "a fox"}]}))
    with pytest.raises(InvalidRequest) as err:
        load_manifest(path)
    assert "items[0].outptu is not a known field; did you mean output?" in err.value.message
    assert "is required" not in err.value.message
    assert err.value.param == "items[0].outptu"


def test_a_missing_output_with_no_lookalike_key_is_still_called_required(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"version": 1, "items": [{"prompt": "a fox", "colour": "red"}]}))
    with pytest.raises(InvalidRequest) as err:
        load_manifest(path)
    assert err.value.message == f"manifest {path}: items[0].output is required"


def test_a_misspelt_prompt_in_a_prompts_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - id: a\n    promt: a fox\n")
    with pytest.raises(InvalidRequest) as err:
        load_prompts(path)
    assert "prompts[0].promt is not a known field; did you mean prompt?" in err.value.message
