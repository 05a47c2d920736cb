"""``reelgen enhance``: interpolate and upscale any video file, audio carried over unchanged, here or on a server."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from reelgen.cli.api_key import only_with_server
from reelgen.cli.client import KeyOpt, job_path, server_url
from reelgen.cli.enhance_options import EnhanceInterpolatorOpt, EnhanceUpscalerOpt
from reelgen.cli.enhance_source import folder_problem, source_problem
from reelgen.cli.output import QuietOpt, console, fail, output_option, parse_pairs, progress_bar, shown
from reelgen.cli.typed import given
from reelgen.core.atomic import LOOP, link_loop
from reelgen.core.enhance.out_name import Claim, claim_name
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.spec.request import EnhanceStep

Opt = typer.Option


def enhance(
    # Taken as text: read as a path, an empty IN was "." and crashed as an internal error.
    file: Annotated[
        str,
        typer.Argument(
            metavar="IN",
            # Empty refused here; a URL is said by source_problem, which knows --server's video ids.
            callback=given("a video file"),
            # What each path reads, in the words of its refusals: a server takes fewer kinds than FFmpeg.
            help="A video FFmpeg decodes (MP4, MOV, MKV, WebM, AVI, an animated GIF ...); "
            "with --server an MP4/MOV or WebM/MKV file, or a video id of the server.",
        ),
    ],
    output: Annotated[
        Path | None,
        output_option(
            "Output .mp4/.mov/.mkv/.webm, or .gif (looping, no sound) "
            "(default: IN-enhanced.mp4, or IN-enhanced-2.mp4 ... if taken)."
        ),
    ] = None,
    interpolate: Annotated[
        int | None, Opt(help="Multiply the frame rate: 2 to 16 (n frames become (n-1)*N+1).")
    ] = None,
    target_fps: Annotated[
        str | None,
        Opt(
            help="Interpolate to this exact rate instead: 60, 59.94 or 60000/1001 (above the clip's, at most 16x it)."
        ),
    ] = None,
    interpolator: EnhanceInterpolatorOpt = "auto",
    upscale: Annotated[
        float | None, Opt(help="Upscale by this factor: 2, 3, 4 (lanczos: any above 1, at most 8).")
    ] = None,
    upscaler: EnhanceUpscalerOpt = "auto",
    option: Annotated[
        list[str] | None, Opt("--option", help="STAGE.KEY=VALUE for a stage's options, e.g. rife.scale=0.5.")
    ] = None,
    device: Annotated[
        str | None, Opt(help="cpu, cuda or cuda:N (default: the GPU when there is one).")
    ] = None,
    as_json: Annotated[
        bool, Opt("--json", help="Print the record (with --server: the video object) as JSON.")
    ] = False,
    quiet: QuietOpt = False,
    server: Annotated[
        str | None,
        Opt(
            callback=server_url,
            help="Enhance on a running `reelgen serve` instead: IN is a file to upload or one of its video ids.",
        ),
    ] = None,
    api_key: KeyOpt = None,
) -> None:
    """Interpolate and/or upscale a video: fps stays exact, the audio is copied unchanged.

    Examples:

      reelgen enhance clip.mp4 -o smooth.mp4 --interpolate 2

      reelgen enhance clip.mp4 -o big.mp4 --interpolate 2 --upscale 2

      reelgen enhance clip.mp4 -o 60.mp4 --target-fps 60000/1001 \\
          --interpolator flow

      reelgen enhance clip.mp4 --interpolate 2 --server http://127.0.0.1:8000
    """
    from reelgen.core.enhance.auto import interpolation_step, upscale_step

    only_with_server(server, api_key)
    source, problem = Path(file), source_problem(file, server)
    if problem is not None:
        raise fail(problem)
    if source.is_dir():  # "." has no name to make IN-enhanced.mp4 of: it crashed as an internal error
        raise fail(folder_problem(source))
    if link_loop(source):
        raise fail(InvalidRequest(f"input: {source} {LOOP}; give a video file", param="input"))
    if interpolator != "auto" and interpolate is None and target_fps is None:
        raise typer.BadParameter(f"--interpolator {interpolator} needs --interpolate or --target-fps")
    if interpolate is not None and target_fps is not None:
        raise typer.BadParameter("--interpolate and --target-fps: give one of them, not both")
    if upscaler != "auto" and upscale is None:
        raise typer.BadParameter(f"--upscaler {upscaler} needs --upscale")
    fields: dict[str, Any] = {}
    if server is not None:
        here = [name for name, given in (("--option", option), ("--device", device)) if given]
        if here:
            raise typer.BadParameter(f"{' and '.join(here)}: for a run here only; the server chooses its own")
        asked = {"interpolate": interpolate, "target_fps": target_fps, "upscale": upscale}
        fields = {k: v for k, v in asked.items() if v is not None}
        if "target_fps" in fields:
            fields["target_fps"] = float(_rate(fields["target_fps"]))
        if "interpolate" in fields or "target_fps" in fields:
            fields["interpolator"] = interpolator
        if "upscale" in fields:
            fields["upscaler"] = upscaler
    try:  # claimed now, not once written: two runs at once both took IN-enhanced.mp4, and one was lost
        claim = Claim(output) if output is not None else claim_name(source)
    except InvalidRequest as exc:
        raise fail(_as_option(exc, [])) from None
    with claim as out:  # held until the video is in place, or the run has failed
        if server is not None:
            try:
                video = _remote(source, out, fields, server, api_key, quiet)
            except ReelgenError as exc:
                raise fail(_as_option(exc, [])) from None
            _said(json.dumps(video, indent=2) if as_json else None, out)
            return
        try:
            steps: list[EnhanceStep] = []
            if interpolate is not None or target_fps is not None:
                rate = None if target_fps is None else str(_rate(target_fps))
                steps.append(interpolation_step(interpolate, rate, interpolator))
            if upscale is not None:
                steps.append(upscale_step(upscale, upscaler))
            steps = _with_options(steps, parse_pairs(option or [], "--option"))
            result = _run(source, out, steps, device, quiet)
        except ReelgenError as exc:
            raise fail(_as_option(exc, steps)) from None
        for stage in result.metadata["enhance"] if not quiet else ():  # step lines: -q leaves them out
            console.print(f"[dim]{stage['name']}: {_describe(stage)}[/]")
        _said(json.dumps(result.metadata, indent=2, default=str) if as_json else None, result.path)


def _said(as_json: str | None, path: Path) -> None:
    """The path on stdout, or with --json the JSON alone there (a script parses it) and the path on stderr."""
    if as_json is None:
        typer.echo(str(path))
        return
    typer.echo(as_json)
    # Escaped: an output named "a[/].mp4" ended, once written, in "internal error (MarkupError)", exit 1.
    console.print(f"wrote {shown(str(path))}", highlight=False)


def _run(source: Path, out: Path, steps: list[EnhanceStep], device: str | None, quiet: bool) -> Any:
    from reelgen.core.devices import device_info
    from reelgen.core.enhance.files import enhance_file
    from reelgen.core.progress import Progress

    progress = Progress()
    with progress_bar(progress.cancel, quiet) as on_event:
        progress.on_event = on_event
        return enhance_file(source, out, steps, progress=progress, device=device_info(device).device)


def _remote(
    source: Path, out: Path, fields: dict[str, Any], server: str, api_key: str | None, quiet: bool
) -> dict[str, Any]:
    """Queue the enhancement on ``server`` (an upload, or one of its videos by id), follow it, download it."""
    from reelgen.cli.client import ClientError, _call, _exit, _watch
    from reelgen.cli.download import fetch_with_record
    from reelgen.core.atomic import missing_folders, remove_empty
    from reelgen.core.enhance.files import check_output

    if out.suffix.lower() != ".mp4":
        raise typer.BadParameter(f"--output {out.name}: the server makes an MP4; give a name ending in .mp4")
    if not fields:  # said before the upload, in the words of a run here, not the server's field names
        raise InvalidRequest(
            "nothing to do: ask for --interpolate, --target-fps or --upscale", param="enhance"
        )
    # The checks a run here makes, before the upload: the download went over IN itself or a person's
    # OUTPUT.json, and a folder on the way that did not exist failed as an internal error after the job.
    check_output(source if source.is_file() else None, out)
    # The upload is the multipart field `file`, a name never typed: "file: not a readable video" is said
    # of IN, the path the person gave.
    flags = {**FIELD_FLAGS, "file": f"IN {source}"}
    try:
        if source.is_file():
            form = {k: str(v) for k, v in fields.items()}
            upload = {"file": (source.name, source.read_bytes())}
            video = _call(server, api_key, "POST", "/v1/videos/enhance", data=form, files=upload).json()
        elif re.fullmatch(r"video_[0-9a-f]+", str(source)):
            video = _call(server, api_key, "POST", job_path(str(source), "enhance"), json=fields).json()
        else:
            raise typer.BadParameter(
                f"IN: {source} is neither a file nor a video id (video_...) of the server"
            )
        # A failed job, as a refusal (below), names the server's fields ("target_fps 12 must be above
        # ..."): said with the options typed, as the run here says them.
        if _watch(server, api_key, video["id"], quiet, flags, downloads=True) != "completed":
            raise typer.Exit(1)
        new_folders = missing_folders(out.parent)
        out.parent.mkdir(parents=True, exist_ok=True)  # as a run here makes them
        try:
            fetch_with_record(server, api_key, video["id"], out)
        finally:
            remove_empty(new_folders)  # only those left empty: a failed download
        final: dict[str, Any] = _call(server, api_key, "GET", job_path(video["id"])).json()
    except ClientError as exc:
        raise _exit(exc, flags) from None
    return final


def _rate(text: str) -> Fraction:
    """``--target-fps`` as an exact rate, checked here for both paths (the server path used to crash on 60/0)."""
    from reelgen.core.rates import parse_rate

    try:
        return parse_rate(text)
    except ValueError:
        pass
    try:
        number: Fraction | None = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        number = None
    if number is not None and number <= 0:  # a number, not a rate: "'0' is not a rate" read as a typo
        raise typer.BadParameter(
            f"--target-fps {text}: a frame rate must be above 0; give e.g. 60, 59.94 or 60000/1001"
        )
    raise typer.BadParameter(f"--target-fps {text!r} is not a rate; give e.g. 60, 59.94 or 60000/1001")


def _with_options(steps: list[EnhanceStep], pairs: dict[str, Any]) -> list[EnhanceStep]:
    """The steps with ``STAGE.KEY=VALUE`` pairs merged into the options of the stage they name."""
    from reelgen.core.enhance.registry import enhancers

    names, known = [step.name for step in steps], enhancers()
    if pairs and not steps:  # "name a stage of this run ()": there was none to name
        raise typer.BadParameter(
            "nothing to do: ask for --interpolate, --target-fps or --upscale; --option only sets their stages' options"
        )
    for key in pairs:
        stage, dot, field = key.partition(".")
        if dot and stage and not field.strip():  # said as "enhance[0].options is not a known field"
            raise typer.BadParameter(
                f"--option {key}: give a KEY after {stage}. (STAGE.KEY=VALUE, e.g. rife.scale=0.5)"
            )
        kind = known[stage].stage if stage in known else None
        instead = next((n for n in names if n in known and known[n].stage == kind), None)
        if dot and instead is not None and stage != instead:
            # --upscale 8 was sent to --upscaler esrgan, which then refused x8: no named model makes it.
            unmade = _unmade(stage, steps[names.index(instead)])
            if unmade:
                raise typer.BadParameter(
                    f"--option {key}: this run {kind}s with {instead}, not {stage}: {unmade}"
                )
            # auto took another method (esrgan's models not pulled): "name a stage of this run
            # (lanczos)" left the person to guess why the stage they named was not in it.
            why, flag = (
                _why_not(stage, steps[names.index(instead)]),
                {"interpolate": "--interpolator", "upscale": "--upscaler"},
            )
            raise typer.BadParameter(
                f"--option {key}: this run {kind}s with {instead}, not {stage}"
                + (f" ({why})" if why else "")
                + (f"; {stage}'s options go with {flag[str(kind)]} {stage}" if kind in flag else "")
            )
        if not dot or stage not in names:
            raise typer.BadParameter(
                f"--option {key}: name a stage of this run ({', '.join(names)}) as STAGE.KEY"
            )
    _refuse_flag_options(steps, pairs)
    out = []
    for step in steps:
        extra = {k.partition(".")[2]: v for k, v in pairs.items() if k.partition(".")[0] == step.name}
        out.append(step.model_copy(update={"options": {**step.options, **extra}}) if extra else step)
    return out


def _unmade(stage: str, taken: EnhanceStep) -> str | None:
    """Why ``stage`` could not make the factor of the ``taken`` step at all, or None: esrgan's named
    models make x2, x3 or x4, a checkpoint file its own whole factor."""
    from reelgen.core.enhance.upscale.models import NAMED

    scale = taken.options.get("scale")
    if stage != "esrgan" or not isinstance(scale, int | float):
        return None
    made = sorted({s for named in NAMED.values() for s in named.scales})
    flags = f"{', '.join(map(str, made[:-1]))} or {made[-1]}"
    factors = f"{', '.join(f'x{s}' for s in made[:-1])} or x{made[-1]}"
    if not float(scale).is_integer():
        return f"esrgan takes whole factors, not x{scale:g}; give --upscale {flags}"
    if int(scale) in made:
        return None
    return (
        f"no named esrgan model upscales by x{scale:g} (they make {factors}); "
        f"give --upscale {flags}, or --upscaler with a checkpoint file that makes x{scale:g}"
    )


def _why_not(stage: str, taken: EnhanceStep) -> str | None:
    """Why ``auto`` took the ``taken`` step rather than ``stage`` (its weights not pulled), or None."""
    from reelgen.core.enhance.registry import enhancers
    from reelgen.core.enhance.upscale.models import auto_model_missing

    if stage == "esrgan":  # for the factor asked: the x4 files alone made x2 "not on this machine"
        scale = taken.options.get("scale")
        factor = int(scale) if isinstance(scale, int | float) and float(scale).is_integer() else None
        return auto_model_missing(factor)
    return enhancers()[stage].missing()


#: Stage options set by their own flag, by the kind of stage; any other is ``--option STAGE.KEY``.
#: Keyed by kind because two stages share a key: RIFE's ``scale`` is its flow resolution, not ``--upscale``.
FLAGS = {
    ("interpolate", "factor"): "--interpolate",
    ("interpolate", "target_fps"): "--target-fps",
    ("upscale", "scale"): "--upscale",
}


def _refuse_flag_options(steps: list[EnhanceStep], pairs: dict[str, Any]) -> None:
    """Refuse ``--option`` for what a flag of its own sets (the factor, the rate, the scale, the model).

    The option won silently: ``--upscale 2 --option esrgan.scale=4`` wrote a x4 clip, and
    ``--interpolate 2 --option rife.factor=3`` a x3 one; a bad value (``rife.factor=abc``) was blamed
    on ``--interpolate``, which was right.
    """
    from reelgen.core.enhance.registry import enhancers

    known = enhancers()
    for key in pairs:
        stage, _, field = key.partition(".")
        kind = known[stage].stage if stage in known else ""
        flag = SET_BY.get((kind, field)) or FLAGS.get((kind, field))
        if flag is not None:  # with the value typed: "give it there" left the person to rewrite it
            value = pairs[key] if isinstance(pairs[key], str) else json.dumps(pairs[key])
            said = f"--option {key}: {flag} sets it; give {flag.split()[0]} {value}, not an --option"
            raise typer.BadParameter(said)


#: Stage options a flag sets though its errors are not said as that flag's (``model`` is named by
#: ``--upscaler``, as a model or a checkpoint file).
SET_BY = {
    ("interpolate", "factor"): "--interpolate (or --target-fps)",
    ("interpolate", "target_fps"): "--target-fps (or --interpolate)",
    ("upscale", "model"): "--upscaler",
}


#: Request fields whose errors start with their own name, and the flag that sets each.
FIELD_FLAGS = {
    "interpolate": "--interpolate",
    "target_fps": "--target-fps",
    "interpolator": "--interpolator",
    "upscale": "--upscale",
    "upscaler": "--upscaler",
    "output": "--output",  # "output: a.json does not end in ...": generate says "--output: ..."
}


def _as_option(exc: ReelgenError, steps: list[EnhanceStep]) -> ReelgenError:
    """A stage option's problem said with what was typed: ``--upscale: ...``, not ``enhance[0].options.scale: ...``."""
    if exc.param in FIELD_FLAGS:
        # The request's own fields, said as core names them: "target_fps 12 must be above ...".
        if exc.message.startswith((f"{exc.param} ", f"{exc.param}:")):
            return InvalidRequest(
                FIELD_FLAGS[exc.param] + exc.message.removeprefix(exc.param), param=exc.param
            )
        if isinstance(exc, InvalidRequest) and exc.param != "output":  # "... up to -999; give -o" as it is
            # Or not named at all: "realesrgan-x4plus upscales by x4, not x2" did not say which flag.
            return InvalidRequest(f"{FIELD_FLAGS[exc.param]}: {exc.message}", param=exc.param)
    found = re.match(r"enhance\[(\d+)\]\.options\.(\w+)", exc.param or "")
    if found is None or not exc.message.startswith(found.group(0)) or int(found.group(1)) >= len(steps):
        return exc
    from reelgen.core.enhance.registry import enhancers

    key, name = found.group(2), steps[int(found.group(1))].name
    known = enhancers()
    kind = known[name].stage if name in known else ""
    flag = FLAGS.get((kind, key), f"--option {name}.{key}")
    return InvalidRequest(flag + exc.message.removeprefix(found.group(0)), param=exc.param)


def _describe(stage: dict[str, object]) -> str:
    keys = ("layout", "runtime", "arch", "device", "dtype", "scale", "made", "cuts", "seconds")
    return ", ".join(f"{k} {stage[k]}" for k in keys if stage.get(k) not in (None, [], ""))


def register(app: typer.Typer) -> None:
    app.command()(enhance)
