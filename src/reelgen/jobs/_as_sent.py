"""A server output's record names its inputs as the person sent them, not by the worker's copies.

A worker runs from copies of the inputs in its scratch folder, so the record a kind writes names
paths that mean nothing to whoever downloads the clip (and show the server's layout). The worker
writes the record in the MP4 and the one beside it again with each input named as it was sent
(``reelgen.jobs.artifacts.sent_name``: an upload by its file name), its SHA-256 unchanged, so
``reelgen replay`` finds the file beside the clip or through ``--input PARAM=FILE``. The video is
copied packet by packet, never encoded again: its frames stay the ones made.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, TypeVar

from reelgen.core.encode import CONTAINERS, METADATA_KEY, read_metadata
from reelgen.core.enhance.clock import muxer_options
from reelgen.jobs.events import RunResult

R = TypeVar("R", bound=RunResult)


@dataclasses.dataclass(frozen=True)
class Naming:
    """What to say instead of the worker's copies: each copy's path -> its name as sent, and the
    payload as the kind dumps it with the copies (``made``) and with the names (``sent``)."""

    paths: dict[str, str]
    made: dict[str, Any]
    sent: dict[str, Any]


def named_as_sent(result: R, folder: Path, naming: Naming) -> R:
    """``result`` with its video's embedded record and its ``metadata`` record naming inputs as sent.

    ``folder`` is the run's scratch folder, where the video is copied with its new record.
    """
    files = result.files
    if not naming.paths or "video" not in files or "metadata" not in files:
        return result
    suffix = _container(files["video"])
    made, again = folder / f"as-made{suffix}", folder / f"as-sent{suffix}"
    made.write_bytes(files["video"])
    _remux(made, again, _named(read_metadata(made), naming))
    beside = _named(json.loads(files["metadata"]), naming)
    text = json.dumps(beside, indent=2, sort_keys=True, default=str).encode()
    return dataclasses.replace(result, files={**files, "video": again.read_bytes(), "metadata": text})


def _container(video: bytes) -> str:
    """The suffix of the container ``video`` is in, so the copy is made in the same one: a film
    exported as WebM, MOV or MKV was copied into an MP4 and served under its .webm name."""
    if video[:4] == b"\x1a\x45\xdf\xa3":  # EBML: Matroska, whose DocType says webm or matroska
        return ".webm" if b"webm" in video[:64] else ".mkv"
    if video[4:12] == b"ftypqt  ":  # QuickTime's own brand; MP4s carry isom, mp42 ...
        return ".mov"
    return ".mp4"


def _named(record: dict[str, Any], naming: Naming) -> dict[str, Any]:
    """``record`` with the payload it holds (``request``, ``ken_burns``...) and every ``{"path": ...}``
    entry of a copy (``inputs``, an enhance's ``source``) naming the files as sent."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value == naming.made:
            value = naming.sent
        elif key == "inputs" and isinstance(value, dict):
            value = {param: _entry(entry, naming) for param, entry in value.items()}
        else:
            value = _entry(value, naming)
        out[key] = value
    return out


def _entry(value: Any, naming: Naming) -> Any:
    if isinstance(value, dict) and isinstance(value.get("path"), str) and value["path"] in naming.paths:
        return {**value, "path": naming.paths[value["path"]]}
    return value


def _remux(source: Path, target: Path, record: dict[str, Any]) -> None:
    """``source``'s streams copied into ``target`` with ``record`` as its tag, nothing encoded again."""
    import av

    suffix = target.suffix.lower()
    with av.open(str(source)) as src:
        # Above 1000 fps an MP4's edit list timed in FFmpeg's default milliseconds cut the last frames
        # that the enhance itself had kept: the same movie clock as its output.
        options = muxer_options(suffix, CONTAINERS[suffix][3], src)
        with av.open(str(target), mode="w", options=options) as dst:
            _copy(src, dst, record)


def _copy(src: Any, dst: Any, record: dict[str, Any]) -> None:
    """``src``'s picture, sound and text packets into ``dst``, with ``record`` as its tag."""
    dst.metadata[METADATA_KEY] = json.dumps(record, sort_keys=True, default=str)
    # Subtitles too: an enhanced upload carries its text tracks, which this copy dropped.
    kept = [s for s in src.streams if s.type in ("video", "audio", "subtitle")]
    streams = {s.index: dst.add_stream_from_template(s) for s in kept}
    for stream in kept:  # a track's language and name, which the template leaves behind
        for key in ("language", "title"):
            if key in stream.metadata:
                streams[stream.index].metadata[key] = stream.metadata[key]
    for packet in src.demux(*kept):
        # The demuxer's empty packet at the end; not "dts is None": Matroska gives H.264's packets
        # no dts, and skipping those left an MKV film with no picture at all.
        if not packet.size:
            continue
        packet.stream = streams[packet.stream.index]
        dst.mux(packet)
