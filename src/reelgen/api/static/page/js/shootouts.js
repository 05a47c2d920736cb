// The Shoot-outs view: every chosen model on every prompt, one trial at a time, on the server
// (POST /v1/shootouts); live progress, then the ranking and the report the server serves.
import { hasKey, post } from "./api.js";
import { MAX_SEED } from "./create_form.js";
import { exactInt, parseExact, stringifyExact } from "./exact_json.js";
import { clearErrors, showError, unreadableNumber } from "./fields.js";
import { notJson } from "./json_place.js";
import { parentList } from "./parents.js";
import { foldersNote } from "./server_facts.js";
import { announce, el } from "./util.js";
import { clearErrorsOnEdit, download, fileUrl, forgetJobs, formError, labelled, showApiError } from "./viewkit.js";
import { errorText } from "./words.js";

/** A trial's status in results.json ("done" or "failed"), as the list says it. */
const TRIAL_LABEL = { done: "Done", failed: "Failed" };

const ROOTS_HINT = "A path on the server's own disk, under one of the folders it was started with in REELGEN_BATCH_ROOTS.";

/**
 * "shootout-reelgen-micro-vs-wan-tiny-848284fc-results.json": the models it compared (a count past
 * three) and the short id its card shows, where "results-video_848284fcde0d4686a5329b106077c6c3.json"
 * named neither.
 */
export function resultsName(s) {
  const models = s.models.length <= 3 ? s.models.join("-vs-") : `${s.models.length}-models`;
  return `shootout-${models.replace(/[^\w.-]+/g, "-")}-${s.id.slice(6, 14)}-results.json`;
}

function reportLinks(s) {
  const report = `v1/shootouts/${s.id}/report`;
  const results = `v1/shootouts/${s.id}/results`;
  const open = hasKey()
    // A new tab cannot send the key in a header: the report comes through this page as a blob.
    ? el("button", { type: "button", class: "small primary", onclick: async () => window.open(await fileUrl(report), "_blank") }, "Open report")
    : el("a", { class: "button small primary", href: report, target: "_blank", rel: "noopener" }, "Open report");
  return el("div", { class: "row" }, open,
    el("button", { type: "button", class: "small ghost", onclick: () => download(results, resultsName(s)) }, "Download results.json"));
}

// A model with no finished trial has no score; its 0 (failed trials count 0) read as a measured one.
const NO_SCORE = "\u2014";

