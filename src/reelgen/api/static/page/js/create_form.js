// The Create view's form as built, before any model fills it: every control, labelled, each with the
// API parameter it sends (fields.js), so a server error lands under the field it names.
import { buildInputs } from "./create_inputs.js";
import { field, radios } from "./fields.js";
import { folded } from "./fold.js";
import { IMAGE_ACCEPT, IMAGE_KINDS } from "./image_types.js";
import { NEEDS_TRUE_CFG, NO_TEXT, negativeUnread } from "./negative.js";
import { promptCount } from "./prompt_count.js";
import { el, quoted } from "./util.js";

/** The form's controls; `onDefaults` runs when "Model defaults" is pressed. */
export function buildForm({ onDefaults }) {
  const model = el("select", { id: "f-model", name: "model" });
  const readyOnly = el("input", { type: "checkbox", id: "f-ready-only" });
  const info = el("div", { id: "model-info", class: "model-info", "aria-live": "polite" });
  const prompt = el("textarea", { id: "f-prompt", name: "prompt", rows: 3, placeholder: "A red fox trotting through fresh snow at dawn, soft light" });
  const negative = el("textarea", { id: "f-negative", name: "negative_prompt", rows: 2, placeholder: "blurry, distorted, text" });
  const image = el("input", { type: "file", id: "f-image", name: "input_reference", accept: IMAGE_ACCEPT });
  const imagePreview = el("figure", { class: "image-preview", hidden: true });
  const video = el("input", { type: "file", id: "f-video", name: "source_video", accept: "video/mp4,video/quicktime,video/webm,video/x-matroska,.mkv" });
  const videoPreview = el("video", { class: "video-preview", muted: true, controls: true, hidden: true });
  const strength = el("input", { type: "range", id: "f-strength", name: "source_strength", min: 0.05, max: 1, step: 0.05, value: 0.7 });
  const strengthOut = el("output", { for: "f-strength", id: "f-strength-out" }, "0.70");
  const frames = el("select", { id: "f-frames", name: "num_frames" });
  const rate = el("select", { id: "f-fps", name: "fps" });
  const interpolate = el("select", { id: "f-interpolate", name: "interpolate" });
  const upscale = el("select", { id: "f-upscale", name: "upscale" });
  const steps = el("input", { type: "number", id: "f-steps", name: "num_inference_steps", inputmode: "numeric", min: 1, max: 1000 });
  const guidance = el("input", { type: "number", id: "f-guidance", name: "guidance_scale", inputmode: "decimal", step: 0.1, min: 0, max: 100 });
  const guidance2 = el("input", { type: "number", id: "f-guidance2", name: "guidance_scale_2", inputmode: "decimal", step: 0.1, min: 0, max: 100 });
  const seed = el("input", { type: "text", id: "f-seed", name: "seed", inputmode: "numeric", autocomplete: "off", placeholder: "new each time" });
  const lock = el("input", { type: "checkbox", id: "f-seed-lock" });
  const dice = el("button", { type: "button", class: "ghost small", id: "f-seed-random", "aria-label": "Random seed" }, "Random");
  const submit = el("button", { type: "submit", class: "primary", id: "f-submit" }, "Generate");
  const banner = el("div", { class: "remix-banner", id: "remix-banner", hidden: true, role: "status" });
  // What "use these settings" could not put in the form: said, not silently left out.
  const carried = el("p", { class: "notice", id: "f-not-carried", role: "status", hidden: true });
  const fitButton = el("button", { type: "button", class: "ghost small", id: "f-image-fit", hidden: true }, "Use a size that fits this image");
  const inputs = buildInputs();

  const form = el("form", { id: "create-form", novalidate: true, autocomplete: "off" },
    banner,
    carried,
    el("div", { class: "field", dataset: { param: "model" } },
      el("label", { for: "f-model" }, "Model"),
      model,
      el("label", { class: "check" }, readyOnly, " Only models ready on this server"),
      info,
      el("p", { class: "field-error", id: "err-model", hidden: true })),
    radios({ param: "task", legend: "What to make", name: "task", items: [], id: "f-task" }),
    field({ param: "prompt", label: "Prompt", control: prompt, hint: keysHint() }),
    field({ param: "negative_prompt", label: "Negative prompt", control: negative, hint: "What the video should not show (optional)." }),
    el("div", { class: "field", dataset: { param: "input_reference" }, id: "f-image-field" },
      el("label", { for: "f-image" }, "Start image"),
      image,
      el("p", { class: "hint", id: "hint-input_reference" }, `${IMAGE_KINDS}. It is scaled to cover the video and centre-cropped.`),
      imagePreview,
      el("p", { class: "crop-note", id: "f-image-note", role: "status", hidden: true }),
      fitButton,
      el("p", { class: "field-error", id: "err-input_reference", hidden: true })),
    inputs.endField,
    inputs.keyField,
    el("div", { class: "field", dataset: { param: "source_video" }, id: "f-video-field" },
      el("label", { for: "f-video" }, "Source video"),
      video,
      videoPreview,
      el("p", { class: "crop-note", id: "f-video-note", role: "status", hidden: true }),
      el("p", { class: "field-error", id: "err-source_video", hidden: true })),
    el("div", { class: "field", dataset: { param: "source_strength" }, id: "f-strength-field" },
      el("label", { for: "f-strength" }, "How much to change it ", strengthOut),
      strength,
      el("p", { class: "hint" }, "Low keeps the source close; 1 repaints it completely."),
      el("p", { class: "field-error", id: "err-source_strength", hidden: true })),
    inputs.soundField,
    radios({ param: "size", legend: "Size", name: "size", items: [], id: "f-size" }),
    el("div", { class: "two" },
      field({ param: "num_frames", label: "Duration", control: frames }),
      field({ param: "fps", label: "Frame rate", control: rate })),
    inputs.loraField,
    el("fieldset", { class: "enhance", id: "f-enhance" },
      el("legend", {}, "After generation"),
      el("div", { class: "two" },
        field({ param: "interpolate", label: "Smoother motion", control: interpolate }),
        field({ param: "upscale", label: "Sharper, larger", control: upscale })),
      el("p", { class: "hint", id: "f-enhance-note" })),
    el("details", { class: "advanced", open: true },
      el("summary", {}, "Sampling"),
      el("div", { class: "two" },
        field({ param: "num_inference_steps", label: "Steps", control: steps }),
        field({ param: "guidance_scale", label: "Guidance", control: guidance })),
      field({ param: "guidance_scale_2", label: "Guidance, low-noise expert", control: guidance2, id: "f-guidance2-field" }),
      el("div", { class: "field", dataset: { param: "seed" } },
        el("label", { for: "f-seed" }, "Seed"),
        el("div", { class: "seed-row" }, seed, dice,
          el("label", { class: "check" }, lock, " Lock")),
        el("p", { class: "hint", id: "hint-seed" }, "Unlocked: a new seed for every video. Locked (typing a seed or pressing Random locks it): the same seed, to compare prompts."),
        el("p", { class: "field-error", id: "err-seed", hidden: true }))),
    el("p", { class: "form-error", role: "alert", hidden: true }),
    el("div", { class: "row actions" }, submit,
      el("button", { type: "button", class: "ghost", id: "f-defaults", onclick: onDefaults }, "Model defaults")));
  seed.setAttribute("aria-describedby", "hint-seed err-seed");
  // Counted against this server's limit as they are typed: the server counts the negative prompt too.
  const counts = [promptCount(prompt, { what: "prompt" }), promptCount(negative, { what: "negative prompt", optional: true })];
  return { form, model, readyOnly, info, prompt, negative, image, imagePreview, video, videoPreview, strength,
    strengthOut, frames, rate, interpolate, upscale, steps, guidance, guidance2, seed, lock, dice, submit, banner, carried,
    fitButton, inputs, counts };
}

