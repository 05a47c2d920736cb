"""A voice note uploaded as .opus or .oga keeps its name, so its video's record names it as sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.jobs.artifacts import Artifacts, sent_name


@pytest.mark.parametrize("name", ["note.opus", "voice.oga", "talk.ogg"])
def test_an_ogg_voice_keeps_the_name_it_was_sent_under(tmp_path: Path, name: str) -> None:
    # The record said speech_audio.ogg, and `reelgen replay` beside the downloaded video did not find
    # note.opus, the file the person had.
    stored = Artifacts(tmp_path).save_input(b"OggS voice", ".ogg", sent_as=name)
    assert sent_name("speech_audio", str(stored)) == name


def test_a_name_that_says_another_kind_of_file_is_still_not_kept(tmp_path: Path) -> None:
    stored = Artifacts(tmp_path).save_input(b"OggS voice", ".ogg", sent_as="photo.png")
    assert sent_name("speech_audio", str(stored)) == "speech_audio.ogg"
