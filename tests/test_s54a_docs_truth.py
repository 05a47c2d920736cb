"""README.md read by a new user on a fresh machine: where it says files go is where the commands put them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def readme() -> str:
    return " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("REELGEN_HOME", "REELGEN_MODELS_DIR", "HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(name, raising=False)
    return home


def test_readme_says_where_a_copied_model_folder_goes_by_default(fresh_home: Path) -> None:
    # README named `$REELGEN_MODELS_DIR/<model>` but not its default, so a new user with a copied
    # folder (no network, as the pull error advises) did not know where to put it.
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0
    printed = re.search(r"models_dir: (\S+)", result.output)
    assert printed is not None
    assert Path(printed.group(1)) == fresh_home / ".cache" / "reelgen" / "models"
    text = readme()
    assert "`$REELGEN_MODELS_DIR/<model>` (a diffusers folder; default `~/.cache/reelgen/models`" in text
    assert "`reelgen info` prints both" in text


def test_a_replay_without_o_goes_where_the_readme_says(
    fresh_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README showed `reelgen replay FILE` "from any folder" without saying where the new video goes.
    made = tmp_path / "first" / "clip.mp4"
    first = runner.invoke(
        app, ["generate", "x", "-m", "ltx-tiny", "--steps", "1", "--seed", "3", "-o", str(made), "-q"]
    )
    assert first.exit_code == 0, first.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = runner.invoke(app, ["replay", str(made), "-q"])
    assert again.exit_code == 0, again.output
    last = Path(again.output.strip().splitlines()[-1])
    assert last.parent == Path("outputs")
    assert re.fullmatch(r"\d{8}-\d{6}-ltx-tiny-3\.mp4", last.name)
    assert (elsewhere / last).is_file() and (elsewhere / last.with_suffix(".json")).is_file()
    assert (
        "Without `-o` the new video goes where `generate` puts one (`outputs/` in the current folder, "
        "named the same way)" in readme()
    )


def test_readme_gives_the_exit_codes_of_a_stopped_command_as_help_does() -> None:
    # README gave 2 and 1 but not what Ctrl-C and SIGTERM exit with, which a script checks for
    # (tests/cli/test_sigterm_write.py checks 143 on a real kill); `reelgen --help` gave both.
    shown = " ".join(runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).output.split())
    assert "Ctrl-C exits 130" in shown and "SIGTERM (kill) exits 143" in shown
    assert "130 for Ctrl-C and 143 for SIGTERM, either way with nothing half-written left" in readme()


def test_readme_names_the_real_models_auto_picks_from(monkeypatch: pytest.MonkeyPatch) -> None:
    # README said generate "picks a real model when its weights are on this machine", so a person who
    # pulled hunyuan got reelgen-micro and took it for a bug: only three models are looked for.
    from reelgen.core import auto_model, weights
    from reelgen.core.errors import InvalidRequest
    from reelgen.core.spec.request import Task

    def only_hunyuan_here(spec: object, preset: object, path: str | None = None) -> object:
        if getattr(preset, "name", "") != "hunyuan":
            raise InvalidRequest("no weights here")
        return object()

    monkeypatch.setattr(weights, "locate", only_hunyuan_here)
    assert auto_model.auto_model(Task.T2V)[0] == "reelgen-micro"
    t2v, i2v = auto_model.REAL_PREFERENCE[Task.T2V], auto_model.REAL_PREFERENCE[Task.I2V]
    assert t2v[:2] == i2v[:2]
    listed = f"the first of `{t2v[0]}`, `{t2v[1]}` and `{t2v[2]}` whose weights are on this machine"
    assert listed in readme()
    assert f"`{i2v[2]}` in place of `{t2v[2]}` for `animate`" in readme()
