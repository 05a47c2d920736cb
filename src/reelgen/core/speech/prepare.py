"""Fills in an avatar request at the edge: speaks its text, checks its voice, and takes its length and size.

``resolve()`` calls this once for ``task=avatar``; afterwards the request names
a voice file (input files are hashed into the record, so a replay uses the very
same speech, or speaks its text again where the file is gone) and a frame count
that lasts exactly as long as the voice.
"""

from __future__ import annotations

from pathlib import Path

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import MAX_FPS, GenerationRequest
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Audio

#: The frame rates an avatar is made at. A mouth opens and closes four to six times a second in
#: speech: below 10 frames a second it cannot be shown doing so, and at 0.1 a 2 s voice became one
#: frame shown for 10 s (every avatar has a frame), a video five times the voice's length.
#: The top is any video's (a request's ``fps``).
AVATAR_FPS = (10.0, float(MAX_FPS))


def check_fps(fps: float | None, default: float) -> None:
    """Refuse a rate outside ``AVATAR_FPS`` (NaN too), saying the range and the ``default``."""
    low, high = AVATAR_FPS
    if fps is not None and not low <= fps <= high:
        raise InvalidRequest(
            f"fps {fps:g}: an avatar is made at {low:g} to {high:g} frames a second (below {low:g} "
            f"a mouth cannot be seen to follow the syllables); leave it out for {default:g}",
            param="fps",
        )


def _a_file(param: str, value: str) -> None:
    """Refuse a missing file or a folder as generate does, before it is read.

    Read first, a folder of voices was "file voices does not exist" and a photo typed wrong was
    "not a readable image ([Errno 2] No such file or directory ...)".
    """
    path = Path(value).expanduser()
    if path.is_dir():
        raise InvalidRequest(f"{param}: {value} is a folder; give a file", param=param)
    if path.exists() and not path.is_file():  # bash's <(sox ...) is /dev/fd/63: "does not exist"
        raise InvalidRequest(
            f"{param}: {value} is a pipe or a device, not a file; it is read more than once and recorded "
            "by its hash for replay: save it to a file first and give that",
            param=param,
        )
    if not path.is_file():
        raise InvalidRequest(f"{param}: file {value} does not exist", param=param)


def _face_size(request: GenerationRequest) -> tuple[int, int]:
    if request.start_image and request.source_video:
        raise InvalidRequest(
            "an avatar takes one face source: a photo (--image) or a video to dub (--video), not both",
            param="source_video",
        )
    if request.source_video:
        return _video_size(request.source_video)
    if request.start_image:
        from reelgen.core.face.source import checked_photo, video_kind

        _a_file("start_image", request.start_image)
        try:
            # Kept, decoded: render searches its faces and the runner lays out its frame from this decode.
            photo = checked_photo(request.start_image)
        except InvalidRequest:
            kind = video_kind(Path(request.start_image).expanduser())
            if kind is None:
                raise
            raise InvalidRequest(  # said the file "is not a readable image", as if it were broken
                f"start_image: {request.start_image} is {kind}, not a photo; to dub it, give it as "
                f"--video {request.start_image}",
                param="start_image",
            ) from None
        return photo.shape[1], photo.shape[0]
    raise InvalidRequest(
        "an avatar needs a face: a photo (--image face.png) or a video to dub (--video clip.mp4)",
        param="start_image",
    )


