"""Size and frame-count rules of a model, checked with errors that name the nearest valid values."""

from __future__ import annotations

from dataclasses import dataclass

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import MAX_FPS, MIN_FPS, ResolvedRequest, Task


def _neighbours(value: int, step: int, offset: int, low: int, high: int | None) -> list[int]:
    """The valid values just below and just above ``value`` on the lattice step*k + offset, within low..high.

    Past either end that is the one valid value at that end: the largest for a value above ``high``
    (the smallest there, as this once answered, turned a 30-second ask into a 0.4-second clip and
    split long project scenes into windows of a few frames).
    """
    below = value - ((value - offset) % step)
    above = below + step
    out = [v for v in (below, above) if v >= low and (high is None or v <= high)]
    if out:
        return out
    if high is not None and value > high:
        return [high - ((high - offset) % step)]
    return [low + ((offset - low) % step)]


def _length(seconds: float) -> str:
    """A clip's length as said to a person: three figures below a second, hundredths above."""
    return f"{seconds:.3g}" if seconds < 1 else f"{round(seconds, 2):g}"


def _or(values: list[int]) -> str:
    return " or ".join(str(v) for v in values)


def counted(count: int, noun: str) -> str:
    """``count`` of ``noun`` as a sentence says it: "1 frame", "2 frames" ("1 frames" read as a typo)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class SizeRules:
    """Which widths, heights and frame counts a model accepts.

    Frames must be ``frame_step * k + frame_offset`` (LTX: 8k+1, Wan: 4k+1).
    ``fixed_sizes`` pins a model to exact (width, height) pairs.
    """

    label: str
    multiple: int = 8
    min_side: int = 32
    max_side: int = 2048
    frame_step: int = 1
    frame_offset: int = 0
    min_frames: int = 1
    max_frames: int | None = None
    fixed_sizes: tuple[tuple[int, int], ...] = ()

    def check_size(self, width: int, height: int) -> None:
        if self.fixed_sizes and (width, height) not in self.fixed_sizes:
            valid = ", ".join(f"{w}x{h}" for w, h in self.fixed_sizes)
            raise InvalidRequest(
                f"size {width}x{height} is not supported ({self.label}); valid: {valid}",
                param="width",
            )
        for name, value in (("width", width), ("height", height)):
            if value < self.min_side or value > self.max_side:
                raise InvalidRequest(
                    f"{name} {value} is outside {self.min_side}..{self.max_side} ({self.label})",
                    param=name,
                )
            if value % self.multiple:
                near = _neighbours(value, self.multiple, 0, self.min_side, self.max_side)
                raise InvalidRequest(
                    f"{name} {value} is not a multiple of {self.multiple} ({self.label}); "
                    f"nearest valid: {_or(near)}",
                    param=name,
                )

    def frame_form(self) -> str:
        if self.frame_step == 1:
            return "any count"
        return (
            f"{self.frame_step}k+{self.frame_offset}"
            if self.frame_offset
            else f"a multiple of {self.frame_step}"
        )

    def check_frames(self, frames: int) -> None:
        # Each message starts with its field, so the command line says it as --frames.
        too_many = self.max_frames is not None and frames > self.max_frames
        if frames < self.min_frames and self.max_frames is None:  # it said "outside 2..None"
            raise InvalidRequest(
                f"num_frames: {counted(frames, 'frame')} is too few: it takes at least {self.min_frames} ({self.label})",
                param="num_frames",
            )
        if frames < self.min_frames or too_many:
            raise InvalidRequest(
                f"num_frames: {counted(frames, 'frame')} is outside {self.min_frames}..{self.max_frames} ({self.label})",
                param="num_frames",
            )
        if (frames - self.frame_offset) % self.frame_step:
            near = _neighbours(frames, self.frame_step, self.frame_offset, self.min_frames, self.max_frames)
            raise InvalidRequest(
                f"num_frames: {counted(frames, 'frame')} is not {self.frame_form()} ({self.label}); nearest valid: {_or(near)}",
                param="num_frames",
            )

    def snap_frames(self, frames: int) -> int:
        """The nearest valid frame count at or above ``frames``; past the longest count, the longest."""
        near = _neighbours(frames, self.frame_step, self.frame_offset, self.min_frames, self.max_frames)
        return next((v for v in near if v >= frames), near[-1])

    def frames_for_seconds(self, seconds: float, fps: float) -> int:
        """The frame count a ``seconds`` request makes: at least that long, or InvalidRequest when the
        model's longest clip is shorter, naming that length, or when the count lands far from it."""
        wanted = max(1, round(seconds * fps))
        frames = self.snap_frames(wanted)
        if frames < wanted:
            raise InvalidRequest(
                # The label describes the rules ("CogVideoX 1.0: sides multiples of 16 ..."), so it goes
                # in brackets: "one clip of CogVideoX 1.0: sides ... can be" read as a broken sentence.
                f"seconds {seconds:g} is longer than one clip can be ({self.label}): at most "
                f"{counted(frames, 'frame')}, {frames / fps:.2f} s at {fps:g} fps; ask for at most that, or make the video "
                "as a storyboard of several shots (`reelgen project`, or POST /v1/projects)",
                param="seconds",
            )
        self._check_close(seconds, fps, frames)
        return frames

    def _check_close(self, seconds: float, fps: float, frames: int) -> None:
        """Refuse a length that lands far from ``seconds`` on the frame lattice.

        Rounding within a frame step and a quarter of the ask is the lattice and stays silent; past
        that the clip made is another clip (2 s at 0.5 fps made 10 s, 0.01 s made 0.417 s, and 0.2 s
        at 0.5 fps made 2 s: within half a step, once also silent) and nothing in the answer said so,
        so the person is told what can be made and the rate that makes the length asked.
        """
        off = abs(frames / fps - seconds)
        if off <= self.frame_step / fps and off <= seconds / 4:
            return
        near = _neighbours(
            round(seconds * fps), self.frame_step, self.frame_offset, self.min_frames, self.max_frames
        )
        if len(near) == 1:  # below the shortest clip: it, and the next one up if the model makes it
            longer = near[0] + self.frame_step
            near += [longer] if self.max_frames is None or longer <= self.max_frames else []
        form = "" if self.frame_step == 1 else f", {self.frame_form()}"
        lengths = " or ".join(f"{_length(n / fps)} s ({counted(n, 'frame')})" for n in near)
        rates = [(n, round(n / seconds, 2)) for n in near if MIN_FPS <= round(n / seconds, 2) <= MAX_FPS]
        if rates:
            rated = " or ".join(f"{r:g} ({counted(n, 'frame')})" for n, r in rates)
            way = f"for {seconds:g} s set the frame rate (fps) to {rated}"
        else:
            way = f"no frame rate up to {MAX_FPS:g} fps makes {seconds:g} s; ask for a length it can make"
        raise InvalidRequest(
            f"seconds: {seconds:g} s at {fps:g} fps would be {_length(frames / fps)} s "
            f"({counted(frames, 'frame')}), as it makes at least {counted(self.snap_frames(self.min_frames), 'frame')}{form} "
            f"({self.label}); at {fps:g} fps the nearest lengths are {lengths}; {way}",
            param="seconds",
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "size_multiple": self.multiple,
            "min_side": self.min_side,
            "max_side": self.max_side,
            "frames": self.frame_form(),
            "min_frames": self.min_frames,
            "max_frames": self.max_frames,
            "fixed_sizes": [f"{w}x{h}" for w, h in self.fixed_sizes],
        }


