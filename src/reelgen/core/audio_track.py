"""A media file's first sound track, decoded to float samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgen.core.types import Audio


def read_audio(path: str | Path) -> Audio | None:
    """The first audio stream of ``path`` decoded to float samples, or None when it has none.

    Every frame goes through a resampler to planar float ("fltp"), one row a channel, -1..1:
    PCM and FLAC decode to packed integers, one row of the channels interleaved, which read as
    they came were a mono track of full-scale values (a buzz, twice as long for stereo).
    """
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp")
        chunks = [out.to_ndarray() for f in container.decode(stream) for out in resampler.resample(f)]
        chunks += [out.to_ndarray() for out in resampler.resample(None)]
        rate = stream.codec_context.sample_rate
    if not chunks:
        return None
    return Audio(np.atleast_2d(np.concatenate(chunks, axis=-1).astype(np.float32)), rate)