def _video_size(path: str) -> tuple[int, int]:
    """A video to dub: its size as players show it; refused, in words, when it is no video."""
    import av

    from reelgen.core.video_timing import still_image_kind

    _a_file("source_video", path)
    try:
        with av.open(str(path)) as container:
            photo = still_image_kind(container)
            if photo is not None:
                from reelgen.core.face.source import animated_image

                moving = animated_image(Path(path))
                if moving is not None:  # it was "a WEBP photo, not a video"
                    raise InvalidRequest(
                        f"source_video: {path} is {moving}, which FFmpeg cannot decode; "
                        "convert it to an MP4 or an animated GIF first (or give it as --image to "
                        "animate its first frame)",
                        param="source_video",
                    )
                # It was refused only after the model loaded, as "a still image", without saying
                # that --image takes it.
                raise InvalidRequest(
                    f"source_video: {path} is a {photo} photo, not a video; to animate "
                    f"it, give it as --image {path}",
                    param="source_video",
                )
            # A song's cover art is a one-picture "video" stream: it was dubbed, or "no face found".
            cover = [s for s in container.streams.video if s.disposition & av.stream.Disposition.attached_pic]
            if len(cover) == len(container.streams.video):
                # It said only "has no video stream", not what to give instead.
                sound = " has no video stream"
                if container.streams.audio:
                    sound = " holds sound only" + (
                        " (its one picture is cover art)" if cover else ", no pictures"
                    )
                raise InvalidRequest(
                    f"source_video: {path}{sound}; give a video with a face (MP4, MOV, MKV "
                    "or WebM), or a photo as --image (a voice goes in --audio)",
                    param="source_video",
                )
            ctx = container.streams.video[0].codec_context
            if not (ctx.width and ctx.height):  # a broken file FFmpeg still opens: it was "0x0 pixels"
                raise InvalidRequest(
                    f"source_video: {path} is not a readable video (no picture size "
                    "in it); give an MP4, MOV, WebM or MKV file",
                    param="source_video",
                )
            width, height = int(ctx.width), int(ctx.height)
    except av.error.FFmpegError as exc:
        from reelgen.core.media import unreadable_video

        # It read "([Errno 1094995529] Invalid data found when processing input: 'clip.mp4')".
        raise unreadable_video("source_video", path, path, exc) from None
    from reelgen.core.enhance.mux import display_rotation

    # The avatar is made as a player shows the clip: a phone's portrait video stored as landscape
    # pixels made a sideways landscape dub.
    return (height, width) if display_rotation(path) % 180 else (width, height)


def _header_size(path: str) -> tuple[int, int] | None:
    """A photo's size as its header gives it (nothing decoded), or None where Pillow opens no image."""
    import warnings

    from PIL import Image

    photo = Path(path).expanduser()
    if not photo.is_file():  # a pipe refused as one: opened, it waited for ever for a writer
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(photo) as image:
                return int(image.width), int(image.height)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def _check_source_size(request: GenerationRequest, width: int, height: int, rules: SizeRules) -> None:
    """Refuse a face source the video cannot be made at, naming the file's field rather than ``width``.

    The avatar takes its size from the photo or video, so the generic rule's
    "width 5000 is outside 64..4096" would blame a field the person never set.
    """
    taken = [side for side, asked in ((width, request.width), (height, request.height)) if asked is None]
    param, what = ("source_video", "video") if request.source_video else ("start_image", "photo")
    check_face_size(param, what, width, height, rules, taken)


def check_face_size(
    param: str, what: str, width: int, height: int, rules: SizeRules, taken: list[int] | None = None
) -> None:
    """Refuse a photo or video (``what``) whose sides ``taken`` (default: both) are outside ``rules``."""
    taken = [width, height] if taken is None else taken
    if all(rules.min_side <= side <= rules.max_side for side in taken):
        return
    fix = "scale it down" if max(taken) > rules.max_side else "give a larger one"
    raise InvalidRequest(
        f"{param}: the {what} is {width}x{height} pixels; an avatar is made at its {what}'s size, "
        f"which must be {rules.min_side} to {rules.max_side} pixels a side ({fix})",
        param=param,
    )


def check_face(path: str, face_index: object) -> str | None:
    """The face to animate is in the photo: a photo without one (or with fewer than ``--face-index``
    counts) was refused only after the model had loaded, seconds into the run. ``render`` asks this
    once the weights are found (a missing model is said first), before the model is planned or loaded.

    Returns a note naming the face chosen where several were found and none was asked for: a group
    photo's largest face was animated without a word, and the person could not tell which would speak.
    """
    from reelgen.core.face.detect import choose, photo_faces
    from reelgen.core.face.source import checked_photo

    # Both kept for the runner's from_photo, which decodes the same file and searches the same pixels.
    photo = checked_photo(path)
    faces = photo_faces(photo)
    index = face_index if isinstance(face_index, int) else None
    chosen = choose(faces, index, Path(path).name, photo.shape[:2])
    if index is not None or len(faces) < 2:
        return None
    # "the photo", not its name: a server's worker knows an upload only by its copy's (input-1.png).
    return (
        f"{len(faces)} faces found in the photo; the largest is animated (number {faces.index(chosen)} of "
        f"0..{len(faces) - 1} from the left); give --face-index N (over HTTP, face_index) for another"
    )


