"""Job outputs and inputs on disk, named only by server-generated ids, written atomically and checked."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.core.errors import GenerationFailed, InvalidRequest
from reelgen.jobs._unsaved import not_saved, upload_not_kept
from reelgen.jobs.records import JOB_ID, Job

log = logging.getLogger(__name__)

#: File name of each output variant inside a job's attempt folder.
VARIANTS = {"video": "video.mp4", "thumbnail": "thumbnail.png", "metadata": "video.json"}
#: Variants made from the video on first request and kept beside it (not saved by the worker).
DERIVED = ("spritesheet",)
#: The suffix each downloadable variant's file is served with (``<id>.jpg``), then others naming the same kind.
SUFFIXES = {"video": (".mp4",), "thumbnail": (".png",), "spritesheet": (".jpg", ".jpeg")}

#: Frames decoded at a time when checking an output, so a long 4K clip never sits in memory whole.
CHECK_BATCH = 32

#: A decoded frame whose luma plane goes above this cannot be black (RGB all <= 4 gives luma <= 4
#: full-range or <= 20 limited-range, whichever BT matrix decodes it), so only darker frames are
#: converted to RGB for the exact check. Converting every frame cost 0.9 s of a 121-frame 768x512
#: clip; reading the luma plane costs a few milliseconds.
DARK_LUMA = 40
#: Planar 8-bit formats whose first plane is luma.
_PLANAR_8BIT = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "gray"}

_INPUT_SUFFIXES = {
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".bmp",
    ".gif",
    ".tif",
    ".tiff",
    ".mp4",
    ".mov",
    ".webm",
    ".mkv",
    ".avi",
    # Voices of talking avatars.
    ".wav",
    ".mp3",
    ".flac",
    ".ogg",
    ".m4a",
}


#: Suffixes naming the same kind of file (``photo.jpeg`` holds what the server calls ``.jpg``; the
#: server names a video by its container family, so ``.mkv`` is kept as ``.webm``, ``.mov`` as ``.mp4``).
_ALIKE = {
    ".jpeg": ".jpg",
    ".tiff": ".tif",
    ".mkv": ".webm",
    ".mov": ".mp4",
    ".m4v": ".mp4",
    # Ogg voices: a voice note is often named .opus (WhatsApp, Telegram) or .oga.
    ".opus": ".ogg",
    ".oga": ".ogg",
}
#: A file name kept as sent: no folder, no control character, not hidden.
_SAFE_NAME = re.compile(r"^[^./\x00-\x1f\x7f][^/\x00-\x1f\x7f]*$")
#: A stored upload: the server's id, then the name it was sent under, if any.
_STORED = re.compile(r"^[0-9a-f]{32}(?:-(?P<name>.+)|\.[A-Za-z0-9]+)$")


class Artifacts:
    """``root/outputs/<job id>/<attempt token>/{video.mp4,thumbnail.png,video.json}`` and ``root/inputs/``
    (and ``spritesheet.jpg`` there once asked for).

    Each attempt writes its own folder, so a superseded attempt can never
    overwrite the files of the one that completed; the job's ``result``
    names the folder that counts.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.outputs = self.root / "outputs"
        self.inputs = self.root / "inputs"

    def job_dir(self, job_id: str) -> Path:
        if not JOB_ID.match(job_id):
            raise InvalidRequest(f"{job_id!r} is not a job id", param="id")
        return self.outputs / job_id

    def save(self, job_id: str, token: int, files: dict[str, bytes]) -> dict[str, str]:
        """Write ``files`` (variant -> bytes) as one folder, atomically; returns variant -> path.

        The folder appears complete or not at all: files go to a temporary
        folder beside it, which is renamed into place.
        """
        unknown = set(files) - set(VARIANTS)
        if unknown:
            raise ValueError(f"unknown output variants {sorted(unknown)}; known: {sorted(VARIANTS)}")
        final = self.job_dir(job_id) / str(int(token))
        made = missing_folders(final.parent)
        tmp: Path | None = None
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=final.parent))
            for variant, data in files.items():
                path = tmp / VARIANTS[variant]
                with path.open("wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            if final.exists():  # an earlier try of this same attempt; its files are not referenced
                shutil.rmtree(final)
            os.replace(tmp, final)
        except BaseException as exc:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            remove_empty(made)  # an empty job folder read as a job with outputs to clean up
            if isinstance(exc, OSError):
                # Raised raw, the dispatcher logged a traceback and left the job to its lease, which
                # failed it "the job service running it stopped (its lease ran out)" after rendering twice.
                raise not_saved(exc, self.root, files) from None
            raise
        return {variant: str(final / VARIANTS[variant]) for variant in files}

    def path(self, job: Job, variant: str = "video") -> Path | None:
        """The file of ``variant`` for a completed job, or None if it has none (or it was removed).

        A ``spritesheet`` is made from the video the first time it is asked for (``GenerationFailed``
        if the video cannot be decoded), then kept in the video's folder, which removes it with the rest.
        """
        if variant not in VARIANTS and variant not in DERIVED:
            raise InvalidRequest(
                f"variant {variant!r} is unknown; valid: {', '.join([*VARIANTS, *DERIVED])}",
                param="variant",
            )
        if variant == "spritesheet":
            from reelgen.jobs import spritesheet

            video = self.path(job, "video")
            return None if video is None else spritesheet.ensure(video)
        files = (job.result or {}).get("files", {})
        name = files.get(variant)
        if not name or job.data_removed:
            return None
        path = self._here(job.id, Path(name))
        # Only ever serve files inside this job's own folder.
        if self.job_dir(job.id).resolve() not in path.resolve().parents or not path.is_file():
            return None
        return path

    def _here(self, job_id: str, recorded: Path) -> Path:
        """``recorded`` (a full path the record kept) as it lies under this data folder: one moved while
        the server was stopped kept every finished video, which then answered 404 "deleted outside reelgen"."""
        parts = recorded.parts
        if job_id not in parts:
            return recorded
        at = len(parts) - 1 - parts[::-1].index(job_id)
        return self.job_dir(job_id).joinpath(*parts[at + 1 :])

    def delete(self, job_id: str) -> bool:
        """Remove every output of ``job_id``; returns whether there was anything."""
        folder = self.job_dir(job_id)
        existed = folder.exists()
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():  # a delete answered "deleted" while the files stayed, and nobody was told
            log.warning(
                "cannot remove %s (outputs of %s); tried again at the next cleanup pass", folder, job_id
            )
        return existed

    def job_ids(self) -> list[str]:
        """Ids of the job folders on disk (to find ones whose record is gone)."""
        if not self.outputs.is_dir():
            return []
        return [p.name for p in self.outputs.iterdir() if p.is_dir() and JOB_ID.match(p.name)]

    def save_input(self, data: bytes, suffix: str, sent_as: str | None = None) -> Path:
        """Store an uploaded input under a server-made name; ``suffix`` picks only the extension.

        ``sent_as`` (the upload's file name, or the URL it was fetched from) is kept after the
        server's id, so the record of the video made from it names the file as the person sent it
        (``sent_name``), not by this server's path.
        """
        suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
        if suffix not in _INPUT_SUFFIXES:
            raise InvalidRequest(
                f"input files ending in {suffix!r} are not accepted; valid: "
                f"{', '.join(sorted(_INPUT_SUFFIXES))}",
                param="input_reference",
            )
        name = _file_name(sent_as, suffix)
        final = self.inputs / (f"{uuid.uuid4().hex}-{name}" if name else f"{uuid.uuid4().hex}{suffix}")
        tmp = final.with_name(f".{final.name}.partial")
        try:
            self.inputs.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, final)
        except OSError as exc:
            # A full disk answered 500 "internal error (OSError)" and left the partial file behind.
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            refused = upload_not_kept(exc, self.inputs, len(data))
            log.error("%s", refused.detail)
            raise refused from None
        return final

    def input_here(self, recorded: str) -> str:
        """``recorded`` (an input path a job's payload kept) where it lies now: an upload recorded under
        another data folder's ``inputs/`` is this one's when the file is here. A data folder moved
        while the server was stopped failed every queued job made from an upload ("input_missing",
        naming the old path) and refused its videos' remixes as if the upload had expired."""
        where = Path(recorded)
        if where.parent.name != "inputs" or not _STORED.match(where.name) or where.is_file():
            return recorded
        moved = self.inputs / where.name
        return str(moved) if moved.is_file() else recorded

    def discard_uploads(self, paths: list[str], still_named: Callable[[str], bool]) -> None:
        """Remove the uploads among ``paths`` (a deleted job's inputs) that no job names any more;
        ``still_named`` is asked with an upload's 32 hex digits (a remix's payload names its source's)."""
        for path in (Path(self.input_here(p)) for p in paths):
            stored = path.parent.resolve() == self.inputs.resolve() and _STORED.match(path.name)
            if stored and not still_named(path.name[:32]):
                path.unlink(missing_ok=True)

    def discard_input(self, path: Path) -> None:
        """Remove an uploaded input that no job took; files outside ``inputs/`` are never touched."""
        if self.inputs.resolve() in Path(path).resolve().parents:
            Path(path).unlink(missing_ok=True)


