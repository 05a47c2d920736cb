"""Batches: a manifest of items (keyframes, prompt template, model, motion, seed, output name), run resumably.

    from reelgen.core.batch import create_manifest, run_batch
    summary = run_batch("shots/manifest.json")     # finished items are skipped by content key

A ``batch`` job handler calls the same pieces: ``plan_batch`` (items ->
resolved requests under stable keys), ``write_companions`` per finished child
and ``summarize`` at the end.
"""

from reelgen.core.batch.companions import finished, video_meta, write_companions
from reelgen.core.batch.create import create_manifest, item_seed, read_defaults, write_manifest
from reelgen.core.batch.manifest import (
    MANIFEST_FILE,
    BatchDefaults,
    BatchItem,
    Manifest,
    load_manifest,
    manifest_schema,
)
from reelgen.core.batch.plan import (
    PlannedItem,
    check_models,
    content_key,
    output_folder,
    plan_batch,
    plan_item,
)
from reelgen.core.batch.prompt import fill_prompt
from reelgen.core.batch.run import SUMMARY_FILE, run_batch, run_item
from reelgen.core.batch.summary import BatchSummary, ItemOutcome, Problem, outcome_of, summarize

__all__ = [
    "MANIFEST_FILE",
    "SUMMARY_FILE",
    "BatchDefaults",
    "BatchItem",
    "BatchSummary",
    "ItemOutcome",
    "Manifest",
    "PlannedItem",
    "Problem",
    "check_models",
    "content_key",
    "create_manifest",
    "fill_prompt",
    "finished",
    "item_seed",
    "load_manifest",
    "manifest_schema",
    "outcome_of",
    "output_folder",
    "plan_batch",
    "plan_item",
    "read_defaults",
    "run_batch",
    "run_item",
    "summarize",
    "video_meta",
    "write_companions",
    "write_manifest",
]
