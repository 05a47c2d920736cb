"""Talking avatars end to end on a real photo (scikit-image's astronaut) and real speech (the bundled Piper voice)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import read_video
from reelgen.core.record import input_records, recorded_request, replay
from reelgen.core.speech.audio import write_wav
from reelgen.core.speech.respeak import respeak_missing
from reelgen.core.speech.tts import speak
from reelgen.core.types import Audio
from tests.core.helpers import render_fields, resolved

if TYPE_CHECKING:
    from reelgen.core.backends.avatar.lipsync import LipSync

FPS = 25


@pytest.fixture(scope="module")
def astronaut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skimage import data

    path = tmp_path_factory.mktemp("faces") / "astronaut.png"
    Image.fromarray(data.astronaut()).save(path)
    return path


@pytest.fixture(scope="module")
def small_astronaut(astronaut: Path) -> Path:
    """The astronaut at 256x256, for the renders that assert sound, timing, metadata or batching, not the
    photo's own pixels: the model draws on a 256-pixel face crop at any photo size, and at 512 the
    whole-frame work (detecting, pasting, encoding, decoding) cost about 0.3 s more CPU a second of voice."""
    path = astronaut.with_name("astronaut-256.png")
    Image.open(astronaut).resize((256, 256)).save(path)
    return path


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, float]:
    """A WAV of 0.8 s silence, a spoken sentence, then 1.2 s silence; and where the speech starts and ends."""
    speech = speak("Hello! My name is Joe, and I am talking to you.").audio
    rate = speech.sample_rate
    lead, tail = np.zeros((1, int(0.8 * rate)), np.float32), np.zeros((1, int(1.2 * rate)), np.float32)
    path = tmp_path_factory.mktemp("voice") / "voice.wav"
    write_wav(path, Audio(np.concatenate([lead, speech.samples, tail], axis=1), rate))
    return path, 0.8, 0.8 + speech.seconds


@pytest.fixture(scope="module")
def short_voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Half a second of speech (a dozen frames): enough for the properties that do not need a silence around
    it, which hold frame by frame however many frames there are."""
    path = tmp_path_factory.mktemp("voice") / "short.wav"
    write_wav(path, speak("Hi.").audio)
    return path


@pytest.fixture(scope="module")
def shipped_cache() -> ModelCache:
    """The cache the shipped model is loaded in once for this module's tests of it: the render below and
    the ``shipped`` engine are the same model on the same placement (loading it is seconds of CPU)."""
    return ModelCache()


@pytest.fixture(scope="module")
def tiny_cache() -> ModelCache:
    """musetalk-tiny loaded once for this module's renders of it, as a server keeps a model between jobs
    (each render loaded it again); no test here changes the loaded model."""
    return ModelCache()


def test_shipped_model_on_a_real_photo_changes_only_the_mouth(
    astronaut: Path, short_voice: Path, tmp_path: Path, shipped_cache: ModelCache
) -> None:
    voice = short_voice
    result = render_fields(
        tmp_path / "talk.mp4",
        shipped_cache,
        model="reelgen-lipsync",
        start_image=str(astronaut),
        speech_audio=str(voice),
    )
    video = result.video
    source = np.asarray(Image.open(astronaut).convert("RGB"))
    regions = video.extra["avatar"]["mouth_regions"]

    # Duration: the video lasts as long as the voice, to within one frame, and carries it.
    assert video.audio is not None
    assert abs(video.seconds - video.audio.seconds) <= 1 / FPS
    assert (video.width, video.height) == (source.shape[1], source.shape[0])

    # Outside the mouth region (ellipse plus its feather), every pixel is the photo's own.
    changed = 0
    for frame, (x0, y0, x1, y1) in zip(video.frames, regions, strict=True):
        outside = np.ones(source.shape[:2], bool)
        outside[y0:y1, x0:x1] = False
        assert np.array_equal(frame[outside], source[outside])
        changed += int((frame[y0:y1, x0:x1] != source[y0:y1, x0:x1]).any())
    assert changed == video.num_frames  # and inside it the model did draw

    # The file on disk says the same: 25 fps, every frame, an audio track.
    on_disk = read_video(result.path)
    assert on_disk.num_frames == video.num_frames and on_disk.fps == FPS and on_disk.audio is not None


