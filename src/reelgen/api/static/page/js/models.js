// The model picker: every model from GET /v1/models, grouped by whether its weights are on the server,
// with its tasks, memory need and, for a model not downloaded, the command that fetches it.
import { el, fps } from "./util.js";
import { factorWords } from "./words.js";

/** Tasks the page can ask for, with what each needs; other tasks need inputs /v1/videos does not take yet. */
export const TASKS = {
  t2v: { label: "Text to video", needs: null },
  i2v: { label: "Image to video", needs: "image" },
  keyframes: { label: "Keyframes", needs: "keyframes" },
  v2v: { label: "Restyle a video", needs: "video" },
  extend: { label: "Continue a clip", needs: "video" },
  audio: { label: "Video with sound", needs: null },
};

/** Tasks made through their own endpoints (POST /v1/avatars), by name. */
const OTHER_TASKS = { avatar: "Talking avatar" };

/** Every task's name for people, those the page cannot ask for too: the API's codes are never shown. */
export function taskName(task) {
  return TASKS[task] ? TASKS[task].label : OTHER_TASKS[task] || task;
}

/**
 * `message` with the API's task codes ("task i2v needs ...", "t2v makes the video") said as the
 * form's "What to make" choices ("“Image to video” needs ..."): the person picked a button, not a code.
 */
export function inTaskWords(message) {
  const text = factorWords(message)
    .replace(/\btask (t2v|i2v|v2v|keyframes|extend|audio)\b/g, (_, code) => `“${TASKS[code].label}”`)
    .replace(/\b(t2v|i2v|v2v)\b/g, (code) => `“${TASKS[code].label}”`);
  // A sentence starts with a capital; a name it starts with ("wan-1.3b is not downloaded") keeps its case.
  return /^[a-z]+ /.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** The model's tasks the page can ask for, in the order of TASKS (text to video first). */
export function offeredTasks(model) {
  return Object.keys(TASKS).filter((task) => model.tasks.includes(task));
}

export function gib(value) {
  if (value < 1) return `${Math.max(0.1, Math.round(value * 10) / 10)} GiB`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} GiB`;
}

/** The option text: what it is, what it does, how much memory it wants, and whether it is here. */
function optionText(model) {
  const tasks = (offeredTasks(model).length ? offeredTasks(model) : model.tasks).map(taskName).join(", ");
  const base = `${model.id} · ${tasks} · ${gib(model.vram.least_gib)}+`;
  return model.weights.present ? base : `${base} · not downloaded`;
}

/** Fills `select` with the models, ready ones first; `readyOnly` hides the rest. */
export function fillPicker(select, models, { readyOnly, selected }) {
  const usable = models.filter((m) => offeredTasks(m).length);
  const ready = usable.filter((m) => m.weights.present);
  const missing = usable.filter((m) => !m.weights.present);
  const group = (label, list) =>
    el("optgroup", { label }, list.map((m) => {
      const option = el("option", { value: m.id }, optionText(m));
      if (!m.weights.present) option.dataset.missing = "true";
      return option;
    }));
  const groups = [group(`Ready on this server (${ready.length})`, ready)];
  if (!readyOnly && missing.length) groups.push(group(`Not downloaded (${missing.length})`, missing));
  select.replaceChildren(...groups);
  const keep = [...select.options].some((o) => o.value === selected);
  select.value = keep ? selected : (ready[0] || usable[0] || {}).id || "";
}

/** Why `model` cannot run here and what fixes it, in the page's words (said under the picker). */
export function notHere(model) {
  const w = model.weights;
  // A folder copied in part is finished by copying the rest: a pull fills the Hugging Face cache,
  // which is looked in after that folder, so the server's own advice is said instead of a command.
  if (w.partial && !w.pull_command && w.advice) {
    return `${model.id} is only partly on this server, so it cannot run: ${w.advice}. Then reload this page.`;
  }
  const cmd = w.pull_command || `reelgen pull ${model.id}`;
  return `${model.id} is not downloaded on this server, so it cannot run. Run "${cmd}" where the server runs, then reload this page.`;
}

/** The panel under the picker: description, tasks, memory, and the weights' state. */
export function modelInfo(model) {
  const vram = model.vram;
  const memory = vram.full_gib > vram.least_gib + 0.05
    ? `Needs ${gib(vram.full_gib)} of GPU memory for the fastest run, or ${gib(vram.least_gib)} with offloading (weights ${gib(vram.weights_gib)}).`
    : `Needs about ${gib(vram.full_gib)} of GPU memory.`;
  const d = model.defaults;
  const defaults = `Default ${d.size}, ${d.num_frames} frames at ${fps(d.fps)} fps, ${d.num_inference_steps} steps.`;
  const weights = model.weights.present
    ? el("p", { class: "ok", id: "model-weights" }, `✓ Weights on this server (${describeOrigin(model.weights.origin)}).`)
    : el("div", { class: "missing", id: "model-weights", role: "note" },
      model.weights.partial
        ? el("p", {}, el("strong", {}, "Partly downloaded."), " Some of its files are on this server, not all (a download or copy stopped part-way). Finish it where the server runs:")
        : el("p", {}, el("strong", {}, "Not downloaded."), " Its weights are not on this server. Fetch them where the server runs:"),
      model.weights.partial && !model.weights.pull_command && model.weights.advice
        ? el("p", { id: "weights-advice" }, `${model.weights.advice}.`)
        : el("div", { class: "command" },
          el("code", { id: "pull-command" }, model.weights.pull_command || `reelgen pull ${model.id}`),
          el("button", {
            type: "button",
            class: "ghost small",
            onclick: (ev) => copy(ev.currentTarget, model.weights.pull_command || `reelgen pull ${model.id}`),
          }, "Copy")));
  return [
    el("p", { class: "desc" }, model.description),
    // In the order of the picker and "What to make" (the API lists them by code: "Continue a clip" first).
    el("p", { class: "chips", "aria-label": "Tasks" }, [...offeredTasks(model), ...model.tasks.filter((t) => !TASKS[t])]
      .map((t) => el("span", { class: "chip" }, taskName(t)))),
    el("p", { class: "muted" }, memory, " ", defaults),
    el("p", { class: "muted", id: "model-takes" }, takes(model)),
    weights,
  ];
}

/**
 * Whether the model takes LoRAs and an end image (GET /v1/models: supports_lora, supports_end_image):
 * the LoRA rows and the end image's box show only for a model that does, and nothing said why before.
 */
export function takes(model) {
  const lora = model.supports_lora ? "Takes LoRAs" : "Takes no LoRAs";
  if (model.supports_end_image) return `${lora}; takes an end image (its last frame) with “${TASKS.i2v.label}”.`;
  return `${lora}${model.tasks.includes("i2v") ? "; no end image" : ""}.`;
}

function describeOrigin(origin) {
  return ({
    tiny: "a tiny test build, made on first use",
    bundled: "ships inside reelgen",
    "hf-cache": "Hugging Face cache",
    "models-dir": "models folder",
    local: "local folder",
  })[origin] || origin || "found";
}

async function copy(button, text) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => { button.textContent = "Copy"; }, 2000);
}
