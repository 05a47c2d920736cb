"""The ``REELGEN_*`` names `reelgen serve` counts as read come from the settings, not from source files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import reelgen
from reelgen.api.setting_names import DIRECT_NAMES, known_names, unread_settings

_SRC = Path(__file__).resolve().parents[2] / "src" / "reelgen"
#: A variable name as the code writes it, never ending in ``_`` (``REELGEN_`` alone is a prefix), nor
#: inside another name (typer's completion variable ``_REELGEN_COMPLETE`` is no reelgen setting).
_NAME = re.compile(r"(?<![A-Z0-9_])REELGEN_[A-Z0-9_]*[A-Z0-9]")


def _written_names() -> dict[str, list[str]]:
    """Each ``REELGEN_*`` name written in reelgen's Python source, with the files that write it."""
    found: dict[str, list[str]] = {}
    for source in sorted(_SRC.rglob("*.py")):
        if source.name == "setting_names.py":  # its own text names a misspelled variable
            continue
        for name in set(_NAME.findall(source.read_text(encoding="utf-8"))):
            found.setdefault(name, []).append(str(source.relative_to(_SRC)))
    return found


def test_every_name_the_source_reads_is_known() -> None:
    # A variable read with os.environ (or as a CLI option's envvar) that no settings class and not
    # DIRECT_NAMES names would be called "not a reelgen setting" by `reelgen serve`.
    written = _written_names()
    assert "REELGEN_HOME" in written and "REELGEN_ACCEL" in written  # the scan sees the source
    missing = {
        name: files
        for name, files in written.items()
        if name not in known_names() and name != "REELGEN_JOBS"  # named only to refuse it
    }
    assert not missing, f"add these to DIRECT_NAMES in src/reelgen/api/setting_names.py: {missing}"


def test_every_direct_name_is_still_read() -> None:
    # A name left in the list once nothing reads it would hide the warning for it.
    stale = DIRECT_NAMES - set(_written_names())
    assert not stale, f"nothing in src/reelgen reads {sorted(stale)}; remove them from DIRECT_NAMES"


@pytest.fixture
def no_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """reelgen installed as bytecode alone (or in a zipapp): no ``.py`` file beside its modules."""
    (tmp_path / "reelgen").mkdir()
    (tmp_path / "reelgen" / "__init__.pyc").write_bytes(b"")
    monkeypatch.setattr(reelgen, "__file__", str(tmp_path / "reelgen" / "__init__.pyc"))
    known_names.cache_clear()
    yield
    known_names.cache_clear()


@pytest.mark.usefixtures("no_sources")
def test_without_source_files_the_read_names_still_pass() -> None:
    # Read with os.environ, not a settings field: such an install called each "not a reelgen setting".
    environ = {
        "REELGEN_HOME": "/x",
        "REELGEN_SERVER": "http://h",
        "REELGEN_ACCEL": "none",
        "REELGEN_AVATAR_MAX_SECONDS": "60",
        "REELGEN_MODELS_DIR": "/m",
        "REELGEN_TRACEBACK": "1",
        "REELGEN_RAY_ADDRESS": "h:6379",  # a settings field read through its alias
        "REELGEN_MAX_QUEUE": "5",
    }
    assert unread_settings(environ) == []


@pytest.mark.usefixtures("no_sources")
def test_without_source_files_a_misspelled_name_is_still_named() -> None:
    assert unread_settings({"REELGEN_HOM": "/x", "REELGEN_MAX_QUEU": "5"}) == [
        "REELGEN_HOM is not a reelgen setting, so it changes nothing; did you mean REELGEN_HOME?",
        "REELGEN_MAX_QUEU is not a reelgen setting, so it changes nothing; did you mean REELGEN_MAX_QUEUE?",
    ]


def test_the_names_come_from_the_settings_classes() -> None:
    # The alias is the name read (RAY_ADDRESS is not reelgen's, so not listed); REELGEN_JOBS is refused.
    names = known_names()
    assert {
        "REELGEN_RAY_ADDRESS",
        "REELGEN_BATCH_ROOTS",
        "REELGEN_LORA_DIR",
        "REELGEN_WEBHOOK_SECRET",
    } <= names
    assert "RAY_ADDRESS" not in names and "REELGEN_JOBS" not in names
    assert all(name.startswith("REELGEN_") for name in names)