def v2v_steps(steps: int, strength: float) -> int:
    """Denoising steps a video-to-video run makes: the last ``strength`` share of ``steps`` (SDEdit)."""
    return min(steps, int(steps * strength))


def least_v2v_strength(steps: int) -> float:
    """The smallest two-decimal ``source_strength`` that runs a denoising step out of ``steps``.

    1/steps to two places rounded down, as this once said, was itself refused: 0.33 x 3 steps is 0.99.
    """
    return next(c / 100 for c in range(1, 101) if v2v_steps(steps, c / 100) >= 1)


def check_v2v_steps(request: ResolvedRequest) -> None:
    """Refuse a video-to-video request whose ``source_strength`` leaves no denoising step to run."""
    steps = request.steps
    if request.task is Task.V2V and v2v_steps(steps, request.source_strength) < 1:
        raise InvalidRequest(
            f"source_strength {request.source_strength} x {counted(steps, 'step')} leaves no denoising step; "
            f"raise it to {least_v2v_strength(steps):.2f} or more, or use more steps",
            param="source_strength",
        )


def strength_with_extend() -> InvalidRequest:
    """A source strength given to task extend: no extend runner (LTX-Video, Wan VACE, SkyReels-V2) reads it."""
    return InvalidRequest(
        "source_strength: task extend continues the source clip (source_video) from its end and repaints "
        "none of it, so a strength would be ignored; leave it out, or ask for task v2v to repaint the clip",
        param="source_strength",
    )


#: The largest timestep shift a flow-matching model's options take. Published checkpoints and their
#: authors use 1 to 17 (reelgen-micro 2, Wan 3 to 12, SkyReels 5 to 8, HunyuanVideo 7, its i2v 17);
#: diffusers' schedulers take any positive shift, but far above this every step but the last sits at
#: full noise, and around 1e6 or more the schedule's sigmas round to 1 and the frames come out NaN.
MAX_FLOW_SHIFT = 100.0
