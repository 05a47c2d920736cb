"""Files people write by hand: a Windows byte-order mark is not an error, a key written twice is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch.manifest import load_manifest
from reelgen.core.errors import InvalidRequest
from reelgen.core.textfile import read_json, read_yaml

MANIFEST = {"defaults": {"model": "reelgen-micro"}, "items": [{"prompt": "a red circle", "output": "circle"}]}


def test_a_manifest_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    # Notepad and PowerShell 5 write one first; it was refused as "Unexpected UTF-8 BOM".
    path = tmp_path / "manifest.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(MANIFEST).encode())
    manifest = load_manifest(path)
    assert [item.prompt for item in manifest.items] == ["a red circle"]


def test_a_yaml_file_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_bytes(b"\xef\xbb\xbfspeed: 1\n")
    assert read_yaml(path, "prompts.yaml", param="prompts") == {"speed": 1}


def test_a_json_key_written_twice_is_refused_by_name(tmp_path: Path) -> None:
    # json kept the last "prompt" without a word; the YAML files already refuse this.
    path = tmp_path / "manifest.json"
    path.write_text('{"items": [{"prompt": "a cat", "seed": 1, "prompt": "a dog"}]}')
    with pytest.raises(InvalidRequest) as err:
        read_json(path, "manifest.json", param="manifest")
    assert err.value.message == "manifest.json: 'prompt' is given twice in one object; keep one"
    assert err.value.param == "manifest"
    path.write_text('{"items": [{"prompt": "a cat"}, {"prompt": "a dog"}]}')  # in two objects: fine
    assert len(read_json(path, "manifest.json", param="manifest")["items"]) == 2


def test_a_number_written_with_leading_zeros_is_kept_as_written(tmp_path: Path) -> None:
    # YAML 1.1 reads 010 as octal: 8. A person writing it means the name "010" or the number 10.
    path = tmp_path / "prompts.yaml"
    path.write_text("a: 010\nb: -007\nc: 0\nd: 12\ne: 0x1f\n")
    assert read_yaml(path, "prompts.yaml", param="prompts") == {
        "a": "010",
        "b": "-007",
        "c": 0,
        "d": 12,
        "e": 31,
    }
