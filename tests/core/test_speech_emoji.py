"""Text for an avatar is spoken as written: its emoji are left out, not read aloud by their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.speech.tts import said, speak, speech_path


def test_emoji_in_text_add_no_speech() -> None:
    # espeak read "Hello 🙂🙂🙂" as "hello slightly smiling face slightly smiling face ...": 4 s, not 0.6.
    plain = speak("Hello there.").audio
    with_emoji = speak("Hello 🙂🙂🙂 there.🎉").audio
    assert with_emoji.seconds == pytest.approx(plain.seconds, abs=0.05)
    assert with_emoji.seconds < 1.5


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("I ❤️ you", "I    you"),  # the heart and its variation selector
        ("Team 👍🏽!", "Team   !"),  # a thumb and its skin tone
        ("25° C, © 2024, 5 €, Ⅻ, x → y", "25° C, © 2024, 5 €, Ⅻ, x → y"),  # symbols that are words
    ],
)
def test_what_is_read_aloud(text: str, read: str) -> None:
    assert said(text) == read


def test_the_speech_of_text_with_emoji_is_not_the_one_made_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A WAV spoken with the emoji read out, kept from before, is not handed back for the same text."""
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path))
    assert speech_path("Hi 🙂") == speech_path("Hi  ")
    assert speech_path("Hi 🙂") != speech_path("Hi")
