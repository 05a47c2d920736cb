"""Hostile manifests, storyboards, prompts and defaults files: alias bombs, huge numbers, FIFOs, huge files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.core.batch.create import read_defaults
from reelgen.core.batch.manifest import load_manifest
from reelgen.core.errors import InvalidRequest
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.shootout.spec import load_prompts
from reelgen.core.textfile import MAX_BYTES

#: Nine anchors of nine aliases each: 9**9 strings once expanded ("billion laughs").
BOMB = "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + BOMB


def _project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "film").mkdir()
    (tmp_path / "film" / "project.yaml").write_text(text)
    return tmp_path / "film"


def test_an_alias_bomb_is_refused_at_once_in_every_yaml_file(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a]\n" + BOMB)
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text(BOMB)
    film = _project(tmp_path, "title: x\nscenes: [{prompt: a, duration: 1}]\n" + BOMB)
    started = time.monotonic()
    for load in (
        lambda: load_prompts(prompts),
        lambda: read_defaults(defaults),
        ProjectFolder.find(film).load,
    ):
        with pytest.raises(InvalidRequest, match=r"more than 1,000,000 values once its aliases"):
            load()
    assert time.monotonic() - started < 2  # it took two minutes each before


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    film = _project(
        tmp_path,
        "title: x\nscenes:\n  - &s {prompt: a, duration: 1}\n  - {<<: *s, id: two}\n",
    )
    assert ProjectFolder.find(film).load().scene_ids() == ["scene-1", "two"]


def test_a_number_too_long_to_read_names_the_file_and_place(tmp_path: Path) -> None:
    huge = "9" * 5000
    film = _project(tmp_path, f"title: x\nscenes:\n  - prompt: a\n    duration: 1\n    seed: {huge}\n")
    with pytest.raises(InvalidRequest, match=r"project.yaml line 5, column 11: a number 5000 digits long"):
        ProjectFolder.find(film).load()
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"items": [{"output": "a", "seed": ' + huge + "}]}")
    with pytest.raises(InvalidRequest, match=r"manifest .*manifest.json: a number 5000 digits long"):
        load_manifest(manifest)


def test_a_fifo_is_named_as_one_instead_of_blocking(tmp_path: Path) -> None:
    for name in ("manifest.json", "prompts.yaml", "defaults.yaml"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "film").mkdir()
    os.mkfifo(tmp_path / "film" / "project.yaml")
    for load in (
        lambda: load_manifest(tmp_path / "manifest.json"),
        lambda: load_prompts(tmp_path / "prompts.yaml"),
        lambda: read_defaults(tmp_path / "defaults.yaml"),
        lambda: ProjectFolder.find(tmp_path / "film"),
    ):
        with pytest.raises(InvalidRequest, match=r"is a FIFO \(named pipe\), not a regular file"):
            load()


def test_a_project_yaml_that_is_a_folder_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "film" / "project.yaml").mkdir(parents=True)
    with pytest.raises(InvalidRequest, match=r"project.yaml is a folder; give the file itself"):
        ProjectFolder.find(tmp_path / "film")


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    with prompts.open("w") as handle:
        handle.truncate(MAX_BYTES["YAML"] + 1)  # sparse: no time spent writing it
    started = time.monotonic()
    with pytest.raises(InvalidRequest, match=r"prompts.yaml is larger than 4 MB, too large for a YAML file"):
        load_prompts(prompts)
    assert time.monotonic() - started < 1


def test_batch_on_a_bomb_and_a_fifo_exits_2_with_one_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "manifest.json")
    out = CliRunner().invoke(cli_app, ["batch", str(tmp_path / "manifest.json")])
    assert out.exit_code == 2, out.output
    assert "is a FIFO (named pipe)" in out.output and "Traceback" not in out.output
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a]\n" + BOMB)
    before = sorted(tmp_path.iterdir())
    out = CliRunner().invoke(cli_app, ["shootout", "-p", str(prompts), "-m", "ken-burns"])
    assert out.exit_code == 2, out.output
    assert "aliases" in out.output and "Traceback" not in out.output
    assert sorted(tmp_path.iterdir()) == before
