"""No message reelgen prints sends a user to a docs/ page: an installed wheel has no docs/ folder."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import reelgen

SRC = Path(reelgen.__file__).parent
DOC_PAGE = re.compile(r"docs/[\w-]+\.md")


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings: read in the source, never printed."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_printed_string_names_a_docs_page_without_saying_where_it_is() -> None:
    # "prompts file x must hold prompts: ... (docs/shootout.md)" and "--device cpu makes a smoke run
    # (docs/micro.md has one)" sent a pip-installed user to a file they do not have. A help text
    # may still name the guide when it says the guide is in reelgen's source.
    pointing = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                text = node.value
            else:
                continue
            if DOC_PAGE.search(text) and "in reelgen's source" not in text:
                pointing.append(f"{path.relative_to(SRC)}:{node.lineno}: {text[:80]}")
    assert pointing == [], "\n".join(pointing)
