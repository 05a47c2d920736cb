"""A tab in a YAML file is said to be a tab, with where it is and that YAML wants spaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder
from reelgen.core.textfile import parse_yaml


def test_a_tab_indenting_a_project_file_says_yaml_indents_with_spaces(tmp_path: Path) -> None:
    # Was only "found character '\t' that cannot start any token".
    (tmp_path / "project.yaml").write_text("title: x\nscenes:\n  - id: a\n  \tprompt: boats\n")
    with pytest.raises(InvalidRequest) as refused:
        ProjectFolder.find(tmp_path).load()
    assert refused.value.message.endswith(
        "project.yaml line 4, column 3: a tab used to indent; YAML indents with spaces only, "
        "so replace the tab with spaces"
    )


def test_a_tab_between_a_key_and_its_value_says_so() -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_yaml("title: x\nfps: \t8\n", "project.yaml", param="project")
    assert refused.value.message == (
        "project.yaml line 2, column 6: a tab where YAML takes only spaces (a tab may stand inside "
        "quotes); replace it with spaces"
    )


def test_a_tab_inside_quotes_is_still_read() -> None:
    assert parse_yaml('title: "a\tb"\n', "project.yaml", param="project") == {"title": "a\tb"}
