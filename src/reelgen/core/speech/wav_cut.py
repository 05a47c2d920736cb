"""Tells a WAV cut short (its header promises more sound than the file holds) from a whole one."""

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


def refuse_cut_short(file: BinaryIO, size: int, param: str, shown: str) -> None:
    """Refuse a WAV cut short, naming it as ``shown`` and saying how much of it is missing."""
    found = cut_short(file, size)
    if found is None:
        return
    promised, held = found
    raise InvalidRequest(
        f"{param}: {shown} is cut short: its header says {promised:.2f} s of sound, but the file holds "
        f"{held:.2f} s ({promised - held:.2f} s missing: a copy or download that stopped part-way?); "
        "give the whole file",
        param=param,
    )
