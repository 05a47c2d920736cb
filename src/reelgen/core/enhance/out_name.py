"""The name an enhancement or a replay is written under when none is given, claimed so two runs at once never
share it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelgen.core.errors import InvalidRequest
from reelgen.core.flock import LockHeld, let_go, try_flock


@dataclass(frozen=True)
class Claim:
    """A name to write to; as a ``with`` block, the claim on it is let go when the block ends."""

    path: Path
    #: The descriptor holding the name's lock file, or None where none was taken (a name given, say).
    fd: int | None = None

    @property
    def lock(self) -> Path:
        # Hidden, beside the output: the name itself stays free of any half-made file while the run works.
        return self.path.with_name(f".{self.path.name}.lock")

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *_: object) -> None:
        if self.fd is not None:  # the video is in place by now, or the run wrote nothing
            let_go(self.lock, self.fd)


def claim_name(source: Path, tag: str = "enhanced", suffix: str = ".mp4") -> Claim:
    """IN-TAG.mp4 beside ``source`` (IN-TAG-2.mp4 ... where its video or record is taken, or another
    run holds its claim); ``suffix`` in place of .mp4. Two runs at the same time both found IN-TAG.mp4
    free, as neither had written yet, and the later one's video replaced the earlier's; the claim is a
    lock (flock), so a run killed part-way holds none and the next run may take its name.
    """
    base = source.with_suffix(suffix)
    for n in range(1, 1000):
        claim = Claim(base.with_name(f"{base.stem}-{tag}{'' if n == 1 else f'-{n}'}{suffix}"))
        try:
            fd = try_flock(claim.lock)
        except LockHeld:
            continue  # another run is writing it
        except OSError:
            # A name too long, a folder that takes no file, a file system with no locks: the output's
            # own checks word the first two; on the last the name goes unclaimed, as it always did.
            return claim
        taken = claim.path.exists() or claim.path.with_suffix(".json").exists()
        if not taken:  # looked at under the lock: a run that held it wrote its video before letting go
            return Claim(claim.path, fd)
        let_go(claim.lock, fd)
    raise InvalidRequest(f"{base.parent} already holds {base.stem}-{tag} up to -999; give -o", param="output")


def claim_again(path: Path, output: Path | str | None = None) -> Claim:
    """Where ``reelgen replay`` of the video (or sidecar) ``path`` writes: ``output`` when given, else
    NAME-again.EXT beside it, claimed (``claim_name``): two replays of one clip at once both wrote
    NAME-again.EXT. A sidecar's video is an MP4."""
    if output is not None:
        return Claim(Path(output))
    return claim_name(path, "again", ".mp4" if path.suffix.lower() == ".json" else path.suffix)
