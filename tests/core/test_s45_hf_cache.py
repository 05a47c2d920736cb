"""Where reelgen pulls into and looks for hub weights, as HF_HUB_CACHE and HF_HOME are written in env files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core import settings


def test_a_cache_variable_is_expanded_as_huggingface_hub_expands_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_CACHE", "$HOME/hf")  # was a folder named '$HOME' under the current one
    assert settings.hf_cache_dir() == tmp_path / "hf"
    monkeypatch.setenv("HF_HUB_CACHE", "~/hub-cache")  # was a folder named '~'
    assert settings.hf_cache_dir() == tmp_path / "hub-cache"


def test_a_cache_variable_set_empty_counts_as_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", "")  # was '.': pulls would have landed in the current folder
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert settings.hf_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HOME", "")
    assert settings.hf_cache_dir().is_absolute() and settings.hf_cache_dir() != Path(".")


def test_the_older_name_of_the_cache_variable_is_read_as_the_hub_reads_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HUGGINGFACE_HUB_CACHE", str(tmp_path / "legacy"))  # huggingface_hub still reads it
    assert settings.hf_cache_dir() == tmp_path / "legacy"
