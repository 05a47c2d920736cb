"""Tells a WAV, FLAC or MP3 cut short (its header promises more sound than the file holds) from a whole one."""

from __future__ import annotations

import struct
from typing import BinaryIO

from reelgen.core.errors import InvalidRequest

#: Data sizes a writer leaves when it cannot go back to fill in the length (a WAV streamed to a
#: pipe: FFmpeg writes 0xFFFFFFFF, SoX 0x7FFFF000, some recorders 0): a whole file, length unknown.
_UNKNOWN = 0x7FFFF000
#: Missing sound below this is a writer's rounding (a last sample's padding), not a file cut short.
_SLACK_S = 0.01
#: Chunks walked before ``data`` is given up on (a WAV has a handful: fmt, LIST, fact ...).
_MOST_CHUNKS = 64


def cut_short(file: BinaryIO, size: int) -> tuple[float, float] | None:
    """The seconds a WAV's header promises and the seconds its ``size`` bytes hold, when fewer are held.

    None for anything else: another format, a header that cannot be read, a length left unknown,
    or a whole file. FFmpeg reads such a file for what it holds, silently, so a download that
    stopped part-way made an avatar that stopped mid-sentence.
    """
    file.seek(0)
    riff = file.read(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
        return None
    byte_rate = 0
    for _ in range(_MOST_CHUNKS):
        header = file.read(8)
        if len(header) < 8:
            return None
        name, length = header[:4], struct.unpack("<I", header[4:])[0]
        start = file.tell()
        if name == b"fmt ":
            fmt = file.read(12)
            if len(fmt) < 12:
                return None
            byte_rate = struct.unpack("<I", fmt[8:12])[0]
        elif name == b"data":
            if not byte_rate or length == 0 or length >= _UNKNOWN:
                return None
            held = max(0, size - start)
            if (length - held) / byte_rate <= _SLACK_S:
                return None
            return length / byte_rate, held / byte_rate
        file.seek(start + length + length % 2)  # chunks are padded to an even length
    return None


def flac_promise(file: BinaryIO) -> tuple[int, int] | None:
    """The samples (per channel) and the sample rate a FLAC's STREAMINFO states, exactly.

    None for another format, or a total left at 0 (unknown: a FLAC streamed by a writer that could not
    go back). M4A and MP3 lengths are counted in packets (``mp3_frames``), not samples: the decoders'
    padding and priming make a count of samples no exact promise.
    """
    _past_id3(file)
    block = file.read(4 + 4 + 18)  # "fLaC", the STREAMINFO block's header and its first 18 bytes
    if len(block) < 26 or block[:4] != b"fLaC" or block[4] & 0x7F != 0:
        return None
    bits = int.from_bytes(block[18:26], "big")  # rate 20 bits, channels 3, depth 5, samples 36
    rate, total = bits >> 44, bits & ((1 << 36) - 1)
    return (total, rate) if total and rate else None


def _past_id3(file: BinaryIO) -> None:
    """Seek ``file`` to its first byte after an ID3v2 tag (taggers put one before "fLaC" and MP3 frames)."""
    file.seek(0)
    head = file.read(10)
    if head[:3] == b"ID3" and len(head) == 10:
        size = sum((byte & 0x7F) << shift for byte, shift in zip(head[6:10], (21, 14, 7, 0), strict=True))
        file.seek(10 + size + (10 if head[5] & 0x10 else 0))
    else:
        file.seek(0)


#: How far past an ID3v2 tag the first MP3 frame is looked for (some taggers pad with zeros).
_MP3_SEARCH = 1 << 16


def mp3_frames(file: BinaryIO) -> int | None:
    """The audio frames an MP3's first frame says the file holds, in its Xing/Info or VBRI tag.

    LAME writes the tag in nearly every MP3 (``Info`` for constant bit rates), and FFmpeg takes its
    length from it. None without one: FFmpeg then estimates the length from the file's size, so a
    file cut short is no shorter than it says, and cannot be told from a whole one.
    """
    _past_id3(file)
    data = file.read(_MP3_SEARCH)
    for at in range(len(data) - 3):
        if data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
            continue
        version, layer = data[at + 1] >> 3 & 3, data[at + 1] >> 1 & 3
        if version == 1 or layer != 1 or data[at + 2] >> 4 in (0, 15) or data[at + 2] >> 2 & 3 == 3:
            continue  # no MPEG audio layer III frame header here (a reserved value, or a free format)
        mono = data[at + 3] >> 6 == 3
        # The tag follows the side information, whose length depends on MPEG-1 (3) or 2/2.5 and mono.
        side = (17 if mono else 32) if version == 3 else (9 if mono else 17)
        xing = data[at + 4 + side : at + 4 + side + 12]
        if xing[:4] in (b"Xing", b"Info") and len(xing) == 12 and xing[7] & 1:
            return struct.unpack(">I", xing[8:12])[0] or None
        vbri = data[at + 36 : at + 54]
        if vbri[:4] == b"VBRI" and len(vbri) == 18:
            return struct.unpack(">I", vbri[14:18])[0] or None
        return None  # the first frame has no tag: the length is an estimate
    return None


def said_cut_short(param: str, shown: str, promised: float, held: float) -> InvalidRequest:
    """The refusal of a voice cut short: what its header says, what it holds, and what to give."""
    return InvalidRequest(
        f"{param}: {shown} is cut short: its header says {promised:.2f} s of sound, but the file holds "
        f"{held:.2f} s ({promised - held:.2f} s missing: a copy or download that stopped part-way?); "
        "give the whole file",
        param=param,
    )


def refuse_cut_short(file: BinaryIO, size: int, param: str, shown: str) -> None:
    """Refuse a WAV cut short, naming it as ``shown`` and saying how much of it is missing."""
    found = cut_short(file, size)
    if found is None:
        return
    promised, held = found
    raise said_cut_short(param, shown, promised, held)


def refuse_flac_short(promise: tuple[int, int] | None, held: int, param: str, shown: str) -> None:
    """Refuse a FLAC whose decode gave ``held`` samples of the ``promise`` (``flac_promise``) and fewer:
    FFmpeg reads such a file for what it holds, and one cut inside a frame was "not readable"."""
    if promise is None:
        return
    total, rate = promise
    if (total - held) / rate > _SLACK_S:
        raise said_cut_short(param, shown, total / rate, held / rate)


def refuse_mp3_short(
    listed: int | None, read: int, stops: bool, seconds: tuple[float, float], param: str, shown: str
) -> None:
    """Refuse an MP3 of which ``read`` frames were found where its tag lists ``listed`` (``mp3_frames``)
    and whose data ``stops`` at the file's end; ``seconds``: the length its header says and what
    decoded. FFmpeg read such a file for what it held, without a word.

    One frame short is let pass: some encoders count the tag's own frame.
    """
    if listed is not None and read < listed - 1 and stops:
        promised, held = seconds
        raise said_cut_short(param, shown, promised, min(held, promised))
