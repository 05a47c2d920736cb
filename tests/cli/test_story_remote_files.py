"""`reelgen project ... --server`: a file the project names that is not here is said so before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
#: Never reached: the project is refused before any request.
NOWHERE = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (
            "soundtrack: {file: assets/gone.wav}",
            "soundtrack.file: file {root}/assets/gone.wav does not exist",
        ),
        ("soundtrack: {file: assets}", "soundtrack.file: {root}/assets is a folder, not a file"),
    ],
)
def test_a_missing_file_is_named_here_not_as_one_the_server_was_not_sent(
    line: str, said: str, tmp_path: Path
) -> None:
    """The upload left it out and the server said "assets/gone.wav was not sent; send it with the
    project file", which the CLI does itself; in process it is "does not exist"."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "project.yaml").write_text(
        f"title: x\nscenes:\n  - {{id: a, prompt: a red circle, duration: 1.0}}\n{line}\n"
    )
    result = runner.invoke(app, ["project", "status", str(tmp_path), "--server", NOWHERE])
    assert result.exit_code == 2
    # Read here, the file's mistake ends with its line, as a local run's does.
    assert " ".join(result.output.split()) == f"error: {said.format(root=tmp_path)} (project.yaml line 4)"


def test_a_scenes_missing_image_is_named_by_its_scene(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: x\nscenes:\n  - {id: a, prompt: a red circle, duration: 1.0, start_image: assets/nope.png}\n"
    )
    result = runner.invoke(app, ["project", "render", str(tmp_path), "--server", NOWHERE, "-q"])
    assert result.exit_code == 2
    assert " ".join(result.output.split()) == (
        f"error: scene 'a' (scenes[0]): start_image: file {tmp_path}/assets/nope.png does not exist "
        "(project.yaml line 3)"
    )
