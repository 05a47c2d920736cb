"""README.md and the enhance, multi-GPU, family and reliability pages: their links, test names and quoted lines are real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "README.md",
    "docs/enhance.md",
    "docs/multi-gpu.md",
    "docs/adding-a-family.md",
    "docs/reliability.md",
]
runner = CliRunner()


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def flat(name: str) -> str:
    return " ".join(text(name).split())


def anchors(path: Path) -> set[str]:
    # GitHub's rule: lower case, punctuation other than '-' and '_' dropped, spaces made '-'.
    heads = re.findall(r"^#+\s+(.+?)\s*$", path.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in heads}


@pytest.mark.parametrize("page", PAGES)
def test_every_link_of_the_page_opens_a_file_and_a_heading_that_exist(page: str) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text(page)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (ROOT / page).parent / path if path else ROOT / page
        if not file.exists() or (anchor and anchor not in anchors(file)):
            broken.append(target)
    assert broken == []


def test_every_test_the_reliability_page_names_is_there() -> None:
    # The page sends a reader to tests by file and name to see each promise checked.
    page = text("docs/reliability.md")
    missing = []
    for ref in set(
        re.findall(r"`(?:tests/)?((?:api|jobs|core|cli|service|web)/test_\w+\.py)(?:::(\w+))?", page)
    ):
        file, name = ROOT / "tests" / ref[0], ref[1]
        if not file.exists() or (name and f"def {name}(" not in file.read_text(encoding="utf-8")):
            missing.append("::".join(filter(None, ref)))
    for name in set(re.findall(r"`(test_\w+)`", page)):
        if not any(
            f"def {name}(" in f.read_text(encoding="utf-8") for f in (ROOT / "tests").rglob("test_*.py")
        ):
            missing.append(name)
    assert missing == []


def test_the_count_with_gpus_refusal_is_quoted_as_printed() -> None:
    quoted = re.search(
        r'\*"(--count makes its takes from one model load; [^"]*)"\*', flat("docs/multi-gpu.md")
    )
    assert quoted is not None
    result = runner.invoke(app, ["generate", "x", "-m", "wan-tiny", "--count", "2", "--gpus", "2"])
    assert result.exit_code == 2
    assert f"error: {quoted.group(1)}" in result.output


def test_an_enhance_output_of_another_kind_is_refused_naming_the_five_the_page_lists(tmp_path: Path) -> None:
    assert "any other name (`.avi`, no suffix) is refused before any work, naming those five" in flat(
        "docs/enhance.md"
    )
    for name in ("x.avi", "x"):
        result = runner.invoke(app, ["enhance", str(tmp_path / "clip.mp4"), "-o", str(tmp_path / name)])
        assert result.exit_code == 2
        # Said as generate and replay say it (f69317b0).
        assert ".mp4, .mov, .mkv, .webm or .gif" in result.output


def test_readme_says_project_export_gives_a_bare_name_its_containers_extension(tmp_path: Path) -> None:
    # README said every -o name not ending in a video extension is refused; `project export -o final`
    # writes final.mp4 (docs/storyboards.md says so), so a reader expected an error that never came.
    from reelgen.core.project import ProjectFolder
    from reelgen.core.project.export import export_target
    from reelgen.core.project.model import ExportSettings, Project

    project = Project.model_validate({"title": "t", "scenes": [{"title_card": {"text": "x"}, "duration": 1}]})
    folder = ProjectFolder(tmp_path, tmp_path / "project.yaml")
    assert export_target(folder, project, ExportSettings(), "final") == Path("final.mp4")
    assert (
        "`project export` gives a name with no extension its container's (`-o final` writes `final.mp4`)"
        in (flat("README.md"))
    )