/**
 * The `options` of a video set apart from its model's own `preset` (GET /v1/models), as [name, value]
 * pairs: a video's options hold every one the model has, and those equal to its own come with any video.
 */
export function chosenOptions(options, preset = {}) {
  return Object.entries(options || {})
    .filter(([k, v]) => v !== null && v !== undefined && JSON.stringify(v) !== JSON.stringify((preset || {})[k]));
}

/**
 * Says in `node` which of a video's `parameters` this form has no field for (options set apart from
 * the model's own `preset`), so they are not sent again; hides it when there are none. Sound turned off
 * is carried: the Sound box takes it.
 */
export function sayNotCarried(node, parameters, preset = {}) {
  const left = chosenOptions(parameters.options, preset).map(([k, v]) => `options.${k} ${JSON.stringify(v)}`);
  node.textContent = `Not carried over (this form has no field for them): ${left.join(", ")}. `
    + "Send them through the API (POST /v1/videos) to use them again.";
  node.hidden = !left.length;
}

/**
 * The Ctrl+Enter sentence, in a span app.css hides on a touch-only phone or tablet, which has no
 * keyboard to press it on.
 */
function keysHint() {
  return el("span", { class: "keys-hint" }, "Ctrl+Enter (⌘+Enter on a Mac) sends the form from here.");
}

