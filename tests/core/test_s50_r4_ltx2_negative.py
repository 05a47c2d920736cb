"""LTX-2's own negative prompt, named in its options without importing diffusers, is the very one
diffusers' LTX-2 pipelines publish (read from diffusers' source, as importing it takes seconds)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from reelgen.core.backends.ltx2 import presets as l2


def test_ltx2s_own_negative_prompt_is_diffusers_default() -> None:
    found = importlib.util.find_spec("diffusers")
    assert found is not None and found.origin is not None
    source = Path(found.origin).parent / "pipelines" / "ltx2" / "utils.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    published = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "DEFAULT_NEGATIVE_PROMPT" for t in node.targets)
    )
    assert l2.LTX2Options().negative_prompt_default == published == l2.NEGATIVE_PROMPT_DEFAULT
