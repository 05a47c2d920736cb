"""The shoot-out report: one self-contained HTML file (every image inline) and a JSON file of every number.

The HTML needs nothing but itself: plots, contact sheets and previews are
embedded as data URIs, and there is no script or remote font, so it opens
offline, from an e-mail or a CI artefact. The same pictures are also written
as files beside it; past ``INLINE_CLIPS`` clips the page links the others' files instead.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reelgen import __version__
from reelgen.core.atomic import staged
from reelgen.core.encode import write_json_atomic
from reelgen.core.media import read_video
from reelgen.core.shootout import media
from reelgen.core.shootout.per_model import what_bars_are
from reelgen.core.shootout.results import STAGES, TrialResult
from reelgen.core.shootout.score import ranking
from reelgen.core.shootout.spec import PromptsFile

REPORT_FILE, RESULTS_FILE = "report.html", "results.json"
#: How much of report.html is read to find its title (it is on the first line).
_SNIFF_BYTES = 4096

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: #f3f3f3; } td.text { text-align: left; max-width: 28em; }
tr.failed td { background: #fdecea; }
figure { display: inline-block; margin: 0.5em; } figcaption { font-size: 12px; color: #555; }
img { border: 1px solid #ddd; }
"""


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _img(data: bytes, mime: str, alt: str) -> str:
    return f'<img src="{_data_uri(data, mime)}" alt="{html.escape(alt)}">'


#: What a score cell shows where nothing was measured (a failed trial, a model with no finished one).
NO_SCORE = "\u2014"