@pytest.fixture(scope="module")
def shipped(
    astronaut: Path, spoken: tuple[Path, float, float], shipped_cache: ModelCache
) -> tuple[LipSync, np.ndarray]:
    """The shipped lip-sync model, loaded once for both faces, and its features of ``spoken``'s voice.

    It is taken from the module's cache as a render places it on the CPU (its bundled weights, float32):
    loaded there already if the render test ran first, else loaded now for both."""
    from reelgen.core.backends.avatar.runner import AvatarRunner
    from reelgen.core.devices import device_info
    from reelgen.core.spec import registry
    from reelgen.core.speech.audio import read_voice
    from reelgen.core.weights import bundled_folder, locate

    request = resolved(model="reelgen-lipsync", start_image=str(astronaut), speech_audio=str(spoken[0]))
    spec, preset = registry.resolve("reelgen-lipsync")
    source = locate(spec, preset, request.weights)
    assert source.path == bundled_folder(preset)  # the weights the package ships
    plan = spec.plan(preset, request, device_info(None), None)
    runner, _ = shipped_cache.acquire(spec, preset, source, plan)
    assert isinstance(runner, AvatarRunner) and runner.engine is not None
    return runner.engine, runner.engine.features(read_voice(spoken[0]))


@pytest.mark.parametrize("face", ["astronaut", "drawn"])
def test_shipped_model_mouth_follows_the_voice(
    face: str, astronaut: Path, spoken: tuple[Path, float, float], shipped: tuple[LipSync, np.ndarray]
) -> None:
    """On a face it never saw (the astronaut photo, or a drawn one), the mouth opens while the voice speaks
    and closes in the silences."""
    from reelgen.core.face import align
    from reelgen.core.face.detect import find_faces
    from reelgen.core.speech.audio import frame_envelope, read_voice
    from reelgen.train.avatar_eval import drawn_face, openings
    from reelgen.train.avatar_faces import photo_bank

    voice_path, start, end = spoken
    engine, features = shipped
    geo = engine.config.geometry
    if face == "astronaut":
        photo = np.asarray(Image.open(astronaut).convert("RGB"))
        crop = align.crop(photo, max(find_faces(photo), key=lambda b: b.area).as_array(), geo)
    else:
        crop = drawn_face(1, geo.size, photo_bank(256))
    voice = read_voice(voice_path)
    count = round(voice.seconds * FPS)
    # Frames are made independently: every fifth one (a frame each 0.2 s, seven of them in the silences)
    # is the same test in a fifth of the time. Measured over every frame and every fifth from each offset,
    # both faces' correlation stays 0.71 to 0.86 and the speaking mouth 0.05 to 0.12 more open.
    sampled = np.arange(0, count, 5)
    opening, _ = openings(engine, crop, features, sampled)
    envelope = frame_envelope(voice, FPS, count)[sampled]
    times = (sampled + 0.5) / FPS
    speaking = opening[(times > start + 0.1) & (times < end - 0.1)]
    silent = opening[(times < start - 0.2) | (times > end + 0.3)]
    assert np.corrcoef(opening, envelope)[0, 1] > 0.4
    assert speaking.mean() > silent.mean() + 0.01


def test_tiny_musetalk_style_build_runs_end_to_end(
    small_astronaut: Path, short_voice: Path, tmp_path: Path, tiny_cache: ModelCache
) -> None:
    voice = short_voice
    result = render_fields(
        tmp_path / "tiny.mp4",
        tiny_cache,
        model="musetalk-tiny",
        start_image=str(small_astronaut),
        speech_audio=str(voice),
    )
    assert result.path.is_file() and result.metadata["request"]["task"] == "avatar"
    assert result.metadata["inputs"]["speech_audio"]["sha256"]
    assert abs(result.video.seconds - result.video.audio.seconds) <= 1 / FPS  # type: ignore[union-attr]


def test_text_only_input_speaks_first(small_astronaut: Path, tmp_path: Path, tiny_cache: ModelCache) -> None:
    cache = tiny_cache
    result = render_fields(
        tmp_path / "text.mp4",
        cache,
        model="musetalk-tiny",
        start_image=str(small_astronaut),
        speech_text="Good morning, everyone.",
    )
    audio = result.video.audio
    assert audio is not None and audio.seconds > 0.8
    assert abs(result.video.seconds - audio.seconds) <= 1 / FPS
    assert result.metadata["request"]["speech_text"] == "Good morning, everyone."
    spoken = Path(result.metadata["request"]["speech_audio"])
    assert spoken.is_file()

    # Its speech WAV cleaned away, the video replays all the same: the text is spoken again, alike.
    spoken.unlink()
    again = replay(result.path, tmp_path / "again.mp4", cache=cache)
    assert again.metadata["inputs"]["speech_audio"] == result.metadata["inputs"]["speech_audio"]
    assert again.video.audio is not None and np.array_equal(again.video.audio.samples, audio.samples)
    assert np.array_equal(again.video.frames, result.video.frames)