function resultOf(s) {
  if (s.status !== "completed" || !s.ranking) return [];
  const rows = s.ranking.map((r, i) => el("tr", { dataset: { model: r.model } },
    el("td", {}, String(i + 1)), el("th", { scope: "row" }, r.model), el("td", {}, r.done ? Number(r.score).toFixed(1) : NO_SCORE),
    el("td", {}, `${r.done} of ${r.trials}`)));
  const failed = (s.trials || []).filter((t) => t.status !== "done");
  return [
    el("table", { class: "ranking" },
      el("caption", {}, "Ranking (mean score over the prompts, 0-100)"),
      el("thead", {}, el("tr", {}, ["#", "Model", "Score", "Finished"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)),
    failed.length ? el("ul", { class: "small" }, failed.map((t) => el("li", { class: "card-error" },
      `${t.key}: ${t.error ? errorText(t.error) : (TRIAL_LABEL[t.status] || t.status)}`))) : null,
    el("p", { class: "small muted" }, `Report in ${s.output_folder}`),
    reportLinks(s),
  ];
}

/**
 * Why the Seed box's text is no seed, or null. Checked here: the server's answer to "abc" is Pydantic's
 * "Input should be a valid integer, unable to parse string as an integer".
 */
function seedProblem(text) {
  const typed = text.trim();
  if (!typed || (/^\d+$/.test(typed) && BigInt(typed) <= MAX_SEED)) return null;
  return `Seed: “${typed}” is not a seed. Type a whole number from 0 to ${MAX_SEED}, or leave it empty for 0.`;
}

/** Why image-to-video-only models cannot run on prompts written one a line, and what to do instead. */
function imageOnlyText(ids) {
  const one = ids.length === 1;
  return `${ids.join(", ")} ${one ? "makes" : "make"} video from a start image only, and prompts written one a line carry none: `
    + `every trial of ${one ? "it" : "them"} would fail. Give the prompts as JSON with images (“The prompts as JSON” under the Prompts box shows how), or untick ${one ? "it" : "them"}.`;
}

/**
 * A prompts file's JSON, said on the page: the hint pointed to docs/shootout.md "in reelgen's source
 * repository", which a person who installed reelgen with pip does not have. The example is one the
 * server takes (given harbour.png in the images' folder).
 */
const JSON_EXAMPLE = `{
  "prompts": [
    "a red fox running through snow",
    {"id": "harbour", "prompt": "fishing boats leave a harbour at dawn",
     "negative_prompt": "blurry", "image": "harbour.png"}
  ],
  "settings": {"seconds": 3, "steps": 30, "seed": 0},
  "weights": {"speed": 0.25, "cost": 0.1, "vram": 0.15, "temporal": 0.25, "artefacts": 0.25}
}`;

function jsonHelp() {
  return el("details", { class: "json-help", id: "sf-json-help" },
    el("summary", {}, "The prompts as JSON"),
    // Focusable: its lines scroll sideways on a narrow screen, and a keyboard scrolls only what has the focus.
    el("pre", { tabindex: 0, "aria-label": "Example prompts JSON" }, el("code", {}, JSON_EXAMPLE)),
    el("p", { class: "hint" },
      "A prompt is its text, or an object: ", el("code", {}, "id"), " (names its clips: 1 to 64 letters, digits, _ and -; p1, p2 … by place when left out), ",
      el("code", {}, "prompt"), ", ", el("code", {}, "negative_prompt"), " and ", el("code", {}, "image"),
      " (a start frame, found in the images' folder below; image-to-video models need one). ",
      el("code", {}, "settings"), " are asked of every model alike (", el("code", {}, "seconds"), " or ", el("code", {}, "num_frames"),
      ", ", el("code", {}, "steps"), ", ", el("code", {}, "seed"), "; the boxes below win). ",
      el("code", {}, "weights"), " rank the models (speed, cost, vram, temporal, artefacts; any scale). A bare list of prompts works too."));
}

/**
 * Whether the Prompts box holds a prompts file's JSON rather than prompts one a line: an object of
 * named fields, or a list of strings or objects. A prompt such as "[slow motion] waves at dusk" or
 * "{a} fox" is a prompt (it was refused as JSON that does not parse).
 */
export function looksLikeJson(text) {
  return /^\{\s*["}]/.test(text) || /^\[\s*["{\]]/.test(text);
}

export function mountShootouts(section, ctx) {
  // Image-to-video models too: they animate the prompts' images (a prompt without one fails in the report).
  const usable = ctx.models.filter((m) => (m.tasks.includes("t2v") || m.tasks.includes("i2v")) && m.weights.present);
  const models = el("div", { class: "model-checks", role: "group", "aria-label": "Models" },
    usable.map((m) => el("label", { class: "check" }, el("input", { type: "checkbox", name: "so-model", value: m.id }), ` ${m.id}`)));
  // The hint promises the order they were ticked in: the boxes' own order is the list's.
  const ticked = [];
  models.addEventListener("change", ({ target }) => {
    if (ticked.includes(target.value)) ticked.splice(ticked.indexOf(target.value), 1);
    if (target.checked) ticked.push(target.value);
  });
  const prompts = el("textarea", { rows: 4, placeholder: "a red fox trotting through fresh snow\nwaves breaking at dusk" });
  const steps = el("input", { type: "number", min: 1, max: 1000, inputmode: "numeric", placeholder: "each model's own" });
  const frames = el("input", { type: "number", min: 1, max: 100000, inputmode: "numeric", placeholder: "each model's own" });
  // Text, as in the Create form: a number box would read a seed past 2^53 rounded.
  const seed = el("input", { type: "text", inputmode: "numeric", autocomplete: "off", placeholder: "0" });
  const output = el("input", { type: "text", inputmode: "url", autocomplete: "off", placeholder: "/data/compare/report" });
  const input = el("input", { type: "text", inputmode: "url", autocomplete: "off", placeholder: "(the report folder)" });
  const submit = el("button", { type: "submit", class: "primary" }, "Start shoot-out");
  const form = el("form", { id: "shootout-form", novalidate: true, autocomplete: "off" },
    foldersNote({ one: "shoot-out", many: "shoot-outs", cli: "reelgen shootout --models A,B --prompts prompts.txt", pathField: output }),
    el("fieldset", { class: "field", dataset: { param: "models" }, "aria-describedby": "sf-models-hint sf-models-err" },
      el("legend", {}, "Models"), models,
      el("p", { class: "hint", id: "sf-models-hint" }, usable.length
        ? "Models whose weights are on the server, run in the order you tick them, one trial at a time; image-to-video ones animate the prompts' images."
        : ["No video model has its weights on this server; fetch one with ", el("code", {}, "reelgen pull"), " where it runs."]),
      el("p", { class: "field-error", id: "sf-models-err", hidden: true })),
    labelled({ prefix: "sf", param: "prompts", label: "Prompts", control: prompts,
      hint: "One per line (named p1, p2 …), or a prompts file's content as JSON (ids, images, settings, weights), as below.",
      extra: jsonHelp() }),
    el("div", { class: "two" },
      labelled({ prefix: "sf", param: "prompts.settings.steps", label: "Steps", control: steps }),
      labelled({ prefix: "sf", param: "prompts.settings.num_frames", label: "Frames", control: frames }),
      labelled({ prefix: "sf", param: "prompts.settings.seed", label: "Seed", control: seed })),
    labelled({ prefix: "sf", param: "output_folder", label: "Report folder on the server", control: output,
      hint: `Where report.html, results.json and the clips go. ${ROOTS_HINT}` }),
    labelled({ prefix: "sf", param: "input_folder", label: "Folder of the prompts' images (optional)", control: input,
      hint: "Only prompts with an image read from it (their paths start here); empty: the report folder." }),
    formError(),
    el("div", { class: "row" }, submit));
  clearErrorsOnEdit(form);
  const box = el("details", { class: "new-parent", id: "shootout-new", open: true }, el("summary", {}, "New shoot-out"), form);
  section.append(el("h2", { class: "view-title" }, "Shoot-outs"), box);
  const list = parentList({
    host: section,
    path: "shootouts",
    noun: "shootout",
    said: { one: "shoot-out", many: "shoot-outs", item: "trial" },
    title: (s) => `${s.models.join(" vs ")} on ${s.prompts.length} ${s.prompts.length === 1 ? "prompt" : "prompts"}`,
    meta: (s) => `${s.request_counts.total} ${s.request_counts.total === 1 ? "trial" : "trials"} · into ${s.output_folder}`,
    extra: resultOf,
    onDeleted: forgetJobs(ctx),
    made: (s) => (s.trials && s.trials.length ? s.trials.filter((t) => t.status === "done").length : null),
    // A trial that failed before its job was queued (no start image) is in no job count: it read "not queued".
    unqueued: (s) => ({ failed: (s.trials || []).filter((t) => t.status === "failed").length - s.request_counts.failed }),
  });

  /** The prompts file's content: the lines as plain prompts, or the JSON as it is; the settings fields on top. */
  function promptsFile() {
    const raw = prompts.value.trim();
    if (!raw) throw new RangeError("Write at least one prompt.");
    let file;
    if (looksLikeJson(raw)) {
      try { file = parseExact(raw); } catch (err) {
        // Where, in words, with the caret put there: Chrome's own words named a position in characters.
        const said = notJson(prompts, "prompts");
        const how = `write one prompt per line, or a prompts file's JSON: {"prompts": [...]} or a list.`;
        throw Object.assign(new RangeError(said ? `${said.text} Or ${how}` : `The prompts are not valid JSON (${err.message}); ${how}`),
          { caret: said && said.caret });
      }
      if (Array.isArray(file)) file = { prompts: file };
    } else {
      file = { prompts: raw.split("\n").map((l) => l.trim()).filter(Boolean) };
    }
    const settings = { ...(file.settings || {}) };
    for (const [key, control] of [["steps", steps], ["num_frames", frames]]) {
      if (control.value !== "") settings[key] = Number(control.value);
    }
    // Digits go as the number they write, exactly (seedProblem refused anything else before).
    const typed = seed.value.trim();
    if (typed) settings.seed = exactInt(typed);
    return Object.keys(settings).length ? { ...file, settings } : file;
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (unreadableNumber(form)) return;
    // A box the browser itself ticked (restoring a form) sent no change: it goes after, in the list's order.
    const checked = [...models.querySelectorAll("input:checked")].map((i) => i.value);
    const chosen = [...ticked.filter((id) => checked.includes(id)), ...checked.filter((id) => !ticked.includes(id))];
    if (!chosen.length) return showError(form, "models", "Tick at least one model.");
    // Prompt lines carry no image: each trial of a model that starts only from one failed in the report.
    const imageOnly = chosen.filter((id) => !usable.find((m) => m.id === id).tasks.includes("t2v"));
    if (imageOnly.length && !looksLikeJson(prompts.value.trim())) return showError(form, "models", imageOnlyText(imageOnly));
    let file;
    try { file = promptsFile(); } catch (err) {
      const shown = showError(form, "prompts", err.message);
      if (err.caret) err.caret();
      return shown;
    }
    const badSeed = seedProblem(seed.value);
    if (badSeed) return showError(form, "prompts.settings.seed", badSeed);
    if (!output.value.trim()) return showError(form, "output_folder", "Give the folder on the server the report goes in.");
    const body = { models: chosen, prompts: file, output_folder: output.value.trim(), input_folder: input.value.trim() || output.value.trim() };
    submit.disabled = true;
    try {
      const shootout = await post("v1/shootouts", stringifyExact(body));
      list.add(shootout, { top: true });
      announce(`Shoot-out started: ${shootout.models.join(", ")}`);
    } catch (err) {
      // With no image folder given, the report folder was sent as it: its refusal belongs there.
      showApiError(form, err, (p) => (p === "input_folder" && !input.value.trim() ? "output_folder" : p));
    } finally {
      submit.disabled = false;
    }
  });

  return { show: () => list.load() };
}
