"""`reelgen shootout -o FOLDER` refuses a folder whose report.html or results.json is not a shoot-out's.

The run starts by removing an earlier report and ends by writing its own: a results.json of the
person's own (an experiment's numbers, a page) in that folder was replaced without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

#: A full gc.collect per model unload is skipped here (tests/conftest.py says why).
pytestmark = pytest.mark.usefixtures("no_collection_per_unload")


def _run(tmp_path: Path, folder: Path) -> tuple[int, str]:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox in snow\n")
    argv = ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(folder), "-q"]
    result = CliRunner().invoke(app, argv)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize(
    ("name", "content"),
    [("results.json", '{"accuracy": 0.93}'), ("report.html", "<h1>My quarterly report</h1>")],
)
def test_a_file_of_the_persons_own_is_not_replaced(tmp_path: Path, name: str, content: str) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / name).write_text(content)
    code, said = _run(tmp_path, folder)
    assert code == 2, said
    assert said == (
        f"error: the report folder {folder} holds a {name} that is not a shoot-out's, and the report "
        "would replace it; move that file, or give another folder"
    )
    assert (folder / name).read_text() == content
    assert [p.name for p in folder.iterdir()] == [name]  # nothing rendered, nothing written


def test_an_earlier_shootouts_report_is_still_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "compare"
    assert _run(tmp_path, folder)[0] == 0
    (folder / "report.html").unlink()  # a run stopped part way can leave either file alone
    code, said = _run(tmp_path, folder)
    assert code == 0, said
    assert json.loads((folder / "results.json").read_text())["trials"][0]["status"] == "done"
    assert (folder / "report.html").read_text().count("<title>reelgen shoot-out</title>") == 1
