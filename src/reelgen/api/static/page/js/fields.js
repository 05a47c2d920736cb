// Form fields with their error slot: each field names the API parameter it sends, so an error whose
// `param` names that parameter is shown right under it.
import { el } from "./util.js";
import { plainBounds } from "./words.js";

/** A labelled field: <div class="field" data-param> label, control, hint, error. */
export function field({ param, label, control, hint, id }) {
  const errorId = `err-${param}`;
  const hintId = hint ? `hint-${param}` : null;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return el("div", { class: "field", dataset: { param }, id },
    el("label", { for: control.id }, label),
    control,
    hint ? el("p", { class: "hint", id: hintId }, hint) : null,
    el("p", { class: "field-error", id: errorId, hidden: true }));
}

/** A group of radio buttons (aspect ratios, tasks) as a fieldset with its error slot. */
export function radios({ param, legend, name, items, id }) {
  return el("fieldset", { class: "field radios", dataset: { param }, id, "aria-describedby": `err-${param}` },
    el("legend", {}, legend),
    el("div", { class: "radio-row" }, items),
    el("p", { class: "field-error", id: `err-${param}`, hidden: true }));
}

export function radio(name, value, label, checked) {
  const id = `${name}-${value}`.replace(/[^\w-]/g, "_");
  return el("label", { class: "pill", for: id },
    el("input", { type: "radio", name, value, id, checked }),
    el("span", {}, label));
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-error")) { p.hidden = true; p.textContent = ""; }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  const general = form.querySelector(".form-error");
  general.hidden = true;
  general.textContent = "";
}

