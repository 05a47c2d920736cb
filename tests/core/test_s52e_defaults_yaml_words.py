"""A defaults file's text field YAML reads as a number is taken as typed: ``output_dir: 2024`` (a folder
named for the year) and ``prompt: 1984`` were refused as "Input should be a valid string"; a truth value
there is said as one, with the quotes that fix it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.batch.create import read_defaults
from reelgen.core.errors import InvalidRequest


def test_numbers_in_text_fields_are_taken_as_typed(tmp_path: Path) -> None:
    (tmp_path / "defaults.yaml").write_text("prompt: 1984\nnegative_prompt: 2001\noutput_dir: 2024\n")
    defaults = read_defaults(tmp_path / "defaults.yaml")
    assert (defaults.prompt, defaults.negative_prompt, defaults.output_dir) == ("1984", "2001", "2024")


def test_a_truth_value_prompt_says_to_quote_it(tmp_path: Path) -> None:
    (tmp_path / "defaults.yaml").write_text("negative_prompt: no\n")
    with pytest.raises(InvalidRequest) as caught:
        read_defaults(tmp_path / "defaults.yaml")
    assert caught.value.message == (
        f"defaults file {tmp_path / 'defaults.yaml'}: defaults.negative_prompt: is true or false (YAML reads "
        'yes, no, on and off so too), not text; put it in quotes to fill it in as written: "no"'
    )