def _file_name(sent_as: str | None, suffix: str) -> str | None:
    """The bare file name of an upload or a URL's last part, if it is safe to keep in a file name and
    ends as the file's content does (``photo.jpeg`` for JPEG data); otherwise None."""
    if not sent_as or sent_as.startswith("data:"):
        return None
    name = unquote(sent_as.split("?")[0].split("#")[0].replace("\\", "/").rstrip("/").rpartition("/")[2])
    ok = _SAFE_NAME.match(name) and len(name.encode()) <= 150
    return name if ok and _same_suffix(Path(name).suffix, suffix) else None


def _same_suffix(a: str, b: str) -> bool:
    return _ALIKE.get(a.lower(), a.lower()) == _ALIKE.get(b.lower(), b.lower())


def sent_name(param: str, path: str) -> str:
    """How a video's record names the input at ``path``: an upload by the file name it was sent
    under (``fox.png``; its parameter where none came), a file of the server's own that the request
    named itself by that path."""
    where = Path(path)
    found = _STORED.match(where.name)
    if where.parent.name != "inputs" or not found:
        return path
    return found["name"] or f"{re.sub(r'[^A-Za-z0-9]+', '_', param).strip('_')}{where.suffix}"


def png_bytes(frame: Any) -> bytes:
    """A uint8 RGB frame (H, W, 3) as PNG bytes (thumbnails, progress previews)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    # zlib level 1: a 768x512 frame in 0.03 s (optimize took 0.2 s per thumbnail, on the worker's time)
    # for a file about 12 % larger.
    Image.fromarray(frame).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def verify_video(
    path: Path, expected_frames: int | None, excuse: Callable[[list[int]], list[int]] | None = None
) -> dict[str, Any]:
    """Decode the MP4 as a player would: the frame count asked for, and no black (NaN) frames.

    Black is judged by ``reelgen.core.quality.black_frames``, the same check the
    worker ran on the frames before encoding. ``excuse`` takes the black frames'
    indices and returns those it cannot explain (an enhanced fade from black is
    black where its source was). Returns the size, fps and frame count read back;
    raises GenerationFailed.
    """
    try:
        count, black, info = _scan(path)
    except InvalidRequest as exc:
        raise GenerationFailed(f"the output video could not be decoded ({exc.message})") from None
    if expected_frames is not None and count != expected_frames:
        raise GenerationFailed(f"the output video has {count} frames; the job asked for {expected_frames}")
    if black and excuse is not None:
        black = excuse(black)
    if black:
        shown = ", ".join(str(i) for i in black[:8]) + (" ..." if len(black) > 8 else "")
        raise GenerationFailed(
            f"the output video has {len(black)} black frame(s) (frames {shown}); the model most "
            "likely produced NaN values (try float32/bfloat16 instead of float16, or another seed)"
        )
    return info


def black_frames_in(path: Path) -> list[int]:
    """Indices of the black frames of the video at ``path`` (``InvalidRequest`` if it cannot be decoded)."""
    return _scan(path)[1]


def _scan(path: Path) -> tuple[int, list[int], dict[str, Any]]:
    """Every frame of ``path`` decoded: the count, the black frames' indices, and size and rate."""
    import av
    import numpy as np

    from reelgen.core.media import frame_threads
    from reelgen.core.picture_stream import picture_stream
    from reelgen.core.quality import black_frames

    count, black, batch, where = 0, [], [], []
    try:
        with av.open(str(path)) as container:
            stream = picture_stream(container)  # the film, not cover art listed before it
            if stream is None:
                raise IndexError("no moving picture, only cover art")
            # Decoding is most of the check's time (2.5 s on one core for the 27 MB noise-like clip of
            # a random-weight model); a few frame threads, not all cores: the worker's next job
            # needs the CPU too.
            frame_threads(stream, at_most=4)
            for frame in container.decode(stream):
                if _could_be_black(frame):
                    batch.append(frame.to_ndarray(format="rgb24"))
                    where.append(count)
                count += 1
                if len(batch) == CHECK_BATCH:
                    black += [where[i] for i in black_frames(np.stack(batch))]
                    batch, where = [], []
            if batch:
                black += [where[i] for i in black_frames(np.stack(batch))]
            info = {
                "frames": count,
                "width": stream.codec_context.width,
                "height": stream.codec_context.height,
                "fps": float(stream.average_rate) if stream.average_rate else None,
            }
    except (av.error.FFmpegError, IndexError) as exc:
        raise InvalidRequest(str(exc)) from None
    return count, black, info


def _could_be_black(frame: Any) -> bool:
    """False when the luma plane alone shows ``frame`` is not black; True when RGB must tell."""
    import numpy as np

    if frame.format.name not in _PLANAR_8BIT:
        return True
    plane = frame.planes[0]
    rows = np.frombuffer(plane, dtype=np.uint8).reshape(-1, plane.line_size)
    return bool(rows[: frame.height, : frame.width].max() <= DARK_LUMA)
