"""``reelgen download -o -`` and ``-o`` with a name too long are said of ``--output``, as its other refusals are."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

VIDEO = "video_" + "0" * 32
NOWHERE = "http://127.0.0.1:9"  # nothing answers: the name is refused before any request


def _said(result: object) -> str:
    return " ".join(result.output.split())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("-", "error: --output -: download writes a file, not to stdout"),
        ("a" * 300 + ".mp4", "error: --output " + "a" * 300 + ".mp4: the name aaaa"),
    ],
    ids=["dash", "too-long"],
)
def test_each_refusal_of_a_typed_name_names_the_output_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, words: str
) -> None:
    # They said "output -: ..." and "output aaa...mp4: ...", where a wrong suffix says "--output x.png: ...".
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["download", VIDEO, "-o", name, "--server", NOWHERE])
    assert result.exit_code == 2, result.output
    assert _said(result).startswith(words), _said(result)
    assert list(tmp_path.iterdir()) == []
