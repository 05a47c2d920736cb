"""Text over the voice limit is refused before (or while) it is spoken, and a voice shorter than a syllable is refused."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.api.avatar_inputs import probe_audio
from reelgen.api.errors import ApiError
from reelgen.core.errors import InvalidRequest
from reelgen.core.speech import tts
from reelgen.core.speech.audio import check_voice, write_wav
from reelgen.core.types import Audio

RATE = 22050


@dataclass
class _Chunk:
    audio_float_array: np.ndarray
    phoneme_alignments: None = None


class _Config:
    sample_rate = RATE
    length_scale = 1.0


class FakePiper:
    """Piper's surface as ``speak`` uses it: sentences of ``phonemes`` phonemes, each ``seconds`` long."""

    def __init__(self, sentences: int, phonemes: int, seconds: float) -> None:
        self.config = _Config()
        self.sentences, self.phonemes, self.seconds = sentences, phonemes, seconds
        self.spoken = 0

    def phonemize(self, text: str) -> list[list[str]]:
        return [["a"] * self.phonemes for _ in range(self.sentences)]

    def synthesize(self, text: str, include_alignments: bool = False) -> Any:
        for _ in range(self.sentences):
            self.spoken += 1
            yield _Chunk(np.full(int(self.seconds * RATE), 0.1, np.float32))


def _use(monkeypatch: pytest.MonkeyPatch, piper: FakePiper) -> None:
    monkeypatch.setattr(tts, "_seeded_voice", lambda *files: piper)


def test_text_surely_over_the_limit_is_refused_before_a_word_is_spoken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    piper = FakePiper(
        sentences=100, phonemes=200, seconds=10
    )  # 20,000 phonemes: at least 800 s at 25 a second
    _use(monkeypatch, piper)
    with pytest.raises(
        InvalidRequest, match=r"the text takes about 1026 s .*20000 phonemes.*limit is 300 s"
    ) as info:
        tts.speak("Hello there.", limit_s=300)
    assert info.value.param == "speech_text" and piper.spoken == 0


def test_text_near_the_limit_stops_at_the_limit_not_at_its_end(monkeypatch: pytest.MonkeyPatch) -> None:
    piper = FakePiper(
        sentences=40, phonemes=20, seconds=10
    )  # 800 phonemes (32 s at the fastest), 400 s spoken
    _use(monkeypatch, piper)
    with pytest.raises(
        InvalidRequest, match=r"takes more than 300 s to speak; the limit is 300 s \(shorten it"
    ):
        tts.speak("Hello there.", limit_s=300)
    assert piper.spoken == 31  # the 31st sentence passed 300 s; the other nine were never spoken


def test_text_within_the_limit_is_spoken_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, FakePiper(sentences=3, phonemes=20, seconds=1))
    assert tts.speak("Hello there.", limit_s=300).audio.seconds == pytest.approx(3)


def test_a_run_on_sentence_is_refused_before_piper_runs_out_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    piper = FakePiper(sentences=1, phonemes=9000, seconds=400)  # a run-on of digits: killed for memory before
    _use(monkeypatch, piper)
    with pytest.raises(
        InvalidRequest, match=r"a sentence of the text runs 9000 phonemes .*break it into sentences"
    ):
        tts.speak("1234567890 1234567890")
    assert piper.spoken == 0


def test_the_avatar_request_speaks_with_its_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``resolve`` passes REELGEN_AVATAR_MAX_SECONDS (--max-seconds) to the speaking, and keeps no WAV."""
    from PIL import Image

    from reelgen.core.backends.avatar.presets import RULES
    from reelgen.core.spec.request import GenerationRequest
    from reelgen.core.speech.prepare import avatar_request

    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "20")
    piper = FakePiper(sentences=10, phonemes=100, seconds=5)  # 1,000 phonemes: 40 s at the fastest
    _use(monkeypatch, piper)
    face = tmp_path / "face.png"
    Image.new("RGB", (128, 128)).save(face)
    request = GenerationRequest(
        model="reelgen-lipsync", task="avatar", start_image=str(face), speech_text="Hi."
    )
    with pytest.raises(InvalidRequest, match=r"about 51 s .*the limit is 20 s"):
        avatar_request(request, 25.0, RULES)
    assert piper.spoken == 0 and not list((tmp_path / "home").rglob("*.wav"))


@pytest.mark.parametrize("seconds", [0.0005, 0.01, 0.2])
def test_a_voice_shorter_than_a_syllable_is_refused(seconds: float) -> None:
    tone = np.sin(np.arange(int(seconds * 16000) or 1) * 0.3).astype(np.float32)[None] * 0.5
    with pytest.raises(
        InvalidRequest, match=rf"is {seconds:.3g} s long; an avatar needs at least 0.25 s of speech"
    ):
        check_voice(Audio(tone, 16000))


def test_a_voice_of_a_syllable_is_taken() -> None:
    tone = np.sin(np.arange(int(0.25 * 16000)) * 0.3).astype(np.float32)[None] * 0.5
    check_voice(Audio(tone, 16000))


def test_a_click_sent_to_the_api_is_a_400_naming_audio(tmp_path: Path) -> None:
    tone = np.sin(np.arange(160) * 0.3).astype(np.float32)[None] * 0.5  # 0.01 s at 16 kHz
    data = write_wav(tmp_path / "click.wav", Audio(tone, 16000)).read_bytes()
    with pytest.raises(
        ApiError, match=r"audio: the voice track is 0.01 s long; an avatar needs at least"
    ) as info:
        probe_audio(io.BytesIO(data).getvalue(), 300)
    assert info.value.status == 400 and info.value.param == "audio"


def test_text_the_voice_finds_nothing_to_say_in_says_what_to_give(monkeypatch: pytest.MonkeyPatch) -> None:
    piper = FakePiper(sentences=1, phonemes=0, seconds=0)  # espeak (en-us) makes no phonemes of "١٢٣"
    _use(monkeypatch, piper)
    with pytest.raises(
        InvalidRequest,
        match=r"^speech_text: the voice en_US-joe-medium finds nothing it can say in '١٢٣'; give words in its language \(en-us\)",
    ):
        tts.speak("١٢٣")
    assert piper.spoken == 0
