"""A manifest or prompts file that writes half a character (a lone ``\\udce9`` escape) is refused naming the field.

A variable holding one filled a prompt that failed its item as ``internal error (ValidationError ...);
please report it``; a prompt or currency holding one was told pydantic's "unable to parse raw data as a
unicode string", which said neither where nor how to fix it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch import load_manifest
from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts

SAID = "holds half of a character (a lone UTF-16 surrogate"


def _manifest(tmp_path: Path, defaults: dict[str, object]) -> Path:
    path = tmp_path / "m.json"
    # ensure_ascii writes the lone surrogate as the escape a person (or a script) would leave.
    path.write_text(json.dumps({"defaults": {"model": "ltx-tiny", **defaults}, "items": [{"output": "x"}]}))
    return path


@pytest.mark.parametrize(
    ("defaults", "where"),
    [
        ({"variables": {"a": "\udce9"}, "prompt": "{a}"}, "defaults.variables: a "),
        ({"prompt": "caf\udce9"}, "defaults.prompt "),
        ({"currency": "\ud83d"}, "defaults.currency "),
    ],
)
def test_a_manifest_with_half_a_character_is_refused_naming_the_field(
    tmp_path: Path, defaults: dict[str, object], where: str
) -> None:
    path = _manifest(tmp_path, defaults)
    with pytest.raises(InvalidRequest) as caught:
        load_manifest(path)
    assert caught.value.message.startswith(f"manifest {path}: {where}{SAID}"), caught.value.message
    assert "unable to parse" not in caught.value.message


def test_a_whole_character_past_the_basic_plane_is_taken(tmp_path: Path) -> None:
    manifest = load_manifest(_manifest(tmp_path, {"variables": {"a": "\U0001f98a"}, "prompt": "{a}"}))
    assert manifest.defaults.variables == {"a": "\U0001f98a"}


def test_a_prompts_file_with_half_a_character_is_refused_naming_the_prompt(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text('prompts:\n  - "caf\\udce9"\n')
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    assert caught.value.message.startswith(f"prompts file {path}: prompts[0].prompt {SAID}"), (
        caught.value.message
    )
