// The Batches view: a batch manifest run on the server (POST /v1/batches), reading its keyframes and
// writing its clips in folders on the server's own disk, and every batch with live counts and its summary.
import { post } from "./api.js";
import { parseExact, stringifyExact } from "./exact_json.js";
import { clearErrors, showError } from "./fields.js";
import { notJson } from "./json_place.js";
import { parentList } from "./parents.js";
import { foldersNote } from "./server_facts.js";
import { announce, el, seconds } from "./util.js";
import { clearErrorsOnEdit, forgetJobs, formError, labelled, loadInto, showApiError } from "./viewkit.js";

/**
 * The most a manifest file loaded into the box may be: tens of thousands of items, while a text box
 * of tens of megabytes stalls the tab (a bigger one goes by `reelgen batch --server`).
 */
const MANIFEST_MOST = 8 * 1024 ** 2;

const ROOTS_HINT = "It must lie under one of the folders the server was started with in REELGEN_BATCH_ROOTS " +
  "(the server refuses any other, and every folder when that is not set).";

// The parts of a reason that name its item, as the CLI's summary strips them (core/batch/summary.py).
const ITEM_PREFIX = /^items\[\d+\](?: \([^)]*\): |\.)/;
const JOB_SUFFIX = / \(job [^()\s]+\)$/;
const NAMES_SHOWN = 5;

/** A reason without the parts that name its item, so items that failed the same way say the same. */
const NAMED_ITEM = /^(items\[\d+\]) \(([^)]*)\): /;
const cause = (reason) => reason.replace(ITEM_PREFIX, "").replace(JOB_SUFFIX, "");

/**
 * One line per cause, as `reelgen batch` prints them: an item's own reason, or the cause once with
 * the items that share it (a bad default fails them all alike, and a hundred copies hide the rest).
 */
function problemLines(status, list, total) {
  const groups = new Map();
  for (const x of list) {
    const why = cause(x.reason);
    if (!groups.has(why)) groups.set(why, []);
    groups.get(why).push(x);
  }
  return [...groups].map(([why, same]) => {
    if (same.length === 1) {
      const x = same[0];
      const named = NAMED_ITEM.exec(x.reason);  // "c: items[2] (c): ..." said the name twice
      const said = named && named[2] === x.output ? ` (${named[1]}): ${x.reason.slice(named[0].length)}` : `: ${x.reason}`;
      return el("li", { dataset: { output: x.output } }, el("strong", {}, x.output), said);
    }
    const attrs = { class: "same-way", dataset: { count: same.length } };
    if (same.length === total) {
      return el("li", attrs, el("strong", {}, `All ${total} items`), ` ${status} the same way: ${why}`);
    }
    const more = same.length > NAMES_SHOWN ? ` and ${same.length - NAMES_SHOWN} more` : "";
    const names = same.slice(0, NAMES_SHOWN).map((x) => x.output).join(", ");
    return el("li", attrs, el("strong", {}, `${same.length} items`),
      ` ${status} the same way (${names}${more}): ${why}`);
  });
}

/** A batch as its card and announcements name it: its name, or the short form of its id. */
const titleOf = (b) => b.name || `Batch ${b.id.slice(6, 14)}`;

function summaryOf(batch) {
  const s = batch.summary;
  if (!s) return [];
  const problems = (label, list) => list.length ? el("div", { class: "problems" },
    el("h4", {}, `${label} (${list.length})`),
    el("ul", { class: "small" }, problemLines(label.toLowerCase(), list, s.total))) : null;
  const cost = s.estimated_cost ? ` · estimated ${s.estimated_cost.toFixed(4)} ${s.currency}` : "";
  return [el("div", { class: "summary", dataset: { done: s.done, failed: s.failed.length, skipped: s.skipped.length } },
    el("p", { class: "summary-counts" },
      el("strong", {}, `${s.done} of ${s.total} done`), s.reused ? ` (${s.reused} from an earlier run)` : "",
      `, ${s.failed.length} failed, ${s.skipped.length} skipped`),
    el("p", { class: "small muted" }, `Took ${seconds(s.time_s)}; model time ${seconds(s.render_hours * 3600)}${cost}.`),
    problems("Failed", s.failed),
    problems("Skipped", s.skipped),
    batch.summary_file ? el("p", { class: "small muted" }, `Summary written to ${batch.summary_file}`) : null)];
}

