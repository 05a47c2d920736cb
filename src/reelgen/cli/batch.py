"""`reelgen manifest create | schema` and `reelgen batch MANIFEST`: batches of clips, in this process or on a server."""

from __future__ import annotations

import difflib
import json
import math
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from reelgen.cli import typed
from reelgen.cli.api_key import only_with_server
from reelgen.cli.client import KeyOpt
from reelgen.cli.output import QuietOpt, console, fail, positive_gib, progress_bar, say_error, shown
from reelgen.cli.remote import ServerError, ServerOpt, refuse, run_on_server
from reelgen.cli.remote import fail as remote_fail
from reelgen.cli.sigterm import Terminated, stopped_by_sigterm
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.progress import Progress

if TYPE_CHECKING:
    from reelgen.core.batch import Manifest
    from reelgen.core.batch.summary import BatchSummary, ItemOutcome

manifest_app = typer.Typer(
    help="Batch manifests: one item per keyframe image, with prompt template, model, motion and seed.",
    no_args_is_help=True,
)

Opt = typer.Option


@manifest_app.command("create")
def create(
    folder: Annotated[Path, typer.Argument(help="A folder of keyframe images (png, jpg, webp ...).")],
    defaults: Annotated[
        Path | None,
        Opt("--defaults", "-d", help="YAML of settings every item starts from (model, prompt ...)."),
    ] = None,
    output: Annotated[
        Path | None, Opt("--output", "-o", help="Where to write it (default FOLDER/manifest.json).")
    ] = None,
    force: Annotated[bool, Opt("--force", help="Overwrite an existing manifest.")] = False,
) -> None:
    """Build a manifest with one item per image in FOLDER, each with its own seed.

    Example (defaults.yaml holds the model, a prompt with {placeholders} ...):

      reelgen manifest create shots/ --defaults defaults.yaml
      reelgen batch shots/manifest.json
    """
    from reelgen.core.atomic import check_writable
    from reelgen.core.batch import MANIFEST_FILE, check_models, create_manifest, write_manifest
    from reelgen.core.batch.create import numbered
    from reelgen.core.batch.prompt import check_prompts

    target = output or folder / MANIFEST_FILE
    try:
        if defaults is not None and defaults.is_dir():  # read as missing, it was said not to exist
            raise InvalidRequest(f"--defaults {defaults} is a folder; give a YAML file of settings")
        # A bad folder or defaults file is said first. Image paths start from where the manifest goes.
        manifest = create_manifest(folder, defaults, manifest_dir=target.parent)
        # A typo'd model was written into the manifest, every item of which then failed the batch.
        check_models(manifest, f"defaults file {defaults}", unnamed_ok=True)  # the model may come later
        # A folder (even with --force) or a path through a file ended in a traceback from the write.
        check_writable(target, "--output" if output else "manifest")
        check_not_a_keyframe(manifest, target)
        if target.exists() and not force:
            raise InvalidRequest(f"{target} exists; pass --force to overwrite it or -o to write elsewhere")
        target.parent.mkdir(parents=True, exist_ok=True)  # as generate's -o makes its folders
        write_manifest(manifest, target)
    except ReelgenError as exc:
        raise fail(exc) from None
    try:  # written all the same: the person may still give the items the variable
        check_prompts(manifest)
    except InvalidRequest as exc:  # found only by `reelgen batch`, after the manifest was edited
        console.print(
            f"[yellow]warning:[/] {shown(exc.message)}; `reelgen batch` refuses the manifest until its prompts fill",
            highlight=False,
        )
    for line in numbered(manifest):  # a name other than its file's was found only in the manifest
        console.print(f"[yellow]renamed:[/] {shown(line)}", highlight=False)
    # Quoted and escaped: a folder with a space gave a command that did not run when copied, and one
    # named "takes [final]" was printed "takes /manifest.json", its brackets read as Rich markup.
    said = shown(shlex.quote(str(target)))
    console.print(f"{len(manifest.items)} item(s); edit {said}, then `reelgen batch {said}`", highlight=False)
    typer.echo(str(target))


