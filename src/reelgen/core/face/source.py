"""The face an avatar animates: a photo or a video's frames laid out at the output's rate, with the face tracked."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.face.detect import choose, find_faces, photo_faces
from reelgen.core.face.track import still, track
from reelgen.core.media import Timing, fit, load_image


@dataclass
class FaceSource:
    """Distinct source frames, the face box in each, and which source frame each output frame shows.

    ``present`` says which source frames show the face; the others (a cutaway in a
    video to dub) are shown as they are.
    """

    frames: list[np.ndarray]
    boxes: np.ndarray  # (len(frames), 4)
    index: np.ndarray  # (num_frames,) into frames
    faces_seen: int  # faces in the first view (the choice was among these)
    present: np.ndarray  # (len(frames),) bool


def _fitted(image: np.ndarray, width: int, height: int) -> np.ndarray:
    if image.shape[1] == width and image.shape[0] == height:
        return image
    return np.asarray(fit(Image.fromarray(image), width, height))


#: FFmpeg's names of the containers a video to dub usually comes in, as a person would call them.
VIDEO_KINDS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "an MP4/MOV video",
    "matroska,webm": "a WebM/MKV video",
    "avi": "an AVI video",
    "mpegts": "an MPEG-TS video",
    "flv": "an FLV video",
}


def video_kind(source: str | Path | BinaryIO) -> str | None:
    """What kind of video ``source`` is ("an MP4/MOV video"), or None where it is none.

    For a message that says "this is a video, give it as one" where a photo was
    expected; an audio file's cover art (an attached picture) does not count.
    """
    import av

    try:
        with av.open(source if not isinstance(source, Path) else str(source)) as container:
            kind = VIDEO_KINDS.get(container.format.name)
            moving = [
                s for s in container.streams.video if not s.disposition & av.stream.Disposition.attached_pic
            ]
            return kind if moving else None
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        return None


def animated_image(source: Path) -> str | None:
    """``source`` in words ("an animated WebP of 10 frames") where Pillow reads frames in it, else None.

    Asked only once FFmpeg took the file for a photo or refused it: FFmpeg reads a GIF's and an APNG's
    frames, an animated WebP's not (its image demuxer cannot decode them). ``reelgen enhance`` asks too.
    """
    try:
        with Image.open(source) as image:
            count = int(getattr(image, "n_frames", 1))
            kind = {"WEBP": "WebP"}.get(str(image.format), str(image.format))
            return f"an animated {kind} of {count} frames" if count > 1 else None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def ping_pong(positions: np.ndarray, length: int) -> np.ndarray:
    """Positions past a clip's end walk back and forth through it, so a short clip never jumps."""
    if length == 1:
        return np.zeros_like(positions)
    period = 2 * length - 2
    folded = positions % period
    return np.where(folded < length, folded, period - folded)


def check_frames_fit(param: str, what: str, width: int, height: int, num_frames: int, sources: int) -> None:
    """Refuse an avatar whose frames (``num_frames`` made, ``sources`` read) do not fit in this machine's
    free memory: every frame is held until the video is encoded. A 4000x3000 phone photo with a minute
    of voice was "internal error (MemoryError: Unable to allocate 50.0 GiB ...)", once the model had
    loaded; a little less was a process the kernel killed without a word."""
    from reelgen.core import (
        host_memory,  # not devices: request checks (core.spec) reach this, and devices imports torch
    )

    need = (num_frames + sources) * width * height * 3 / 2**30
    available = host_memory.host_available_gib()
    if available is None or need <= available:
        return
    raise InvalidRequest(
        f"{param}: the avatar's {num_frames} frames of {width}x{height} pixels need {need:.1f} GiB of "
        f"memory (each is held until the video is encoded), and {available:.1f} GiB are available on "
        f"this machine; scale the {what} down, or split the voice into shorter avatars",
        param=param,
    )


#: The photo an avatar request last decoded, with the file's inode, size and times: resolving takes its
#: size, ``render`` searches its faces and the runner's ``from_photo`` lays out its frame from this one
#: decode (``from_photo`` lets it go), about 0.1 s of CPU each for a 2048-pixel PNG or a phone's
#: 12-megapixel JPEG. One at most.
_CHECKED: dict[str, tuple[tuple[int, ...], np.ndarray]] = {}
_CHECKED_LOCK = threading.Lock()


def _file_stamp(path: str) -> tuple[int, ...] | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def checked_photo(path: str) -> np.ndarray:
    """The photo at ``path`` decoded, as ``from_photo`` decodes it, and kept for it while the file is
    unchanged: the one kept already where it is (resolving decoded it for its size, then render
    decoded it again to search its faces, and an API host a third time to check an upload's face)."""
    stamp = _file_stamp(path)  # before reading: a file changed while read is read again after
    with _CHECKED_LOCK:
        held = _CHECKED.get(path)
    if held is not None and stamp is not None and held[0] == stamp:
        return held[1]
    photo = np.asarray(load_image(path, "start_image"))
    with _CHECKED_LOCK:
        _CHECKED.clear()
        if stamp is not None:
            _CHECKED[path] = (stamp, photo)
    return photo


def let_go(path: str) -> None:
    """Forget the photo kept for ``path``: where no ``from_photo`` will take it (an API host queues the
    job for a worker), it held up to 50 MB until the next avatar's photo."""
    with _CHECKED_LOCK:
        _CHECKED.pop(path, None)


