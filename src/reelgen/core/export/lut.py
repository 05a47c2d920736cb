"""A 3D ``.cube`` LUT for grading, checked as FFmpeg's ``lut3d`` filter will read it, before any frame is made."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from reelgen.core.errors import InvalidRequest

#: The largest LUT_3D_SIZE FFmpeg's lut3d reads.
MAX_SIZE = 256
#: The keywords of the .cube format; lut3d knows them only in capitals at the start of a line.
_KEYWORDS = ("TITLE", "LUT_3D_SIZE", "DOMAIN_MIN", "DOMAIN_MAX", "LUT_1D_SIZE", "LUT_3D_INPUT_RANGE")
#: What the numbers of a range line are when it changes nothing.
_USUAL = {"DOMAIN_MIN": [0.0] * 3, "DOMAIN_MAX": [1.0] * 3, "LUT_3D_INPUT_RANGE": [0.0, 1.0]}


@dataclass
class _Cube:
    """What one pass over the file found: the size (and its line), the rows of numbers, the domain."""

    lut: Path
    param: str
    size: int = 0
    size_line: int = 0
    rows: int = 0
    domain: dict[str, list[float]] = field(default_factory=lambda: dict(_USUAL))

    def refuse(self, number: int, said: str) -> InvalidRequest:
        return InvalidRequest(f"{self.param}: {self.lut} line {number}: {said}", param=self.param)


def _numbers(words: list[str], count: int) -> list[float] | None:
    """``count`` numbers, or None; NaN and infinity count (the caller says what is wrong with them)."""
    try:
        return [float(w) for w in words] if len(words) == count else None
    except ValueError:
        return None


def _row(cube: _Cube, number: int, line: str, words: list[str]) -> None:
    values = _numbers(words, 3)
    if values is None:
        raise cube.refuse(number, f"{line!r} is not three numbers (red green blue)")
    if not all(map(math.isfinite, values)):
        # lut3d reads "nan" as a number and the graded picture came out with a channel gone.
        raise cube.refuse(number, f"{line!r} is not three finite numbers (red green blue)")
    cube.rows += 1


def _keyword(cube: _Cube, number: int, raw: str, words: list[str]) -> None:
    """One keyword line, refused where lut3d would fail on it or, worse, silently skip it."""
    key, args = words[0].upper(), words[1:]
    if (words[0] != key or raw[:1].isspace()) and (key == "LUT_3D_SIZE" or cube.size):
        # lut3d compares the line's first letters: "lut_3d_size 33" or an indented one was no LUT at all,
        # and below it such a line was not a row. (Above it lut3d skips every line but the size.)
        raise cube.refuse(
            number, f"FFmpeg's lut3d reads {key} only in capitals at the start of a line; write {key} there"
        )
    if key.startswith("DOMAIN_") and cube.size and not raw.startswith(f"{key} "):
        # lut3d knows "DOMAIN_MIN " with its space: after a tab it found no keyword and refused the file.
        raise cube.refuse(number, f"FFmpeg's lut3d reads {key} only with a space after it; write '{key} '")
    if key == "LUT_1D_SIZE":
        raise cube.refuse(
            number,
            "a 1D LUT (LUT_1D_SIZE), alone or as a shaper, is not read by FFmpeg's lut3d; "
            "give a 3D-only .cube",
        )
    if key == "LUT_3D_SIZE":
        if cube.size:
            raise cube.refuse(number, f"a second LUT_3D_SIZE (line {cube.size_line} gives the first)")
        if len(args) != 1 or not args[0].isdigit() or not 2 <= int(args[0]) <= MAX_SIZE:
            raise cube.refuse(
                number, f"LUT_3D_SIZE takes one whole number from 2 to {MAX_SIZE}, not {' '.join(args)!r}"
            )
        cube.size, cube.size_line = int(args[0]), number
    elif key in _USUAL:
        count = len(_USUAL[key])
        values = _numbers(args, count)
        if values is None or not all(math.isfinite(v) for v in values):
            raise cube.refuse(number, f"{key} takes {count} numbers, not {' '.join(args)!r}")
        if values == _USUAL[key] and not cube.size:
            return  # lut3d skips it up there, and it says what lut3d assumes anyway
        if key == "LUT_3D_INPUT_RANGE":
            low, high = values
            raise cube.refuse(
                number,
                "FFmpeg's lut3d does not read LUT_3D_INPUT_RANGE; give it as "
                f"DOMAIN_MIN {low:g} {low:g} {low:g} and "
                f"DOMAIN_MAX {high:g} {high:g} {high:g} below the LUT_3D_SIZE line",
            )
        if not cube.size:
            # Above the size lut3d skips it: the grade was laid over 0 to 1 and nothing said so.
            raise cube.refuse(
                number, f"FFmpeg's lut3d reads {key} only below the LUT_3D_SIZE line; move it there"
            )
        cube.domain[key] = values


def _read(lut: Path, param: str) -> _Cube:
    """The file read line by line as lut3d reads it; the first line it would misread is refused."""
    cube = _Cube(lut, param)
    with lut.open(encoding="utf-8", errors="replace") as fh:
        for number, raw in enumerate(fh, 1):
            if number == 1 and raw.startswith("\ufeffLUT_3D_SIZE"):
                # Behind a byte-order mark lut3d does not see the size line, and finds no LUT.
                raise cube.refuse(
                    number,
                    "starts with a byte-order mark, which FFmpeg's lut3d cannot read; save it without one",
                )
            raw = raw.removeprefix("\ufeff")
            line = raw.split("#", 1)[0].strip()
            words = line.split()
            # Stopped at the first line of a binary file (a film named .cube), not read to its end;
            # a title in another encoding than UTF-8 is fine, as lut3d skips it.
            if "\x00" in raw or ("\ufffd" in line and words[0] != "TITLE"):
                raise cube.refuse(number, "holds bytes that are not text: this is not a .cube LUT")
            if not words:
                continue
            if words[0][0].isdigit() or words[0][0] in "-+." or words[0].lower() in ("nan", "inf"):
                _row(cube, number, line, words)
            elif words[0].upper() in _KEYWORDS:
                _keyword(cube, number, raw, words)
    return cube


def check_lut(path: str, param: str = "export.lut") -> Path:
    """A readable 3D .cube LUT, or InvalidRequest saying what is wrong with it.

    FFmpeg reads a malformed one only as the filter graph is built, with "Invalid data found
    when processing input" and no word of which file or line: that came out as a traceback.
    """
    lut = Path(path)
    if not lut.is_file():
        missing = f"{lut} is a folder, not a file" if lut.is_dir() else f"file {lut} does not exist"
        raise InvalidRequest(f"{param}: {missing}", param=param)
    if lut.suffix.lower() != ".cube":
        raise InvalidRequest(f"{param}: {path} is not a .cube LUT", param=param)
    cube = _read(lut, param)
    size, rows = cube.size, cube.rows
    if not size:
        raise InvalidRequest(f"{param}: {path} is not a 3D .cube LUT (no LUT_3D_SIZE line)", param=param)
    if rows != size**3:
        raise InvalidRequest(
            f"{param}: {path} says LUT_3D_SIZE {size}, which takes {size**3} rows of three numbers "
            f"({size}x{size}x{size}); it has {rows}",
            param=param,
        )
    low, high = cube.domain["DOMAIN_MIN"], cube.domain["DOMAIN_MAX"]
    if any(a >= b for a, b in zip(low, high, strict=True)):
        raise InvalidRequest(
            f"{param}: {path}: DOMAIN_MIN ({' '.join(f'{v:g}' for v in low)}) must be below DOMAIN_MAX "
            f"({' '.join(f'{v:g}' for v in high)}) in each of red, green and blue",
            param=param,
        )
    return lut