def check_not_a_keyframe(manifest: Manifest, target: Path) -> None:
    """Refuse a manifest written over one of its own keyframe images: ``-o shots/a.png --force``
    replaced the picture with JSON, and its item then failed as "not a readable image"."""
    for i, item in enumerate(manifest.items):
        for image in item.images:
            if (target.parent / image).resolve() == target.resolve():
                raise InvalidRequest(
                    f"--output {target} is items[{i}]'s keyframe image; write the manifest to a .json file",
                    param="output",
                )


@manifest_app.command("schema")
def schema() -> None:
    """Print the manifest's JSON schema: every field, its type and its limits.

    The guide with examples, docs/batch.md, is in reelgen's source, not in an
    installed wheel; the /docs page of `reelgen serve` shows the same schema
    (POST /v1/batches, manifest).
    """
    from reelgen.core.batch import manifest_schema

    typer.echo(json.dumps(manifest_schema(), indent=2))


def gpu_hour_price(value: float | None) -> float | None:
    """``--price-per-gpu-hour``'s check (batch and shootout): a finite price of 0 or more.

    ``inf`` was taken (the summary said "estimated cost nan", and a shoot-out's results.json held
    Infinity and NaN, which JSON readers refuse) and ``nan`` was told "should be greater than or equal to 0".
    """
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise typer.BadParameter(
            f"{value:g} is not a price; give the price of an hour of GPU time, 0 or more"
        )
    return value