def test_speech_spoken_differently_on_replay_is_refused_plainly(astronaut: Path, tmp_path: Path) -> None:
    request = resolved(model="musetalk-tiny", start_image=str(astronaut), speech_text="See you tomorrow.")
    # Made by a worker from its own copy of the speech, since removed with the job's inputs.
    copy = tmp_path / "job" / "speech_audio.wav"
    record = {"request": request.model_dump(mode="json"), "inputs": input_records(request)}
    record["request"]["speech_audio"] = str(copy)
    request = recorded_request(record, "talk.mp4")
    assert Path(str(respeak_missing(record, request, "talk.mp4").speech_audio)).is_file()
    # The text spoken again where another Piper or CPU made other samples (the recorded hash differs).
    record["inputs"]["speech_audio"]["sha256"] = "0" * 64
    with pytest.raises(InvalidRequest) as info:
        respeak_missing(record, request, "talk.mp4")
    assert f"speech_audio: {copy} no longer exists" in str(info.value)
    assert "pass --allow-changed-inputs to replay with the speech as spoken now" in str(info.value)
    assert Path(str(respeak_missing(record, request, "talk.mp4", allow_changed=True).speech_audio)).is_file()
    # Spoken again to another length, the video's frame count no longer fits it: made anew, never stretched.
    longer = request.model_copy(update={"num_frames": request.num_frames + 5})
    with pytest.raises(InvalidRequest, match=f"not the video's {request.num_frames + 5}") as info:
        respeak_missing(record, longer, "talk.mp4", allow_changed=True)
    assert 'make the avatar anew instead (reelgen avatar --text "See you tomorrow." ...)' in str(info.value)
    # A voice file deleted since: said, with the way on.
    gone_voice = request.model_copy(update={"voice": str(tmp_path / "gone.onnx")})
    with pytest.raises(InvalidRequest, match="its text cannot be spoken again here") as info:
        respeak_missing(record, gone_voice, "talk.mp4")
    assert info.value.param == "inputs" and "make the avatar anew" in str(info.value)


def test_batches_leave_no_seam(
    small_astronaut: Path, short_voice: Path, tmp_path: Path, tiny_cache: ModelCache
) -> None:
    voice = short_voice
    small = render_fields(
        tmp_path / "a.mp4",
        tiny_cache,
        model="musetalk-tiny",
        start_image=str(small_astronaut),
        speech_audio=str(voice),
        options={"batch": 3},
    )
    large = render_fields(
        tmp_path / "b.mp4",
        tiny_cache,
        model="musetalk-tiny",
        start_image=str(small_astronaut),
        speech_audio=str(voice),
        options={"batch": 64},
    )
    # Frames are made independently, so batching only reorders float sums: at most 1 level of 255 apart.
    # (int16 holds any difference of two uint8 levels; int64 copies of every frame were 4x the memory.)
    assert np.abs(small.video.frames.astype(np.int16) - large.video.frames.astype(np.int16)).max() <= 1


def test_no_face_is_an_error_and_writes_nothing(spoken: tuple[Path, float, float], tmp_path: Path) -> None:
    blank = tmp_path / "wall.png"
    Image.fromarray(np.full((256, 256, 3), 180, np.uint8)).save(blank)
    with pytest.raises(InvalidRequest, match="no face found") as info:
        render_fields(
            tmp_path / "out.mp4", model="musetalk-tiny", start_image=str(blank), speech_audio=str(spoken[0])
        )
    assert info.value.param == "start_image"
    assert not list(tmp_path.glob("*.mp4")) and not list(tmp_path.glob(".*"))