/** Hides the error under `control`'s field: once the value changes, the message is about one no longer there. */
export function clearFieldError(control) {
  const wrapper = control.closest && control.closest(".field");
  const slot = wrapper && wrapper.querySelector(".field-error");
  if (!slot || slot.hidden) return;
  slot.hidden = true;
  slot.textContent = "";
  for (const c of wrapper.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
}

/** Forms typed in since their last submit (capture listeners see every form's events first). */
const typedSinceSubmit = new WeakSet();
document.addEventListener("submit", (ev) => typedSinceSubmit.delete(ev.target), true);
document.addEventListener("input", (ev) => {
  const form = ev.target.closest?.("form");
  if (form) typedSinceSubmit.add(form);
}, true);

/** Whether the focus is in a box of `form` that takes typing (a text field, a list, a number). */
function typingIn(form) {
  const active = document.activeElement;
  return Boolean(active && form.contains(active) && active.matches(
    "textarea, select, input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([type=file])"));
}

/**
 * Shows `message` under the field sending `param` ("options.flow_shift" and "keyframes[0].image"
 * fall back to their head); with no such field, in the form's own error line. Focuses the field, but
 * not away from a box someone has typed in since the form was submitted.
 */
export function showError(form, param, message) {
  const heads = param ? [param, param.split(/[.[]/)[0]] : [];
  const wrapper = heads.map((p) => form.querySelector(`.field[data-param="${CSS.escape(p)}"]`)).find(Boolean);
  if (!wrapper || wrapper.hidden) {
    const general = form.querySelector(".form-error");
    // Most messages name their parameter first already: "options.flow_shift: options.flow_shift: ..." said it twice.
    general.textContent = param && !message.startsWith(param) ? `${param}: ${message}` : message;
    general.hidden = false;
    return general;
  }
  // Its own slot: the keyframes fieldset holds the keyframe images' field, with a slot of its own.
  const slot = wrapper.querySelector(":scope > .field-error");
  slot.textContent = inFormWords(message, wrapper, param);
  slot.hidden = false;
  const control = wrapper.querySelector("input:not([type=hidden]):not(:disabled), select, textarea");
  if (control) {
    control.setAttribute("aria-invalid", "true");
    // A server's refusal comes a round trip after the submit (an upload's, many seconds): moved to the
    // refused field meanwhile, the rest of what someone went on typing landed there.
    if (!(typedSinceSubmit.has(form) && typingIn(form))) control.focus();
  }
  return slot;
}

/**
 * The field's name on the form ("Steps"): its label's or legend's own text, without a value shown in it,
 * or the label's data-name where the label reads on from the field before ("Or text to speak").
 */
function labelOf(wrapper) {
  const label = wrapper.querySelector(":scope > label, :scope > legend");
  if (!label) return null;
  if (label.dataset.name) return label.dataset.name;
  const text = [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("");
  return text.trim() || null;
}

/**
 * The name a row's control goes by on the form ("LoRA 1 strength", "Keyframe 2 frame"), for an error
 * about `param` ("loras[0].strength"), or null when the row or control is not on the form.
 */
function rowName(wrapper, param) {
  const m = /^\w+\[(\d+)\]\.?(\w*)$/.exec(param || "");
  const row = m && wrapper.querySelectorAll(".input-row")[Number(m[1])];
  const control = row && (row.querySelector(`[data-what="${CSS.escape(m[2])}"]`) || row.querySelector("[data-what]"));
  return control ? control.getAttribute("aria-label") : null;
}

/**
 * `message` as the form says it: the API's name of the field it starts with ("num_inference_steps:
 * Input should be greater than 0", "prompt has 5000 characters", "loras[0].strength: ...") put as the
 * form names that field ("Steps: must be more than 0", "Prompt has ...", "LoRA 1 strength: ..."), the
 * field's own API name in brackets dropped (the message stands under that field), and Pydantic's
 * bounds in plain words: the person never typed the API's names.
 */
function inFormWords(message, wrapper, param) {
  const name = wrapper.dataset.param;
  let text = message.replaceAll(` (${name})`, "");
  const field = labelOf(wrapper);
  const row = param && param !== name ? rowName(wrapper, param) : null;
  // A path inside the field with no row of its own ("manifest.items[0].output is required") keeps its
  // inner part ("items[0].output is required"): the field's name alone said the whole manifest was missing.
  let inner = param && param !== name && param.startsWith(name) ? param.slice(name.length).replace(/^\./, "") : "";
  // A file's list of the field's own name ("prompts.prompts: there are none") said the name twice.
  if (inner === name) inner = "";
  for (const said of [param, name]) {
    // The inner path alone: the message stands under the field that holds it, whose label is right above
    // ("Manifest (JSON): items[1].images[0]: ..." named the place twice).
    const label = row || (said === param && inner ? inner : field);
    if (!label || !said) continue;
    if (text.startsWith(`${said}: `)) { text = `${label}: ${plainBounds(text.slice(said.length + 2))}`; break; }
    if (text.startsWith(`${said} `)) {
      const rest = text.slice(said.length + 1);
      // "source_strength 0.05 x 2 steps leaves ..." goes on with the value sent: "How much to change it
      // 0.05 x 2 steps" read as one phrase. A row's name ("Keyframe 2 frame 99 is past ...") reads on.
      text = !row && /^[-\d"'“]/.test(rest) ? `${label}: ${rest}` : `${label} ${rest}`;
      break;
    }
  }
  // Another field named in brackets ("or make the clip longer (num_frames)") goes by its label on the
  // form ("(Duration)"): the API's name is on no control the user can see.
  const form = wrapper.closest("form");
  text = text.replace(/\((\w+)\)/g, (said, other) => {
    const named = form && form.querySelector(`.field[data-param="${other}"]`);
    const label = named && labelOf(named);
    return label ? `(${label})` : said;
  });
  // A bound inside the message too: "scene 'hero' (scenes[2]): duration: Input should be less than or equal to 3600".
  return plainBounds(text);
}

/**
 * Shows an error at the first number box on screen holding text that is not a number ("1e", "-"),
 * or left empty where it is `required` (a keyframe's frame, a LoRA's strength): the browser reads
 * such a box as empty, so the form would send nothing (the model's default, or 0) in its place
 * without a word. Returns the error's element, or null when every box reads.
 */
export function unreadableNumber(form) {
  const bad = [...form.querySelectorAll('input[type="number"]')]
    .find((c) => (c.validity.badInput || (c.required && c.value === "")) && !c.disabled && c.offsetParent !== null);
  if (!bad) return null;
  const wrapper = bad.closest(".field");
  // A row's box is named by its place ("Keyframe 2 strength"); its label alone ("Strength") would not say which.
  const name = bad.getAttribute("aria-label") || (bad.labels && bad.labels[0] ? bad.labels[0].textContent.trim() : "This value");
  const slot = showError(form, wrapper ? wrapper.dataset.param : null, bad.validity.badInput
    ? `${name}: not a number. Type digits, with a point for decimals (e.g. 7.5).`
    : `${name} is empty: type ${bad.step === "1" ? "a whole number" : "a number"}${range(bad)}.`);
  bad.setAttribute("aria-invalid", "true");
  bad.focus();
  return slot;
}

/** " from 0 to 8" from a number box's min and max, as far as it has them. */
function range(control) {
  const { min, max } = control;
  if (min !== "" && max !== "") return ` from ${min} to ${max}`;
  if (min !== "") return ` of at least ${min}`;
  return max !== "" ? ` up to ${max}` : "";
}