def _num(value: float | None, digits: int = 2, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"


def _row(r: TrialResult, currency: str) -> str:
    q = r.quality or {}
    what = r.error["message"] if r.error else "; ".join(r.problems) or "clean"
    cells = [
        f'<td class="text">{html.escape(r.model)}</td>',
        f'<td class="text">{html.escape(r.prompt_id)}</td>',
        f"<td>{r.status}</td>",
        f"<td>{_num(r.score, 1) if r.status == 'done' else NO_SCORE}</td>",
        *(f"<td>{_num(r.timings.get(s), 2)}</td>" for s in (*STAGES, "total")),
        f"<td>{_num(r.peak_vram_gib, 2)}</td>",
        f"<td>{_num(r.cost, 5)} {html.escape(currency) if r.cost is not None else ''}</td>",
        f"<td>{_num(q.get('temporal_ssim_mean'), 3)}</td>",
        f"<td>{_num(q.get('flicker'), 2)}</td>",
        f'<td class="text">{html.escape(what)}</td>',
    ]
    attrs = f'class="{r.status}" data-model="{html.escape(r.model)}" data-prompt="{html.escape(r.prompt_id)}"'
    return f"<tr {attrs}>{''.join(cells)}</tr>"


def _table(results: Sequence[TrialResult], currency: str) -> str:
    heads = ["model", "prompt", "status", "score", *(f"{s} s" for s in (*STAGES, "total")), "peak VRAM GiB"]
    heads += ["cost", "temporal SSIM", "flicker", "problems"]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    body = "\n".join(_row(r, currency) for r in results)
    return f'<table id="trials"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def _ranking(rows: list[dict[str, Any]]) -> str:
    # A model with no finished trial has no score: its 0 (failed trials count 0) read as a measured one.
    body = "".join(
        f'<tr><td class="text">{html.escape(row["model"])}</td>'
        f"<td>{_num(row['score'], 1) if row['done'] else NO_SCORE}</td>"
        f"<td>{row['done']} of {row['trials']}</td></tr>"
        for row in rows
    )
    return f'<table id="ranking"><tr><th>model</th><th>mean score</th><th>finished</th></tr>{body}</table>'


#: Clips whose contact sheet and preview the page holds inline; past them it links the files beside it.
#: A preview is 1-5 MB: every clip of 32 models x 1,000 prompts inline was a page of tens of GB, built
#: in memory after all the GPU time, and no browser opens one.
INLINE_CLIPS = 100


def _has_clip(r: TrialResult) -> bool:
    return r.clip is not None and Path(r.clip).is_file()


def _clip_pictures(r: TrialResult, folder: Path, inline: bool) -> str:
    """The trial's contact sheet and preview, written as files and inlined (or linked to those files)."""
    if r.clip is None or not _has_clip(r):
        return ""
    video = read_video(r.clip)
    sheet = media.png_bytes(media.contact_sheet(video.frames))
    preview = media.animated_preview(video.frames, float(video.fps))
    sheet_file, preview_file = f"sheets/{r.key}.png", f"previews/{r.key}.gif"
    media.write_bytes(folder / sheet_file, sheet)
    media.write_bytes(folder / preview_file, preview)
    title = html.escape(f"{r.model} on {r.prompt_id}: {r.prompt}")
    if inline:
        sheet_img = _img(sheet, "image/png", f"contact sheet of {r.key}")
        preview_img = _img(preview, "image/gif", f"preview of {r.key}")
    else:
        sheet_img = f'<img src="{html.escape(sheet_file)}" alt="{html.escape(f"contact sheet of {r.key}")}">'
        preview_img = f'<img src="{html.escape(preview_file)}" alt="{html.escape(f"preview of {r.key}")}">'
    return (
        f'<section class="clip" id="clip-{html.escape(r.key)}"><h3>{title}</h3>'
        f"<figure>{sheet_img}<figcaption>contact sheet</figcaption></figure>"
        f"<figure>{preview_img}<figcaption>preview</figcaption></figure>"
        "</section>"
    )


def _clips_note(results: Sequence[TrialResult]) -> str:
    """What the Clips part holds, when some clips are linked rather than inline."""
    clips = sum(_has_clip(r) for r in results)
    if clips <= INLINE_CLIPS:
        return ""
    return (
        f"<p>The first {INLINE_CLIPS} clips' pictures are in this page; the other {clips - INLINE_CLIPS:,} "
        "are linked to sheets/ and previews/ beside it (all inline, the page would be too large to open), "
        "so keep those folders with it.</p>"
    )


def _unscored(results: Sequence[TrialResult], prompts: PromptsFile) -> str:
    """The weighted parts no finished trial measured (VRAM and cost on a CPU), which the score left out:
    the weights alone read as if they had counted."""
    measured = {part for r in results if r.status == "done" for part in r.parts}
    if not measured:
        return ""
    missing = [k for k, v in prompts.weights.model_dump().items() if v and k not in measured]
    return f" (not measured here, so left out of the score: {', '.join(missing)})" if missing else ""


def foreign_report(folder: Path) -> Path | None:
    """The ``report.html`` or ``results.json`` in ``folder`` that no shoot-out wrote, if any: a run
    removes an earlier report as it starts and writes its own as it ends, and replaced a person's own
    results.json (an experiment's numbers) without a word."""
    results, report = folder / RESULTS_FILE, folder / REPORT_FILE
    ours = False
    if results.is_file():
        try:  # a shoot-out's results.json is ~2 KB a trial: 32 models x 1,000 prompts is ~64 MB
            data = json.loads(results.read_bytes()) if results.stat().st_size < 2**28 else None
        except ValueError:  # not JSON, or not UTF-8
            data = None
        ours = isinstance(data, dict) and isinstance(data.get("trials"), list)
        if not ours:
            return results
    if report.is_file() and not ours:
        with report.open("rb") as file:
            if b"<title>reelgen shoot-out</title>" not in file.read(_SNIFF_BYTES):
                return report
    return None


def remove_report(folder: str | Path) -> None:
    """Remove an earlier run's ``report.html`` and ``results.json`` from ``folder``, as a run starts: its
    clips are replaced one by one, and a run stopped part way left a report telling the old clips' numbers
    beside new clips of the same names."""
    for name in (REPORT_FILE, RESULTS_FILE):
        (Path(folder) / name).unlink(missing_ok=True)


def write_report(
    results: Sequence[TrialResult], prompts: PromptsFile, models: Sequence[str], folder: str | Path
) -> Path:
    """Write ``report.html``, ``results.json`` and the pictures into ``folder``; returns the HTML's path."""
    from reelgen.core.shootout import plots  # matplotlib: only where a report is drawn

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = ranking(results)
    pictures = {name: make(results) for name, make in plots.PLOTS.items()}
    for name, data in pictures.items():
        media.write_bytes(folder / "plots" / f"{name}.png", data)
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    numbers = {
        "reelgen": __version__,
        "created_at": created,
        "models": list(models),
        "prompts": [p.model_dump(mode="json") for p in prompts.prompts],
        "settings": prompts.settings.model_dump(mode="json"),
        "weights": prompts.weights.model_dump(mode="json"),
        "price_per_gpu_hour": prompts.price_per_gpu_hour,
        "currency": prompts.currency,
        "ranking": rows,
        "trials": [r.model_dump(mode="json") for r in results],
    }
    write_json_atomic(folder / RESULTS_FILE, numbers)
    weights = ", ".join(f"{k} {v:g}" for k, v in prompts.weights.model_dump().items())
    weights += _unscored(results, prompts)
    figures = "".join(
        f"<figure>{_img(data, 'image/png', f'{name} plot')}<figcaption>{name}</figcaption></figure>"
        for name, data in pictures.items()
    )
    head = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>reelgen shoot-out</title><style>{_STYLE}</style></head>
<body>
<h1>reelgen shoot-out</h1>
<p>{len(models)} model(s) x {len(prompts.prompts)} prompt(s), made {html.escape(created)} by reelgen {__version__}.
Score weights: {html.escape(weights)}. Cost at {prompts.price_per_gpu_hour:g} {html.escape(prompts.currency)} per
GPU-hour, load time excluded. Every number is in <a href="{RESULTS_FILE}">{RESULTS_FILE}</a>.</p>
<h2>Ranking</h2>
{_ranking(rows)}
<h2>Every run</h2>
{_table(results, prompts.currency)}
<h2>Plots</h2>
<p>{html.escape(what_bars_are(len(results)).capitalize())}.</p>
{figures}
<h2>Clips</h2>
{_clips_note(results)}
"""
    out = folder / REPORT_FILE
    # Written a clip at a time: the whole page was one string in memory, pictures and all.
    with staged(out) as (tmp,), tmp.open("w", encoding="utf-8") as page:
        page.write(head)
        shown = 0
        for r in results:
            section = _clip_pictures(r, folder, inline=shown < INLINE_CLIPS)
            shown += bool(section)
            page.write(section)
        page.write("\n</body></html>\n")
    return out