def _photo(path: str) -> np.ndarray:
    """The photo at ``path`` decoded: the one ``checked_photo`` kept where the file is unchanged."""
    with _CHECKED_LOCK:
        held = _CHECKED.pop(path, None)
    if held is not None and held[0] == _file_stamp(path):
        return held[1]
    return np.asarray(load_image(path, "start_image"))


def from_photo(path: str, width: int, height: int, num_frames: int, face_index: int | None) -> FaceSource:
    check_frames_fit("start_image", "photo", width, height, num_frames, 1)
    frame = _fitted(_photo(path), width, height)
    faces = photo_faces(frame)  # at the photo's own size, found already when render checked it
    box = choose(faces, face_index, Path(path).name, frame.shape[:2])
    return FaceSource([frame], still(box, 1), np.zeros(num_frames, int), len(faces), np.ones(1, bool))


def from_video(
    path: str, width: int, height: int, num_frames: int, fps: float, face_index: int | None
) -> FaceSource:
    """The video's frames at ``fps`` (nearest frame by time, back and forth past its end), face tracked.

    Only the frames the voice reaches are decoded, and only those shown are kept: a short dub over
    a long interview decoded the whole clip (and its soundtrack) first, gigabytes of frames never shown.
    """
    from reelgen.core.enhance.mux import display_rotation, upright
    from reelgen.core.media import video_timing

    # A copy cut short is refused, as a model's source clip is: laid out over what was there, a dub
    # played the half it held back and forth without a word (the voice is held to the same).
    timing = video_timing(path, "source_video", whole=True)
    times = np.arange(num_frames) / fps
    wanted = np.floor(times * float(timing.fps) + 1e-6).astype(int)
    length = max(1, timing.frames)  # from the container's packets; the decode has the final word
    while True:
        index = ping_pong(wanted, length)
        used = np.unique(index)
        check_frames_fit("source_video", "video", width, height, num_frames, len(used))
        decoded, kept = _decode(path, timing, used)
        if decoded == 0:
            raise InvalidRequest(f"source_video: {path} has no frames", param="source_video")
        if decoded > int(used[-1]):
            break
        length = decoded  # fewer frames than the packets said: lay the clip out over what is there
    # A phone's portrait clip is stored as landscape pixels: read as stored, the face lay on its side
    # (the detector found none) and the dub played sideways. Turned as enhance turns it (one function).
    rotation = display_rotation(path)
    frames = [_fitted(upright(frame, rotation), width, height) for frame in kept]
    face = track(frames, face_index, Path(path).name)
    return FaceSource(frames, face.boxes, np.searchsorted(used, index), face.faces_seen, face.present)


def _decode(path: str, timing: Timing, used: np.ndarray) -> tuple[int, list[np.ndarray]]:
    """How many frames were decoded (up to the last of ``used``), and the RGB frames at ``used``."""
    from reelgen.core.media import decode_frames
    from reelgen.core.model_frames import ModelRgb

    wanted = set(used.tolist())
    kept: list[np.ndarray] = []
    decoded = 0
    # In sRGB, as the model takes it: an HDR clip read as it is was dubbed flat and washed out.
    frames = decode_frames(path, timing, ModelRgb("source_video", path), "source_video")
    try:
        for i, frame in enumerate(itertools.islice(frames, int(used[-1]) + 1)):
            decoded = i + 1
            if i in wanted:
                kept.append(frame)
    finally:
        frames.close()  # stopped before the clip's end: close the file now
    return decoded, kept


def video_has_face(
    path: str | Path, face_index: int | None, where: str, fps: float = 25.0, num_frames: int | None = None
) -> int:
    """A face is in one of the frames a dub at ``fps`` can show, and ``face_index`` counts one in the
    first frame that shows any (where the worker's track chooses); returns the faces seen there.
    ``num_frames``: the dub's length, where its voice is known; only the frames it reaches count (a
    2 s voice over a clip whose face comes at 10 s passed here, then its job failed, "no face found",
    and a faceless 2-minute clip had all its frames searched, minutes of CPU, for a 2 s voice).

    Frames are searched in order and the search stops at the first face, so a clip with a face costs a
    frame's decode; one with none is refused here as the run refuses it (``choose``'s words), where it
    was queued and failed on the worker. Its frames are turned upright as the run turns them.
    """
    from reelgen.core.enhance.mux import display_rotation, upright
    from reelgen.core.media import decode_frames, rgb, video_timing

    timing = video_timing(path, "source_video", whole=True)
    # The frames a dub at ``fps`` shows (from_video's choice, back and forth past the end): any is one.
    reach = int(timing.frames * fps / float(timing.fps)) + 1  # one pass through the clip shows every frame
    if num_frames is not None:
        reach = min(reach, max(1, num_frames))
    shown = {int(np.floor(k * float(timing.fps) / fps + 1e-6)) for k in range(reach)}
    last = max(shown)
    rotation = display_rotation(str(path))
    size: tuple[int, int] | None = None
    frames = decode_frames(path, timing, rgb, "source_video")
    try:
        for i, frame in enumerate(frames):
            if i > last:  # the dub shows none after it: they are not decoded
                break
            if i not in shown:
                continue
            picture = upright(frame, rotation)
            size = picture.shape[:2]
            faces = find_faces(picture)
            if faces:
                choose(faces, face_index, where, size)
                return len(faces)
    finally:
        frames.close()
    choose([], face_index, where, size)  # raises: no face found
    return 0