export function mountBatches(section, ctx) {
  const pick = el("input", { type: "file", accept: ".json,application/json" });
  const manifest = el("textarea", { class: "code-input", rows: 8, spellcheck: "false",
    placeholder: '{"defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}},\n "items": [{"output": "harbour", "images": ["harbour.jpg"]}]}' });
  const input = el("input", { type: "text", inputmode: "url", autocomplete: "off", placeholder: "/data/shots" });
  const output = el("input", { type: "text", inputmode: "url", autocomplete: "off", placeholder: "(the manifest's output_dir in that folder)" });
  const name = el("input", { type: "text", autocomplete: "off", placeholder: "e.g. harbour shots" });
  const submit = el("button", { type: "submit", class: "primary" }, "Start batch");
  const form = el("form", { id: "batch-form", novalidate: true, autocomplete: "off" },
    foldersNote({ one: "batch", many: "batches", cli: "reelgen batch manifest.json", pathField: input }),
    labelled({ prefix: "bf", param: "manifest-file", label: "Manifest file", control: pick,
      hint: ["A manifest.json, as ", el("code", {}, "reelgen manifest create"), " makes it (",
        el("code", {}, "reelgen manifest schema"), " prints its fields). It loads into the box below."] }),
    labelled({ prefix: "bf", param: "manifest", label: "Manifest (JSON)", control: manifest }),
    labelled({ prefix: "bf", param: "input_folder", label: "Folder on the server", control: input,
      hint: "The batch runs on the server's disk, not this browser's: give the absolute path, on the server, of the folder " +
        "the manifest's image paths start from (where manifest.json lives). " + ROOTS_HINT }),
    labelled({ prefix: "bf", param: "output_folder", label: "Output folder on the server (optional)", control: output,
      hint: "Where the clips and batch-summary.json go; empty: the manifest's output_dir (outputs) inside the folder above." }),
    labelled({ prefix: "bf", param: "name", label: "Name (optional)", control: name, hint: "Shown in this list. Choosing a manifest file fills in its name (not a plain manifest.json); left empty, the batch is shown as “Batch” and a short id." }),
    formError(),
    el("div", { class: "row" }, submit));
  clearErrorsOnEdit(form);
  const box = el("details", { class: "new-parent", id: "batch-new", open: true }, el("summary", {}, "New batch"), form);
  section.append(el("h2", { class: "view-title" }, "Batches"), box);
  const list = parentList({
    host: section,
    path: "batches",
    noun: "batch",
    said: { one: "batch", many: "batches", item: "item" },
    title: titleOf,
    meta: (b) => {
      const n = b.request_counts.total;
      return [b.model, `${n} ${n === 1 ? "item" : "items"}`, `into ${b.output_folder}`].filter(Boolean).join(" · ");
    },
    extra: summaryOf,
    onDeleted: forgetJobs(ctx),
    // Items an earlier run made count as made; the summary knows them, the item jobs do not.
    made: (b) => (b.summary ? b.summary.done : null),
    // Items that failed or were skipped before any job: the summary names them, the job counts do not.
    unqueued: (b) => (b.summary ? { failed: b.summary.failed.length - b.request_counts.failed, skipped: b.summary.skipped.length } : {}),
  });

  // The name the last file chosen filled in: a second file took the first one's name, as if typed.
  let filledName = null;
  pick.addEventListener("change", async () => {
    const file = await loadInto(pick, manifest, { most: MANIFEST_MOST, what: "a batch manifest (.json)" });
    // "manifest.json", the name `reelgen manifest create` gives every manifest, names no batch: every
    // one started from its file was listed as "manifest.json". Left empty, the card says "Batch" and
    // the short id its items name ("item of batch 380983f7").
    const named = file && file.name !== "manifest.json" ? file.name : "";
    if (file && (!name.value || name.value === filledName)) name.value = filledName = named;
  });

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    let content;
    try {
      content = parseExact(manifest.value); // a seed past 2^53 stays exact
    } catch (err) {
      if (!manifest.value.trim()) return showError(form, "manifest", "Choose the manifest file, or paste it in the box.");
      return notJsonSaid(err);
    }
    if (!input.value.trim()) return showError(form, "input_folder", "Give the folder on the server that the manifest's paths start from.");
    const body = { manifest: content, input_folder: input.value.trim() };
    if (output.value.trim()) body.output_folder = output.value.trim();
    if (name.value.trim()) body.name = name.value.trim();
    submit.disabled = true;
    try {
      const batch = await post("v1/batches", stringifyExact(body));
      list.add(batch, { top: true });
      announce(`Batch started: ${titleOf(batch)}`);
    } catch (err) {
      showApiError(form, err);
    } finally {
      submit.disabled = false;
    }
  });

  /** Says where the manifest is not JSON, in words, and puts the caret there (`err`: JSON.parse's own error). */
  function notJsonSaid(err) {
    const said = notJson(manifest, "manifest");
    if (!said) return showError(form, "manifest", `The manifest is not valid JSON (${err.message}); a manifest is a JSON object with "items".`);
    const shown = showError(form, "manifest", said.text);
    said.caret();
    return shown;
  }

  return { show: () => list.load() };
}
