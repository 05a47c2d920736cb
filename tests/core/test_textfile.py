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
    assert err.value.message == (
        "manifest.json line 1, column 43: 'prompt' is given twice in items[0] (first on line 1); keep one"
    )
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


def test_a_latin1_file_is_told_where_the_byte_is_and_to_save_as_utf8(tmp_path: Path) -> None:
    # It read "is not valid YAML: it is not UTF-8 text (byte 25: invalid continuation byte)".
    path = tmp_path / "story.yaml"
    path.write_bytes("scenes:\n  - prompt: a café at dawn\n".encode("latin-1"))
    with pytest.raises(InvalidRequest) as refused:
        read_yaml(path, "story.yaml", param="project")
    assert refused.value.message == (
        "story.yaml line 2, column 18: byte 0xe9, which is 'é' in Windows-1252 or Latin-1, is not UTF-8 text: "
        "the file was saved in another encoding; save it as UTF-8 (in the editor's Save As, or: "
        "iconv -f latin1 -t utf-8)"
    )


def test_a_picture_given_for_a_yaml_file_is_asked_about(tmp_path: Path) -> None:
    path = tmp_path / "story.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(
        InvalidRequest, match=r"^story\.yaml is not valid YAML: it is not text .*the file you meant\?$"
    ):
        read_yaml(path, "story.yaml", param="project")


@pytest.mark.parametrize(
    ("line", "fix"),
    [
        ("prompt: a: b", 'prompt: "a: b"'),
        ("  - prompt: the time: dawn  # a comment", 'prompt: "the time: dawn"'),
        ('prompt: a "quoted": word', 'prompt: "a \\"quoted\\": word"'),
    ],
)
def test_a_value_holding_a_colon_is_told_to_be_quoted(tmp_path: Path, line: str, fix: str) -> None:
    # "mapping values are not allowed here" named the place but not the cure.
    path = tmp_path / "story.yaml"
    path.write_text(line + "\n")
    with pytest.raises(InvalidRequest) as refused:
        read_yaml(path, "story.yaml", param="project")
    assert refused.value.message.startswith("story.yaml line 1, column ")
    assert refused.value.message.endswith(
        f": mapping values are not allowed here; a value holding ': ' must be quoted: write {fix}"
    )
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(fix + "\n")  # and the line as told is read as the text meant
    assert read_yaml(fixed, "fixed.yaml", param="project") == {
        "prompt": line.split(": ", 1)[1].split("  #")[0]
    }