/**
 * Says in `hint` that `model` ignores the prompt where it reads no text (SVD): the prompt then only
 * names the video in the queue and gallery.
 */
export function sayPromptRead(hint, model) {
  hint.replaceChildren(keysHint());
  if (model.reads_prompt === false) hint.append(` Not read: ${NO_TEXT}; the prompt only names the video.`);
}

/**
 * Says in `hint` whether the negative prompt typed will steer `model` (the one rule the gallery uses,
 * negative.js) and which one it sends when the box is left empty (LTX has one of its own). `guidance`
 * is the Guidance the form sends (empty: the model's default); `options` those the video runs with:
 * the model's own, as this form sets none, or a remixed video's.
 */
export function sayNegativeRead(hint, model, { guidance = "", options = model.options } = {}) {
  const runs = guidance === "" ? model.defaults && model.defaults.guidance_scale : Number(guidance);
  const why = negativeUnread({ readsPrompt: model.reads_prompt, guidance: runs, options });
  if (why === NO_TEXT) {
    hint.textContent = `Not read: ${NO_TEXT}.`;
    return;
  }
  const own = options && options.negative_prompt_default;
  const fallback = model.defaults && model.defaults.guidance_scale;
  let unread = "";
  if (why === NEEDS_TRUE_CFG) {
    unread = ` Not read as this form sends it: ${NEEDS_TRUE_CFG}, an option this form has no field for`
      + " (send it through the API: POST /v1/videos).";
  } else if (why) {
    unread = ` Read only with Guidance above 1 (${runs === fallback ? `this model's default is ${runs}` : `it is ${runs} here`}).`;
  }
  // LTX-2's own is about 800 characters: folded, with a toggle, it no longer takes over the form. The
  // toggle ends the quote ("… show all”."), not the hint: after it, it ran into the guidance words
  // ("”. show all Read only with Guidance"). Left unfolded, it stays so while a model with a short
  // own (no toggle) is picked and another long one comes back.
  const toggle = hint.querySelector(".fold-toggle");
  if (toggle) hint.dataset.unfolded = toggle.getAttribute("aria-expanded");
  const open = hint.dataset.unfolded === "true";
  hint.replaceChildren("What the video should not show (optional).",
    ...(own ? [...folded(own, { before: " Left empty, this model uses its own: “\u2068", open }), "\u2069”."] : []),
    unread);
}

/** The largest seed the server takes (2^63 - 1). */
export const MAX_SEED = 9223372036854775807n;

/**
 * Why a typed seed cannot be sent, in the form's words, or null when it can: the server's own answer
 * speaks of leaving the field out of a request, which the form cannot do.
 */
export function seedProblem(text) {
  const typed = text.trim();
  if (!typed || (/^\d+$/.test(typed) && BigInt(typed) <= MAX_SEED)) return null;
  return `Seed: ${quoted(typed)} is not a seed. Type a whole number from 0 to ${MAX_SEED}, or press Random; untick Lock for a new seed every video.`;
}
