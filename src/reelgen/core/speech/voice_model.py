"""A Piper voice's ONNX model made ready for speech: patched for phoneme timings, its noise seeded, and
graph-optimised once per voice file while each text still gets a session of its own."""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest, ModelNotAvailable

#: Seed of Piper's noise (pitch and timing variation). Fixed, so the same text and voice give the same
#: samples and a replay can speak an avatar's text again instead of needing its WAV.
SPEECH_SEED = 0
#: onnxruntime's seed is process-wide and read as a session is built: one voice built at a time.
_SEEDING = threading.Lock()


@dataclass(frozen=True)
class _Prepared:
    """A voice's model as its sessions are built from it: ``optimised`` once ONNX Runtime's graph
    optimisations are applied to it and kept (its sessions then skip them); ``to_optimise`` while
    that is still to be done (its seeds are written in, and it has not been tried)."""

    model: bytes
    optimised: bool = False
    to_optimise: bool = False


#: A voice's model made ready for its per-text sessions, by path: the file (inode, size, times) it was
#: made from, and the model. Made again when the file changes: kept by path alone, a voice replaced
#: under the same name went on speaking as the old one in a running server, while the speech cache's
#: key (the file's hash) named the new one.
_PREPARED: dict[Path, tuple[tuple[int, ...], _Prepared]] = {}


def _patched(model: Path) -> tuple[bytes, bool]:
    """The voice's ONNX model patched to give phoneme alignments (as Piper's own loader patches it) and
    its noise's seeds written in; and whether they were (a graph with subgraphs or functions is left as
    it is, for its nodes' numbers are not theirs in the file)."""
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        raise ModelNotAvailable(
            "speaking text needs Piper TTS: pip install 'piper-tts[alignment]'", param="voice"
        ) from None
    from google.protobuf.message import DecodeError

    try:
        graph = onnx.load(str(model))
    except (DecodeError, OSError, ValueError) as exc:
        raise InvalidRequest(_unreadable(model, exc), param="voice") from None
    with contextlib.suppress(ValueError):  # already patched, or no such tensor: spoken without timings
        add_alignment_output(graph)
    plain = not graph.functions and not any(
        attribute.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS)
        for node in graph.graph.node
        for attribute in node.attribute
    )
    if plain:
        # onnxruntime seeds a random node without a seed of its own with the process's seed plus the
        # node's number, its place in the file. Written into the node, the seed survives the
        # optimisation below, which renumbers the nodes: the same noise, so the same samples.
        for number, node in enumerate(graph.graph.node):
            if node.op_type in _RANDOM_OPS and not any(a.name == "seed" for a in node.attribute):
                node.attribute.append(onnx.helper.make_attribute("seed", float(SPEECH_SEED + number)))
    return bytes(graph.SerializeToString()), plain


#: ONNX's operators that draw random numbers (Piper's noise is RandomNormalLike).
_RANDOM_OPS = frozenset({"RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike"})


def _session(model: Path, data: bytes, optimised: bool, keep: Path | None = None) -> Any:
    """A new ONNX session of ``data``, its noise seeded from ``SPEECH_SEED``; ``keep``: where
    onnxruntime writes the model as it optimised it. The caller holds ``_SEEDING``."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    if optimised:  # optimised once already: done again, it took two thirds of a session's building
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    if keep is not None:
        options.optimized_model_filepath = str(keep)
        # Its warning that the file may hold this machine's own layouts: it is kept in this process only.
        options.log_severity_level = 3
    ort_errors: tuple[type[Exception], ...] = (RuntimeError, *_ort_errors())
    onnxruntime.set_seed(SPEECH_SEED)
    try:
        return onnxruntime.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
    except ort_errors as exc:  # a model ONNX read but cannot run
        raise InvalidRequest(_unreadable(model, exc), param="voice") from None


def _optimising_session(model: Path, data: bytes) -> tuple[Any, _Prepared]:
    """A session of ``data`` (seeds written in) and the model as its building optimised it, kept in a
    temporary file (about 0.15 s more than the session alone); where it cannot be kept, ``data``."""
    import tempfile

    # With no room for the optimised model (onnxruntime says only "SystemError : 2"), the session is
    # built again below without keeping it, as before; a model that cannot run is refused there.
    with (
        contextlib.suppress(OSError, InvalidRequest),
        tempfile.TemporaryDirectory(prefix="reelgen-voice-") as folder,
    ):
        kept = Path(folder) / "optimised.onnx"
        session = _session(model, data, False, kept)
        return session, _Prepared(kept.read_bytes(), optimised=True)
    return _session(model, data, False), _Prepared(data)


def seeded_voice(model: Path, config: Path) -> Any:
    """A Piper voice on a new ONNX session whose noise starts from ``SPEECH_SEED``.

    onnxruntime seeds a session's random generators when it builds the session and
    advances them on every run, so a reused session speaks a text differently each
    time; a new session per text does not. What does not change from one text to the
    next is done once per voice file: reading and patching the model, and, at its second
    text (a process that speaks once, as the CLI does, is not slowed by keeping it),
    optimising its graph: a session then takes about 0.17 s to build where it took 0.45 s. One
    thread: the sums of several threads round differently with their number, so the
    samples would differ from one machine to the next.
    """
    from piper import PiperVoice
    from piper.config import PiperConfig

    try:
        stat = model.stat()
    except OSError as exc:  # gone since it was found
        raise InvalidRequest(_unreadable(model, exc), param="voice") from None
    # The change time too: another voice copied over it with its time kept (cp -p) changes only that.
    stamp = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    with _SEEDING:  # a second text for a voice being prepared waits for it and takes its model
        held = _PREPARED.get(model)
        if held is None or held[0] != stamp:  # its first text: built as before, nothing kept to disk
            data, seeded = _patched(model)
            session = _session(model, data, False)
            _PREPARED[model] = (stamp, _Prepared(data, to_optimise=seeded))
        elif held[1].to_optimise:  # its second: optimised once more, and kept for the texts after it
            session, prepared = _optimising_session(model, held[1].model)
            _PREPARED[model] = (stamp, prepared)
        else:
            session = _session(model, held[1].model, held[1].optimised)
    return PiperVoice(session=session, config=PiperConfig.from_dict(json.loads(config.read_text())))


def _ort_errors() -> tuple[type[Exception], ...]:
    """onnxruntime's own errors, which are not RuntimeErrors: a file of a few text bytes reads as an
    empty ONNX graph, and its session's "No graph was found" (InvalidArgument) was an internal error."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    names = ("Fail", "InvalidArgument", "InvalidGraph", "InvalidProtobuf", "NoModel", "RuntimeException")
    return tuple(getattr(state, name) for name in names if hasattr(state, name))


def _unreadable(model: Path, exc: Exception) -> str:
    reason = " ".join(str(exc).split())[:200]
    return (
        f"voice {model} is not a Piper voice model ONNX can read ({reason}); download the .onnx again "
        "(a Git LFS pointer or a web page saved under its name looks like this)"
    )