def _check_spoken(voice: Audio, text: str) -> None:
    """Refuse text whose speech runs past the limit or is shorter than a syllable, naming the text: said
    of the voice track, it blamed an ``--audio`` never given and told to split a file the person does
    not have."""
    from reelgen.core.speech.audio import MIN_SECONDS, max_seconds
    from reelgen.core.speech.tts import text_too_long

    limit = max_seconds()
    if voice.seconds > limit:
        raise text_too_long(f"{voice.seconds:.1f} s", limit)
    if voice.seconds < MIN_SECONDS:
        # Invisible characters (a zero-width space) are left out of the quote: they say nothing.
        shown = "".join(ch for ch in " ".join(text.split()) if ch.isprintable())
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise InvalidRequest(
            f"speech_text: {shown!r} is spoken in {voice.seconds:.2f} s; an avatar needs at least "
            f"{MIN_SECONDS:g} s of speech (a syllable) to move its mouth: give a word or two more",
            param="speech_text",
        )


def avatar_request(request: GenerationRequest, default_fps: float, rules: SizeRules) -> GenerationRequest:
    """``request`` with its voice file, frame count and size set (text spoken first); ``rules`` are the
    avatar model's, which bound the size its face source gives it."""
    from reelgen.core.speech.audio import check_voice, max_seconds, read_voice

    check_fps(request.fps, default_fps)  # before any file is read or any text spoken
    if request.num_frames is not None or request.seconds is not None:
        raise InvalidRequest(
            "an avatar lasts as long as its voice; leave out num_frames and seconds", param="num_frames"
        )
    try:
        width, height = _face_size(request)
    except InvalidRequest:
        # A photo over the input pixel cap was told "at most 64,000,000 pixels (8000x8000, say)", and
        # one scaled to that was refused again: an avatar takes at most rules.max_side a side.
        if request.start_image and (size := _header_size(request.start_image)) is not None:
            _check_source_size(request, *size, rules)
        raise
    _check_source_size(request, width, height, rules)
    audio_path = request.speech_audio
    update_voice: dict[str, str] = {}
    if audio_path and request.speech_text:
        raise InvalidRequest(
            "give a voice track (--audio) or text to speak (--text), not both", param="speech_text"
        )
    if audio_path and request.voice and not request.speech_text:
        # The voice only speaks text; with a recording it would be dropped without a word.
        raise InvalidRequest(
            "voice speaks the text to say (--text); with a voice track (--audio), leave it out",
            param="voice",
        )
    if not audio_path:
        if not (request.speech_text or "").strip():
            raise InvalidRequest(
                'an avatar needs a voice: a recording (--audio voice.wav) or text to speak (--text "...")',
                param="speech_audio",
            )
        from reelgen.core.speech.tts import DEFAULT_VOICE, speech_file, voice_files

        # The limit goes in: text over it is refused before (or while) it is spoken, not after.
        audio_path = str(speech_file(request.speech_text or "", request.voice, max_seconds()))
        if request.voice and request.voice != DEFAULT_VOICE:
            # Recorded by absolute path, so a replay from another folder can speak the text again.
            update_voice = {"voice": str(voice_files(request.voice)[0])}
    else:
        _a_file("speech_audio", audio_path)
    # A recording over the limit is refused by its header (or part-way through), not decoded whole.
    limit = max_seconds() if request.speech_audio else None
    voice = read_voice(Path(audio_path).expanduser(), limit_s=limit)
    if not request.speech_audio:
        _check_spoken(voice, request.speech_text or "")
    check_voice(voice)
    fps = request.fps or default_fps
    return request.model_copy(
        update={
            "speech_audio": audio_path,
            "num_frames": max(1, round(voice.seconds * fps)),
            "fps": fps,
            "width": request.width or width,
            "height": request.height or height,
            **update_voice,
        }
    )
