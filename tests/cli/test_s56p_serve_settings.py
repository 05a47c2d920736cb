"""`reelgen serve --settings` lists every REELGEN_* setting from the settings classes, needing no server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings
from typer.testing import CliRunner

from reelgen.api.setting_names import DIRECT_MEANINGS, DIRECT_NAMES, unread_settings, variables_of
from reelgen.api.settings import ApiSettings, FolderSettings
from reelgen.api.settings_list import settings_lines
from reelgen.cli import app
from reelgen.jobs.settings import JobSettings

runner = CliRunner()


def _listing(env: dict[str, str] | None = None) -> list[str]:
    result = runner.invoke(app, ["serve", "--settings"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _fields() -> list[tuple[type[BaseSettings], str]]:
    return [
        (model, field)
        for model in (ApiSettings, JobSettings, FolderSettings)
        for field, info in model.model_fields.items()
        if not (isinstance(info.annotation, type) and issubclass(info.annotation, BaseSettings))
    ]


def test_every_field_is_listed_with_its_variable_and_a_meaning() -> None:
    # An installed wheel has no README: `serve --help` sent people to one for these settings.
    lines = _listing()
    for model, field in _fields():
        name = next(n for n in variables_of(model, field) if n.startswith("REELGEN_"))
        heads = [
            i for i, line in enumerate(lines) if line.startswith(f"{name}:") or line.startswith(f"{name} ")
        ]
        assert len(heads) == 1, f"{name} ({model.__name__}.{field}) listed {len(heads)} times"
        meaning = lines[heads[0] + 1]
        assert meaning.startswith("    ") and meaning.strip(), f"{name} has no meaning"
    assert any(line.startswith("REELGEN_BATCH_ROOTS: ") for line in lines)  # FolderSettings
    assert any(line.startswith("REELGEN_RAY_ADDRESS (or RAY_ADDRESS): ") for line in lines)


def test_max_queue_shows_its_default_and_range() -> None:
    lines = _listing()
    head = next(i for i, line in enumerate(lines) if line.startswith("REELGEN_MAX_QUEUE:"))
    assert lines[head] == "REELGEN_MAX_QUEUE: a whole number of at least 1 (default 1000)"
    assert "queue" in lines[head + 1]


def test_choices_secrets_and_unset_defaults_are_said() -> None:
    lines = _listing()
    assert "REELGEN_ENGINE: one of auto, local, ray (default auto)" in lines
    assert "REELGEN_WEBHOOK_SECRET: a secret (never shown) (default unset)" in lines
    assert "REELGEN_RETENTION_DAYS: a number from 0 to 36500 (default 7)" in lines
    assert "REELGEN_FETCH_ALLOW_HTTP: true or false (default false)" in lines


def test_it_reads_no_setting_and_starts_nothing(tmp_path: Path) -> None:
    # Bad values, and a data folder that is not there: listing needs neither server nor database.
    data = tmp_path / "never-made"
    lines = _listing({"REELGEN_PORT": "abc", "REELGEN_MAX_QUEUE": "0", "REELGEN_DATA_DIR": str(data)})
    assert any(line.startswith("REELGEN_MAX_QUEUE:") for line in lines)
    assert not data.exists()


def test_a_default_made_at_start_is_the_one_without_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # lora_dir's default reads REELGEN_LORA_DIR itself: the value set is not the default.
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path))
    monkeypatch.setenv("REELGEN_LORA_DIR", "/somewhere/else")
    lines = settings_lines()
    assert f"REELGEN_LORA_DIR: a folder (default {tmp_path / 'loras'})" in lines
    assert os.environ["REELGEN_LORA_DIR"] == "/somewhere/else"  # put back


def test_the_other_variables_are_listed_too() -> None:
    lines = _listing()
    assert set(DIRECT_MEANINGS) <= DIRECT_NAMES
    for name in DIRECT_MEANINGS:
        assert name in lines


def test_the_unknown_setting_warning_names_the_command() -> None:
    (line,) = unread_settings({"REELGEN_FOO": "1"})
    assert (
        line
        == "REELGEN_FOO is not a reelgen setting, so it changes nothing; `reelgen serve --settings` lists them"
    )


def test_help_points_at_the_listing() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "reelgen serve --settings" in result.stdout and "README" not in result.stdout