def test_unreadable_audio_is_an_error(astronaut: Path, tmp_path: Path) -> None:
    bad = tmp_path / "voice.wav"
    bad.write_bytes(b"RIFF this is not a wave file at all")
    with pytest.raises(InvalidRequest, match="not a readable audio file") as info:
        resolved(model="musetalk-tiny", start_image=str(astronaut), speech_audio=str(bad))
    assert info.value.param == "speech_audio"
    with pytest.raises(InvalidRequest, match="has no audio stream; give a WAV, MP3, FLAC, OGG or M4A file"):
        resolved(model="musetalk-tiny", start_image=str(astronaut), speech_audio=str(astronaut))  # a PNG


def test_silent_and_too_long_audio_are_errors(
    astronaut: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = tmp_path / "quiet.wav"
    write_wav(quiet, Audio(np.zeros((1, 16000), np.float32), 16000))
    with pytest.raises(InvalidRequest, match="silent"):
        resolved(model="musetalk-tiny", start_image=str(astronaut), speech_audio=str(quiet))
    loud = tmp_path / "long.wav"
    tone = 0.3 * np.sin(np.arange(16000 * 3) / 16000 * 2 * np.pi * 220).astype(np.float32)
    write_wav(loud, Audio(tone[None], 16000))
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "2")
    with pytest.raises(InvalidRequest, match="limit is 2 s"):
        resolved(model="musetalk-tiny", start_image=str(astronaut), speech_audio=str(loud))
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "nan")  # no limit at all, were it taken
    with pytest.raises(InvalidRequest, match="must be a number of seconds above 0, not nan"):
        resolved(model="musetalk-tiny", start_image=str(astronaut), speech_audio=str(loud))


def test_a_voice_beside_a_recording_is_refused_not_ignored(astronaut: Path, short_voice: Path) -> None:
    with pytest.raises(InvalidRequest, match="with a voice track") as info:
        resolved(
            model="musetalk-tiny",
            start_image=str(astronaut),
            speech_audio=str(short_voice),
            voice="en_US-joe-medium",
        )
    assert info.value.param == "voice"


def test_a_photo_too_large_for_the_video_names_the_photo(short_voice: Path, tmp_path: Path) -> None:
    wide = tmp_path / "banner.png"
    Image.fromarray(np.full((200, 4200, 3), 120, np.uint8)).save(wide)
    with pytest.raises(InvalidRequest, match="the photo is 4200x200 pixels") as info:
        resolved(model="musetalk-tiny", start_image=str(wide), speech_audio=str(short_voice))
    assert info.value.param == "start_image"  # not "width", which the person never set
    assert "64 to 4096 pixels a side (scale it down)" in str(info.value)


def test_text_the_voice_cannot_speak_is_an_error(astronaut: Path) -> None:
    with pytest.raises(InvalidRequest, match="Cyrillic") as info:
        resolved(model="musetalk-tiny", start_image=str(astronaut), speech_text="Привет, как дела?")
    assert info.value.param == "speech_text"
    # Said to CLI and HTTP users alike: neither is told of an option only the other has, alone.
    assert "`reelgen avatar --voice PATH.onnx`; over HTTP, send the speech as an audio file" in str(
        info.value
    )


def test_several_faces_take_the_largest_or_the_one_asked(
    astronaut: Path, short_voice: Path, tmp_path: Path, tiny_cache: ModelCache
) -> None:
    photo = Image.open(astronaut).convert("RGB")
    pair = Image.new("RGB", (768, 512), (200, 200, 200))
    pair.paste(photo.resize((256, 256)), (0, 128))
    pair.paste(photo, (256, 0))
    both = tmp_path / "pair.png"
    pair.save(both)
    voice = str(short_voice)
    largest = render_fields(
        tmp_path / "l.mp4", tiny_cache, model="musetalk-tiny", start_image=str(both), speech_audio=voice
    )
    first = render_fields(
        tmp_path / "f.mp4",
        tiny_cache,
        model="musetalk-tiny",
        start_image=str(both),
        speech_audio=voice,
        options={"face_index": 0},
    )
    assert largest.video.extra["avatar"]["faces_found"] == 2
    assert largest.video.extra["avatar"]["mouth_regions"][0][0] > 256  # the big face, on the right
    assert first.video.extra["avatar"]["mouth_regions"][0][0] < 256  # the small one, on the left
    with pytest.raises(InvalidRequest, match="out of range"):
        render_fields(
            tmp_path / "x.mp4",
            tiny_cache,
            model="musetalk-tiny",
            start_image=str(both),
            speech_audio=voice,
            options={"face_index": 4},
        )


