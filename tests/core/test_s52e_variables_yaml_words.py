"""A template variable YAML reads as a date or a truth value is refused saying how to write it as text.

``when: 2024-01-05`` and ``flag: yes`` were refused as "Input should be a valid string", which says
neither what YAML made of them nor that quotes fix it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.batch.create import read_defaults
from reelgen.core.errors import InvalidRequest


def _refusal(tmp_path: Path, line: str) -> str:
    (tmp_path / "defaults.yaml").write_text(f"model: ken-burns\nvariables: {{{line}}}\n")
    with pytest.raises(InvalidRequest) as caught:
        read_defaults(tmp_path / "defaults.yaml")
    return caught.value.message


def test_a_date_is_said_as_a_date_with_the_quotes_that_fix_it(tmp_path: Path) -> None:
    message = _refusal(tmp_path, "when: 2024-01-05")
    assert "defaults.variables: when is a date, 2024-01-05, not text" in message
    assert 'put it in quotes to fill it in as written: "2024-01-05"' in message


def test_yes_is_said_as_a_truth_value_with_the_quotes_that_fix_it(tmp_path: Path) -> None:
    message = _refusal(tmp_path, "flag: yes")
    assert "defaults.variables: flag is true or false" in message
    assert 'put it in quotes to fill it in as written: "yes"' in message


def test_a_number_still_fills_in(tmp_path: Path) -> None:
    (tmp_path / "defaults.yaml").write_text("variables: {year: 1984}\n")
    assert read_defaults(tmp_path / "defaults.yaml").variables == {"year": "1984"}
