"""A film whose cover art is listed before its picture: a project's clip header, a job's decode check and
the exported film's check read the film, not the cover."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from reelgen.core.project.export import _header
from reelgen.jobs.artifacts import _scan
from reelgen.jobs.kinds.export import ExportKind
from tests.core.test_s56i_cut_short_cover import _cover_first


def test_a_clips_header_is_the_films(tmp_path: Path) -> None:
    assert _header(_cover_first(tmp_path / "scene.mp4")) == (6, Fraction(24))


def test_the_decode_check_counts_the_films_frames(tmp_path: Path) -> None:
    count, _, info = _scan(_cover_first(tmp_path / "clip.mp4"))
    assert (count, info["width"], info["height"]) == (6, 64, 48)


def test_the_exported_films_check_reads_the_film(tmp_path: Path) -> None:
    files = {"video": _cover_first(tmp_path / "film.mp4")}
    result: Any = SimpleNamespace(frames=6)
    info = ExportKind().check(result, files, result)
    assert (info["width"], info["height"], info["fps"]) == (64, 48, 24.0)
