"""`reelgen enhance` on a clip with subtitles: the text ones come out with the picture, at their times."""

from __future__ import annotations

import json
import re
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.subtitles import Track, ass_text

runner = CliRunner()
SRT = "1\n00:00:00,000 --> 00:00:00,400\nHello <i>there</i>\n\n2\n00:00:00,500 --> 00:00:00,900\nGoodbye\n\n"


def _clip(path: Path, codec: str, tmp_path: Path, late: int = 0) -> Path:
    """A second of 24 fps picture from frame time ``late`` on, with an English subtitle stream of ``codec``
    holding the two cues of ``SRT``."""
    srt = tmp_path / "cues.srt"
    srt.write_text(SRT)
    with av.open(str(srt)) as cues, av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 32, 24, "yuv420p"
        source = cues.streams.subtitles[0]
        source.codec_context.open(strict=False)
        text = container.add_stream(codec)
        text.codec_context.subtitle_header = source.codec_context.subtitle_header
        text.codec_context.time_base = source.time_base
        text.metadata["language"] = "eng"
        for k in range(24):
            frame = av.VideoFrame.from_ndarray(np.full((24, 32, 3), 9 * k, np.uint8), format="rgb24")
            frame.pts = late + k
            container.mux(video.encode(frame))
        container.mux(video.encode())
        for packet in cues.demux(source):
            if packet.dts is None:
                continue
            (cue,) = packet.decode()
            made = text.codec_context.encode_subtitle(
                av.subtitles.subtitle.SubtitleSet.create(cue.ass, 0, packet.duration, packet.pts)
            )
            made.stream, made.time_base = text, packet.time_base
            made.pts, made.dts, made.duration = packet.pts, packet.pts, packet.duration
            container.mux(made)
    return path


def _enhance(source: Path, out: Path) -> None:
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "-q"]
    )
    assert result.exit_code == 0, result.output


def _cues(path: Path) -> list[tuple[str, str, float, float]]:
    """Each cue of the first subtitle stream: its codec, its text, when it shows and for how long (s)."""
    with av.open(str(path)) as container:
        stream = container.streams.subtitles[0]
        assert stream.metadata.get("language") == "eng"
        cues = []
        for packet in container.demux(stream):
            for cue in packet.decode() if packet.size else []:
                text = ass_text(cue.ass)  # with its override tags, which PyAV 18.1.1's cue.dialogue drops
                if text:  # timed text writes an empty cue to end each one
                    seconds = float(packet.pts * packet.time_base), float(packet.duration * packet.time_base)
                    cues.append((stream.codec_context.name, text.decode(), *seconds))
        return cues


SAME = {"srt": "subrip", "ssa": "ass"}


@pytest.mark.parametrize(
    ("name", "codec", "output", "written"),
    [
        ("film.mkv", "subrip", "out.mp4", "mov_text"),  # SubRip re-encoded as MP4's timed text
        ("phone.mp4", "mov_text", "out.mov", "mov_text"),  # timed text copied as it is
        ("phone.mov", "mov_text", "out.webm", "webvtt"),  # WebM holds WebVTT
        ("phone.mp4", "mov_text", "out.mkv", "subrip"),  # MKV's usual text is SubRip
        ("film.mkv", "ass", "out.mkv", "ass"),  # and it keeps ASS (its styles) as it is
    ],
)
def test_text_subtitles_are_carried_at_their_times(
    tmp_path: Path, name: str, codec: str, output: str, written: str
) -> None:
    # They were dropped without a word: a film's subtitles were gone from the enhanced copy.
    source, out = _clip(tmp_path / name, codec, tmp_path), tmp_path / output
    _enhance(source, out)
    cues = _cues(out)
    # Matroska's SubRip and ASS read back under FFmpeg's older names.
    cues = [(SAME.get(c, c), *rest) for c, *rest in cues]
    assert [(c, start, length) for c, _, start, length in cues] == [(written, 0.0, 0.4), (written, 0.5, 0.4)]
    # The words, and the italics ({\i1} in ASS, as FFmpeg reads every text subtitle).
    assert [re.sub(r"\{[^}]*\}", "", text) for _, text, _, _ in cues] == ["Hello there", "Goodbye"]
    assert "{\\i1}there" in cues[0][1]
    record = json.loads(out.with_suffix(".json").read_text())
    assert [(s["language"], SAME.get(s["written_as"], s["written_as"])) for s in record["subtitles"]] == [
        ("eng", written)
    ]


@pytest.mark.parametrize("output", ["out.mp4", "out.mkv", "out.webm"])
def test_cues_before_a_late_picture_are_cut_where_it_starts(tmp_path: Path, output: str) -> None:
    # The picture starts at 0.25 s (a piece cut from a recording): everything moves back by that much,
    # and the first cue, from 0 to 0.4 s, shows its last 0.15 s. Written from -0.25 s, it made WebM's
    # muxer move every stream later: the picture began 0.25 s into the file.
    source, out = _clip(tmp_path / "cut.mp4", "mov_text", tmp_path, late=6), tmp_path / output
    _enhance(source, out)
    with av.open(str(out)) as container:
        first = next(container.decode(container.streams.video[0]))
        assert first.time == 0.0
    assert [(start, length) for _, _, start, length in _cues(out)] == [(0.0, 0.15), (0.25, 0.4)]


def test_subtitles_drawn_as_pictures_are_said_not_to_be_carried() -> None:
    dvd = Track("dvd_subtitle", "fra", text=False)
    assert dvd.written_as(".mp4") is None
    assert dvd.record(".mp4") == {"codec": "dvd_subtitle", "language": "fra", "written_as": None}
    assert Track("ass", "eng", text=True).written_as(".WEBM") == "webvtt"


def test_a_cue_of_several_lines_keeps_each_lines_styles_and_commas() -> None:
    # Its lines are joined from their ASS events' text fields: the ninth field on, commas and tags kept.
    assert ass_text(b"0,0,Default,,0,0,0,,Hello {\\i1}there{\\i0}, you") == b"Hello {\\i1}there{\\i0}, you"
    assert ass_text(b"3,0,Default,,0,0,0,,") == b""
