"""Speaks an avatar's recorded text again for a replay whose speech WAV is gone (a temp copy, a cleaned cache)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.spec.request import ResolvedRequest, Task


def respeak_missing(
    record: dict[str, Any], request: ResolvedRequest, source: str | Path, allow_changed: bool = False
) -> ResolvedRequest:
    """``request`` with its speech spoken again from its text when the recorded WAV no longer exists.

    Speech is seeded, so the same text and voice give the very samples the video
    was made with; the recorded SHA-256 says whether they did. Samples that differ
    (another Piper, onnxruntime or voice file, or a CPU that rounds differently)
    are a changed input, taken only with ``allow_changed``, and only while they
    last as many frames as the video: its length was the speech's. Any other
    request comes back as it was, for the usual check of its inputs.
    """
    from reelgen.core.speech.audio import read_voice
    from reelgen.core.speech.tts import speech_file
    from reelgen.core.weights import sha256_file

    gone = request.speech_audio
    if request.task is not Task.AVATAR or not request.speech_text or not gone or Path(gone).is_file():
        return request
    lost = f"cannot replay {source}: speech_audio: {gone} no longer exists"
    anew = f'make the avatar anew instead (reelgen avatar --text "{_shown(request.speech_text)}" ...)'
    try:
        path = speech_file(request.speech_text, request.voice or None)
    except ReelgenError as exc:
        raise InvalidRequest(
            f"{lost}, and its text cannot be spoken again here ({exc.message}); {anew}", param="inputs"
        ) from None
    recorded = ((record.get("inputs") or {}).get("speech_audio") or {}).get("sha256")
    if sha256_file(path) == recorded:
        return request.model_copy(update={"speech_audio": str(path)})
    frames = max(1, round(read_voice(path).seconds * request.fps))
    if frames != request.num_frames:
        raise InvalidRequest(
            f"{lost}, and its text spoken again here lasts {frames} frames, not the video's "
            f"{request.num_frames} (another Piper, onnxruntime or voice file speaks differently); {anew}",
            param="inputs",
        )
    if not allow_changed:
        raise InvalidRequest(
            f"{lost}; its text spoken again here lasts as long but its samples differ from the recorded "
            "speech (another Piper, onnxruntime or voice file, or another CPU); pass "
            "--allow-changed-inputs to replay with the speech as spoken now",
            param="inputs",
        )
    return request.model_copy(update={"speech_audio": str(path)})


def _shown(text: str) -> str:
    """The text as a message quotes it: short, on one line."""
    line = " ".join(text.split())
    return line if len(line) <= 40 else line[:37] + "..."
