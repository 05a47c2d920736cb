"""A hand-written file saved as UTF-16 (Windows Notepad's "Unicode") is named so, with how to mend it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.textfile import read_json, read_lines, read_yaml

PROJECT = "title: Notepad\nscenes:\n  - {id: a, prompt: a red circle, duration: 1}\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_project_file_is_said_to_be_utf16(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "project.yaml").write_bytes(PROJECT.encode(encoding))
    result = CliRunner().invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"is saved as {encoding[:6].upper()}, not UTF-8" in said, said
    assert "save it as UTF-8" in said
    assert "it is not text" not in said


@pytest.mark.parametrize(
    ("reader", "text", "kind"),
    [(read_yaml, "a: 1\n", "YAML"), (read_json, '{"a": 1}', "JSON"), (read_lines, "a prompt\n", "text")],
)
def test_every_reader_of_hand_written_files_says_so(
    tmp_path: Path, reader: object, text: str, kind: str
) -> None:
    path = tmp_path / "f"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(InvalidRequest) as err:
        reader(path, "f", param="file")  # type: ignore[operator]
    assert err.value.message.startswith(
        f"f is not valid {kind}: it is saved as UTF-16, not UTF-8; save it as UTF-8"
    )
    assert err.value.param == "file"


def test_a_picture_is_still_not_text(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    with pytest.raises(InvalidRequest, match="it is not text"):
        read_yaml(path, "f", param="file")
