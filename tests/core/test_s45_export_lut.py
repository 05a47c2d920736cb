"""A .cube LUT that FFmpeg's lut3d would misread (or skip a line of) is refused naming the line, before any frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, Segment, TitleCard, Transition, export
from reelgen.core.export.lut import check_lut
from reelgen.core.media import read_video

ROWS = [f"{r} {g} {b}" for b in (0, 1) for g in (0, 1) for r in (0, 1)]


def cube(tmp_path: Path, *lines: str, rows: list[str] = ROWS) -> Path:
    path = tmp_path / "grade.cube"
    path.write_text("\n".join([*lines, *rows]) + "\n")
    return path


@pytest.mark.parametrize(
    ("lines", "rows", "said"),
    [
        # lut3d read "nan" as a number: the graded picture lost a channel.
        (["LUT_3D_SIZE 2"], ["0 nan 0", *ROWS[1:]], "line 2: '0 nan 0' is not three finite numbers"),
        (["LUT_3D_SIZE 2"], ["nan nan nan", *ROWS[1:]], "line 2: 'nan nan nan' is not three finite"),
        # Above the size line lut3d skips a domain: the grade was laid over 0 to 1 and nothing said so.
        (["DOMAIN_MAX 2 2 2", "LUT_3D_SIZE 2"], ROWS, "line 1: FFmpeg's lut3d reads DOMAIN_MAX only below"),
        (
            ["LUT_3D_INPUT_RANGE 0 2", "LUT_3D_SIZE 2"],
            ROWS,
            "give it as DOMAIN_MIN 0 0 0 and DOMAIN_MAX 2 2 2",
        ),
        (["lut_3d_size 2"], ROWS, "line 1: FFmpeg's lut3d reads LUT_3D_SIZE only in capitals"),
        (["LUT_3D_SIZE 2", "title x"], ROWS, "line 2: FFmpeg's lut3d reads TITLE only in capitals"),
        (["  LUT_3D_SIZE 2"], ROWS, "line 1: FFmpeg's lut3d reads LUT_3D_SIZE only in capitals"),
        (["LUT_3D_SIZE 2", "LUT_3D_SIZE 2"], ROWS, "line 2: a second LUT_3D_SIZE (line 1 gives the first)"),
        (["LUT_1D_SIZE 2", "LUT_3D_SIZE 2", "0 0 0", "1 1 1"], ROWS, "line 1: a 1D LUT (LUT_1D_SIZE)"),
        (["LUT_3D_SIZE 2", "DOMAIN_MIN 1 0 0"], ROWS, "DOMAIN_MIN (1 0 0) must be below DOMAIN_MAX (1 1 1)"),
        (["LUT_3D_SIZE 2", "DOMAIN_MIN 0 0"], ROWS, "line 2: DOMAIN_MIN takes 3 numbers, not '0 0'"),
        (["\ufeffLUT_3D_SIZE 2"], ROWS, "line 1: starts with a byte-order mark"),
        (
            ["LUT_3D_SIZE 2", "DOMAIN_MIN\t0 0 0"],
            ROWS,
            "line 2: FFmpeg's lut3d reads DOMAIN_MIN only with a space",
        ),
    ],
)
def test_a_lut_ffmpeg_would_misread_is_refused_naming_the_line(
    tmp_path: Path, lines: list[str], rows: list[str], said: str
) -> None:
    path = cube(tmp_path, *lines, rows=rows)
    with pytest.raises(InvalidRequest) as refused:
        check_lut(str(path))
    assert refused.value.param == "export.lut"
    assert refused.value.message.startswith(f"export.lut: {path}")
    assert said in refused.value.message


def test_a_binary_file_named_cube_is_refused_at_its_first_line(tmp_path: Path) -> None:
    # It was read to its end (a film can be gigabytes) to say "no LUT_3D_SIZE line".
    path = tmp_path / "film.cube"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 64)
    with pytest.raises(InvalidRequest, match="line 1: holds bytes that are not text"):
        check_lut(str(path))


@pytest.mark.parametrize(
    "lines",
    [
        ["TITLE x", "DOMAIN_MIN 0 0 0", "DOMAIN_MAX 1 1 1", "LUT_3D_SIZE 2"],  # the usual domain, anywhere
        ["LUT_3D_INPUT_RANGE 0.0 1.0", "LUT_3D_SIZE 2"],
        ["LUT_3D_SIZE 2", "DOMAIN_MIN -0.5 -0.5 -0.5", "DOMAIN_MAX 1.5 1.5 1.5"],
        ["\ufeff", "# made by hand", "LUT_3D_SIZE 2 # two points a side"],
        ["title x", "  DOMAIN_MIN 0 0 0", "LUT_3D_SIZE 2"],  # lut3d skips them up there
    ],
)
def test_a_lut_lut3d_reads_as_written_is_taken(tmp_path: Path, lines: list[str]) -> None:
    path = cube(tmp_path, *lines)
    assert check_lut(str(path)) == path


def test_a_title_in_another_encoding_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "grade.cube"
    path.write_bytes(b'TITLE "Caf\xe9"\nLUT_3D_SIZE 2\n' + "\n".join(ROWS).encode() + b"\n")
    assert check_lut(str(path)) == path


def test_a_fade_goes_to_black_under_a_lut_that_lifts_black(tmp_path: Path) -> None:
    # Graded after the fades, a film whose LUT lifts black (a common film look) ended on grey, not black.
    lifted = [
        f"{0.3 + 0.7 * r} {0.3 + 0.7 * g} {0.3 + 0.7 * b}" for b in (0, 1) for g in (0, 1) for r in (0, 1)
    ]
    lut = cube(tmp_path, "LUT_3D_SIZE 2", rows=lifted)
    grey = TitleCard(text=" ", background="#808080")
    fade = Transition(type="fade", duration=0.5)
    segments = [Segment("a", 1.0, card=grey, transition=fade), Segment("b", 1.0, card=grey, transition=fade)]
    film = read_video(
        export(segments, ExportSettings(width=32, height=32, fps=8, lut=str(lut)), tmp_path / "f.mp4").path
    )
    assert film.frames[0][16, 16].min() > 120  # graded
    assert film.frames[-1].max() < 8  # the closing fade ends on black
    assert min(int(f[16, 16].max()) for f in film.frames[4:8]) < 20  # and "through black" nears it (was 95)
