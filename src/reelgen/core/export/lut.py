"""A 3D ``.cube`` LUT for grading, checked as FFmpeg's ``lut3d`` filter will read it, before any frame is made."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.errors import InvalidRequest

#: The largest LUT_3D_SIZE FFmpeg's lut3d reads.
MAX_SIZE = 256


def _rows(lut: Path, param: str) -> tuple[int, int]:
    """The LUT's size and how many rows of three numbers it holds."""
    size, rows = 0, 0
    with lut.open(errors="replace") as fh:
        for number, raw in enumerate(fh, 1):
            line = raw.split("#", 1)[0].strip()
            words = line.split()
            if not words:
                continue
            if words[0].upper() == "LUT_3D_SIZE":
                if len(words) != 2 or not words[1].isdigit() or not 2 <= int(words[1]) <= MAX_SIZE:
                    raise InvalidRequest(
                        f"{param}: {lut} line {number}: LUT_3D_SIZE takes one whole number from 2 to "
                        f"{MAX_SIZE}, not {' '.join(words[1:])!r}",
                        param=param,
                    )
                size = int(words[1])
            elif words[0][0].isdigit() or words[0][0] in "-+.":
                try:
                    if len(words) != 3:
                        raise ValueError
                    [float(w) for w in words]
                except ValueError:
                    raise InvalidRequest(
                        f"{param}: {lut} line {number}: {line!r} is not three numbers (red green blue)",
                        param=param,
                    ) from None
                rows += 1
    return size, rows


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
    size, rows = _rows(lut, param)
    if not size:
        raise InvalidRequest(f"{param}: {path} is not a 3D .cube LUT (no LUT_3D_SIZE line)", param=param)
    if rows != size**3:
        raise InvalidRequest(
            f"{param}: {path} says LUT_3D_SIZE {size}, which takes {size**3} rows of three numbers "
            f"({size}x{size}x{size}); it has {rows}",
            param=param,
        )
    return lut