def test_dubbing_a_video_changes_only_the_mouth(
    astronaut: Path, short_voice: Path, tmp_path: Path, tiny_cache: ModelCache
) -> None:
    from reelgen.core.encode import write_video
    from reelgen.core.types import Video

    photo = np.asarray(Image.open(astronaut).convert("RGB"))
    # Five frames under a dozen frames of voice: forwards, backwards and forwards again.
    frames = np.stack([np.roll(photo, 4 * i, axis=1)[64:448, 64:448] for i in range(5)])
    clip = write_video(Video(frames, FPS), tmp_path / "clip.mp4")  # type: ignore[arg-type]
    source = read_video(clip).frames
    result = render_fields(
        tmp_path / "dub.mp4",
        tiny_cache,
        model="musetalk-tiny",
        source_video=str(clip),
        speech_audio=str(short_voice),
    )
    video = result.video
    assert video.num_frames > 2 * len(source) - 2  # a short clip plays back and forth to cover the voice
    for i, (frame, (x0, y0, x1, y1)) in enumerate(
        zip(video.frames, video.extra["avatar"]["mouth_regions"], strict=True)
    ):
        period = 2 * len(source) - 2
        k = i % period
        shown = source[k if k < len(source) else period - k]
        outside = np.ones(frame.shape[:2], bool)
        outside[y0:y1, x0:x1] = False
        assert np.array_equal(frame[outside], shown[outside])


def _hub_snapshot(cache: Path, repo: str) -> Path:
    """An empty snapshot folder of ``repo`` in a Hugging Face cache, as ``hf download`` lays it out."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    root = cache / f"models--{repo.replace('/', '--')}"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(commit)
    snapshot = root / "snapshots" / commit
    snapshot.mkdir(parents=True)
    return snapshot


def test_musetalk_loads_from_its_hub_layout(
    small_astronaut: Path, short_voice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MuseTalk's published layout (musetalkV15/unet.pth + musetalk.json, SD-VAE and Whisper tiny companions),
    filled with tiny random weights, loads from the cache by hub id and speaks."""
    import json

    import torch

    from reelgen.core.backends.avatar.build import tiny_parts

    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    vae, unet, encoder = tiny_parts(seed=3)
    main = _hub_snapshot(cache, "TMElyralab/MuseTalk") / "musetalkV15"
    main.mkdir()
    (main / "musetalk.json").write_text(json.dumps(dict(unet.config)))
    torch.save(unet.state_dict(), main / "unet.pth")
    vae.save_pretrained(_hub_snapshot(cache, "stabilityai/sd-vae-ft-mse"))
    encoder.save_pretrained(_hub_snapshot(cache, "openai/whisper-tiny"))

    result = render_fields(
        tmp_path / "muse.mp4",
        model="musetalk",
        start_image=str(small_astronaut),
        speech_audio=str(short_voice),
    )
    assert result.metadata["model"]["repo_id"] == "TMElyralab/MuseTalk"
    assert result.video.extra["avatar"]["audio_features"].endswith(
        "snapshots/0123456789abcdef0123456789abcdef01234567"
    )


def test_musetalk_without_weights_says_how_to_fetch_them(
    astronaut: Path, spoken: tuple[Path, float, float], tmp_path: Path
) -> None:
    from reelgen.core.errors import ModelNotAvailable

    with pytest.raises(ModelNotAvailable, match="reelgen pull musetalk"):
        render_fields(
            tmp_path / "m.mp4", model="musetalk", start_image=str(astronaut), speech_audio=str(spoken[0])
        )


def test_a_large_portrait_animates_its_face_not_a_false_detection(astronaut: Path, tmp_path: Path) -> None:
    """At 2048 pixels Haar also 'finds' a bigger face on the astronaut's chest; the mouth goes on the real face."""
    from reelgen.core.face.source import from_photo

    big = tmp_path / "portrait.png"
    # Uncompressed: zlib on 12 MB of pixels was most of this test's time, and any PNG reads the same.
    Image.open(astronaut).convert("RGB").resize((2048, 2048)).save(big, compress_level=0)
    source = from_photo(str(big), 2048, 2048, 1, None)
    x, y, w, h = source.boxes[0]
    assert source.faces_seen == 1
    # The astronaut's face: 704..1092 across, 262..650 down at this size (its box at 512 pixels, x4).
    assert 700 < x + w / 2 < 1100 and 260 < y + h / 2 < 650
