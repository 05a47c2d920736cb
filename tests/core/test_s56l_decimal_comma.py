"""A number written with a decimal comma (``duration: 1,5``, as much of Europe writes it) is told to
take a point: it was said only "'1,5' is not a number", which named no fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project.folder import ProjectFolder


def _said(tmp_path: Path, duration: str) -> str:
    (tmp_path / "project.yaml").write_text(
        f"title: T\nscenes:\n  - id: a\n    prompt: a boat\n    duration: {duration}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidRequest) as refused:
        ProjectFolder.find(tmp_path).load()
    return refused.value.message


def test_a_decimal_comma_is_told_to_be_a_point(tmp_path: Path) -> None:
    assert _said(tmp_path, "1,5").endswith("; write it with a point, not a comma: 1.5")


def test_three_digits_after_the_comma_may_be_thousands(tmp_path: Path) -> None:
    assert _said(tmp_path, "1,250").endswith(
        "; write it with a point, not a comma: 1.250 (or 1250, if the comma groups thousands)"
    )


def test_words_get_no_comma_advice(tmp_path: Path) -> None:
    assert "comma" not in _said(tmp_path, "long")
