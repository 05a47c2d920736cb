"""Text in a script the voice does not speak names that script as people write it."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.speech.tts import check_text


@pytest.mark.parametrize(
    ("text", "named"),
    [("你好世界", "(CJK letters such as '你')"), ("Привет", "(Cyrillic letters such as 'П')")],
)
def test_the_script_of_the_text_is_named_as_written(text: str, named: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_text(text, None)
    # Chinese text read "(Cjk letters such as '你')".
    assert (
        "speaks en-us (Latin script); the text is written in another script " + named in refused.value.message
    )