def batch(
    manifest: Annotated[Path, typer.Argument(help="The manifest JSON (see `reelgen manifest create`).")],
    output_dir: Annotated[
        str | None,  # not Path: click makes "" into ".", and the clips went into the current folder
        Opt(
            "--output-dir",
            callback=typed.given("a folder"),
            help="Where outputs go (default: the manifest's output_dir).",
        ),
    ] = None,
    price: Annotated[
        float | None,
        Opt(
            "--price-per-gpu-hour",
            callback=gpu_hour_price,
            help="Price the summary's model time, 0 or more (default: the manifest's).",
        ),
    ] = None,
    vram_budget: Annotated[
        float | None, Opt("--vram-budget", callback=positive_gib, help="GiB of VRAM to plan for.")
    ] = None,
    device: Annotated[str | None, Opt(help="cpu, cuda or cuda:N (default: first GPU, else CPU).")] = None,
    quiet: QuietOpt = False,
    server: ServerOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Make every item of a manifest; items finished by an earlier run are skipped.

    Next to each output go <name>.video_meta.json (what was made, how, its
    metrics) and <name>.motion.json (the camera path). Ends with a summary:
    done, failed and skipped with reasons, time, peak VRAM and estimated cost.
    Exit status 1 when an item failed, or another batch writes in the output
    folder now (or, with --server, the server failed or did not answer); 2 when
    the manifest or an option is wrong, as this command or the server (an HTTP
    4xx answer other than that busy folder's 409) finds.

    With --server the batch runs as a job on a server, which reads the keyframes
    and writes the same files into the same folders on its disk (its
    REELGEN_BATCH_ROOTS must include them); this command follows it and prints
    the summary.

    Examples:

      reelgen batch shots/manifest.json --price-per-gpu-hour 2.5
      reelgen batch shots/manifest.json --server http://127.0.0.1:8000
    """
    only_with_server(server, api_key)  # a key typed with no --server: refused, said why
    from reelgen.core.batch import SUMMARY_FILE, load_manifest, output_folder, run_batch
    from reelgen.core.batch.overwrites import check_spares_file
    from reelgen.core.batch.server_outputs import check_server_outputs

    progress = Progress(preview_every=0)
    # "~" expanded as the shell does not in --output-dir=~/renders: a folder named "~" was made here.
    out = Path(output_dir).expanduser().resolve() if output_dir else None
    try:
        spec = load_manifest(manifest)
        base = manifest.resolve().parent
        if out is not None and out.exists() and not out.is_dir():  # named as typed, not as output_dir
            raise InvalidRequest(
                f"--output-dir: {output_dir} is a file; give a folder for the outputs (it is made if missing)",
                param="output_dir",
            )
        check_spares_file(spec, output_folder(spec, base, out), manifest)  # the run would write over it
        if server is not None:
            refuse({"--device": device, "--vram-budget": vram_budget})
            check_server_outputs(spec, f"manifest {manifest}")  # a server makes MP4s only
            check_video_models(spec, f"manifest {manifest}")
            return _on_server(manifest, spec, out, price, server, api_key, quiet)
        if device is not None:  # else every item failed on it, a summary written and exit 1
            check_device(device)
        done: list[ItemOutcome] = []  # what a kill says was kept, as a Ctrl-C's cancel says it
        try:
            with progress_bar(progress.cancel, quiet) as on_event:
                progress.on_event = on_event
                summary = run_batch(
                    spec,
                    base_dir=base,
                    output_dir=out,
                    progress=progress,
                    device=device,
                    vram_budget_gib=vram_budget,
                    price_per_gpu_hour=price,
                    on_item=done.append,
                    source=f"manifest {manifest}",
                    manifest_file=manifest,
                )
        except Terminated:
            raise stopped_by_sigterm(_killed(progress, done, len(spec.items))) from None
    except ReelgenError as exc:
        raise fail(exc) from None
    say_summary(summary)
    typer.echo(str(output_folder(spec, base, out) / SUMMARY_FILE))
    if summary.failed:
        raise typer.Exit(1)


def check_video_models(spec: Manifest, source: str) -> None:
    """A talking-avatar model (reelgen-lipsync) refused before the batch is sent, in a local run's words:
    it was sent, and only the server refused it. A name this client does not know is checked against the
    server's own list (cli.server_models), which may hold more models than this install."""
    from reelgen.core.batch.conditioned import AVATAR_MODEL
    from reelgen.core.motion.makes import makes_video, what_it_makes
    from reelgen.core.spec import registry

    known = registry.presets()
    for i, item in enumerate(spec.items):
        name, where = (
            (item.model, f"items[{i}].model") if item.model else (spec.defaults.model, "defaults.model")
        )
        if name in known and not makes_video(preset := known[name][1]):
            made = what_it_makes(preset)
            raise InvalidRequest(f"{source}: {where}: {AVATAR_MODEL.format(made=made)}", param=where)


def say_summary(summary: BatchSummary) -> None:
    """The summary's lines, escaped: a reason naming a missing ``x[/].png`` ended the run, its clips
    made and summary written, in "internal error (MarkupError ...)", and ``[b]y.png`` lost its brackets."""
    for line in summary.lines():
        console.print(shown(line), highlight=False)


def _killed(progress: Progress, done: list[ItemOutcome], total: int) -> str:
    """A batch stopped by a kill, said in the words of one stopped with Ctrl-C (core.batch.run): the items
    finished and kept, and that running it again does the rest."""
    from reelgen.core.batch.run import stopped_batch

    progress.cancel.cancel("stopped by SIGTERM")  # the run is over: this only names the cause
    return stopped_batch(progress, dict(enumerate(done)), total).message


def check_device(device: str) -> None:
    """Refuse a ``--device`` this machine has not, named as the option, before any item runs."""
    from reelgen.core.devices import device_info

    try:
        device_info(device)
    except InvalidRequest as exc:
        raise InvalidRequest(f"--device: {exc.message}", param="device") from None


def _on_server(
    manifest: Path,
    spec: Manifest,
    out: Path | None,
    price: float | None,
    server: str,
    api_key: str | None,
    quiet: bool,
) -> None:
    """The batch as a job on ``server``: the manifest and this machine's folders sent, followed to the end."""
    from reelgen.cli.busy_folder import folder_busy
    from reelgen.cli.server_models import check_server_models, names_models, server_models
    from reelgen.core.batch import BatchSummary
    from reelgen.core.textfile import read_json

    try:
        offered = server_models(server, api_key) if names_models(spec) else None
    except ServerError as exc:
        raise remote_fail(exc) from None
    if offered is not None:  # an unknown model refused here, naming the item, before anything is sent
        check_server_models(spec, f"manifest {manifest}", server, offered)
    body = {
        # Read as load_manifest read it: json.loads of the raw text died on a UTF-8 BOM the local
        # run takes, with "internal error (JSONDecodeError: Unexpected UTF-8 BOM ...)".
        "manifest": read_json(manifest, f"manifest {manifest}", param="manifest"),
        "input_folder": str(manifest.resolve().parent),
        "output_folder": str(out) if out else None,
        "price_per_gpu_hour": price,
        "name": manifest.name,
    }
    try:
        done = run_on_server(server, api_key, "batches", body, "batch", quiet)
    except ServerError as exc:
        busy = folder_busy(exc, server, "output_dir", "set another output_dir (or --output-dir)")
        raise remote_fail(busy or about_manifest(exc, manifest)) from None
    if done["status"] != "completed":
        error = (done.get("error") or {}).get("message")
        say_error(
            f"manifest {manifest}: the batch "
            f"{'was cancelled' if done['status'] == 'cancelled' else done['status']} on the server"
            + (f": {error}" if error else "")
        )
        raise typer.Exit(1)
    # The fields this client knows: a newer server's summary may carry more (a ValidationError ended it).
    known = {k: v for k, v in done["summary"].items() if k in BatchSummary.model_fields}
    summary = BatchSummary.model_validate(known)
    say_summary(summary)
    if not Path(done["summary_file"]).is_file():  # a server on another disk
        console.print(
            f"the clips and the summary are in {shown(done['output_folder'])} on the server", highlight=False
        )
    typer.echo(done["summary_file"])
    if summary.failed:
        raise typer.Exit(1)


#: The create body's own fields, said as what the person gave for them (the rest are the manifest's).
_SENT = {
    "input_folder": "its folder",
    "output_folder": "the output folder",
    "price_per_gpu_hour": "--price-per-gpu-hour",
}


def about_manifest(exc: ServerError, manifest: Path) -> ServerError:
    """A server's refusal of the batch said as a local run says it: ``manifest PATH: items[1].model: ...``.

    The server knows the manifest only as the body's ``manifest`` field, so it said
    ``HTTP 400: items[1].model: ... (manifest.items[1].model)``, naming no file. Answers about no
    field (a wrong API key, a full queue, no server) are not the manifest's and stay as they are.
    """
    if exc.said is None or not exc.param:
        return exc
    field = exc.param.removeprefix("manifest.")
    said = exc.said.removeprefix("manifest.")
    if exc.param in _SENT:
        said = said.replace(exc.param, _SENT[exc.param], 1) if said.startswith(exc.param) else said
    elif not said.startswith(field):
        said = f"{field}: {said}"
    return ServerError(
        f"HTTP {exc.status}: manifest {manifest}: {said}",
        exc.status,
        bad_input=exc.bad_input,
        param=exc.param,
        said=said,
    )


class ManifestFirst(TyperCommand):
    """``reelgen batch``, which takes the manifest itself: a word before it is said to be no subcommand.

    ``reelgen batch run m.json`` read ``run`` as the manifest and was told only
    ``Got unexpected extra argument(s) (m.json)``, about the one word that was right.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True  # to see the extras, then say them
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if not ctx.args or ctx.resilient_parsing:
            return rest
        word, then = str(ctx.params.get("manifest") or ""), ctx.args[0]
        if re.fullmatch(r"[A-Za-z][\w-]*", word) and not Path(word).exists():
            made = [str(c.name) for c in manifest_app.registered_commands]  # create, schema
            near = difflib.get_close_matches(word.lower(), made, n=1, cutoff=0.6)
            if word == "manifest":  # `reelgen batch manifest create shots/`: one word too many
                hint = f"did you mean `reelgen manifest {' '.join(ctx.args)}`?"
            elif near:
                hint = f"did you mean `reelgen manifest {near[0]}`?"
            else:
                hint = f"give the manifest itself: `reelgen batch {then}` (add --server URL to run it on a server)"
            ctx.fail(f"{word!r} is not a subcommand: `reelgen batch` has none; {hint}")
        ctx.fail(
            f"Got unexpected extra argument(s) ({' '.join(ctx.args)}); `reelgen batch` takes one manifest"
        )
        return rest  # not reached: ctx.fail raises


def register(app: typer.Typer) -> None:
    app.add_typer(manifest_app, name="manifest")
    app.command(cls=ManifestFirst)(batch)
