// What the Projects, Batches and Shoot-outs views share: labelled fields with their own ids, errors
// routed to the field the server names, files fetched with the API key, and progress bars.
import { ApiError, hasKey, request } from "./api.js";
import { clearFieldError, showError } from "./fields.js";
import { el } from "./util.js";

/**
 * A labelled field whose ids start with `prefix` (so two forms may both have an `output_folder`);
 * `param` is the API parameter it sends, which is how a server error finds it; `hint` is text or nodes. `name`, when given, is
 * what its errors call it where the label does not start a sentence ("Or a video to dub (optional)").
 */
export function labelled({ prefix, param, label, name, control, hint, extra }) {
  const key = `${prefix}-${param.replace(/[^\w-]/g, "_")}`;
  control.id = control.id || key;
  const hintId = hint ? `${key}-hint` : null;
  const errorId = `${key}-err`;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return el("div", { class: "field", dataset: { param } },
    el("label", { for: control.id, dataset: name ? { name } : undefined }, label),
    control,
    hint ? el("p", { class: "hint", id: hintId }, hint) : null,
    extra || null,
    el("p", { class: "field-error", id: errorId, hidden: true }));
}

/**
 * Takes a field's error away once its value changes, as the Create form does: the message is about a
 * value no longer there (a new manifest loaded, a folder retyped). Listened to in the capture phase,
 * before the field's own listeners, so an error they show for the new value (a file too big) stays.
 */
export function clearErrorsOnEdit(form) {
  for (const type of ["input", "change"]) form.addEventListener(type, (ev) => clearFieldError(ev.target), true);
}

/** The form's own error line (fields.js puts an error naming no field there), announced when shown. */
export function formError() {
  return el("p", { class: "form-error", role: "alert", hidden: true });
}

/**
 * Shows an error from the server under the field it concerns. `route(param)` may name the field
 * for a parameter inside a bigger one (`scenes[1].prompt` lives in the project file's box).
 */
export function showApiError(form, err, route = (p) => p) {
  if (err instanceof ApiError) {
    // The server's messages name the field themselves ("scene 'boats' (scenes[1]): prompt is required").
    return showError(form, err.param ? route(err.param) : null, err.message);
  }
  return showError(form, null, `Could not send: ${err.message}.`);
}

/**
 * Says in `node` why a list could not be loaded, with a Try again button that runs `retry`: a refusal
 * (a 429, a 503) is an answer, so nothing loads the list again by itself as after a lost connection.
 */
export function sayLoadFailed(node, text, retry) {
  node.replaceChildren(text, " ", el("button", { type: "button", class: "small", onclick: () => retry() }, "Try again"));
}

/** A URL a <video> or link can load `path` (an API path) from: a blob URL when the server needs a key. */
export async function fileUrl(path) {
  if (!hasKey()) return path;
  return URL.createObjectURL(await (await request(path)).blob());
}

/** Saves the API file at `path` as `name`. */
export async function download(path, name) {
  const link = el("a", { href: await fileUrl(path), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

/** A progress bar named for what it measures; `set(percent)` never moves it back. */
export function bar(name, describedBy) {
  const node = el("progress", { max: 100, value: 0, "aria-label": name, "aria-describedby": describedBy, "aria-valuetext": "0%" });
  return {
    node,
    set(value, { reset = false } = {}) {
      const v = Math.max(0, Math.min(100, Math.round(value)));
      node.value = reset ? v : Math.max(Number(node.value), v);
      node.setAttribute("aria-valuetext", `${node.value}%`);
    },
  };
}

/**
 * "1.2 MiB" for a byte count. Counted in 1024s, so named in the binary units the server's limits are said
 * in ("larger than 32 MiB"): "32.4 MB" beside it, and a 13,435-byte film said "13.1 kB", were neither.
 */
export function bytes(n) {
  const [unit, size] = [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]].find(([, s]) => n >= s) || [];
  return unit ? `${(n / size).toFixed(1).replace(/\.0$/, "")} ${unit}` : `${n} B`;
}

/** "1,048,577 bytes": a size to the byte, where rounded it reads the same as the limit it is over. */
const exactBytes = (n) => `${n.toLocaleString("en-US")} bytes`;

/**
 * `n` bytes and the limit `most` it is over, as two phrases that differ: "2 MiB" and "1 MiB", or to the
 * byte where both round alike ("huge.yaml is 1.0 MB, more than the 1.0 MB this box takes").
 */
function overLimit(n, most) {
  return bytes(n) !== bytes(most) ? [bytes(n), bytes(most)] : [exactBytes(n), `${exactBytes(most)} (${bytes(most)})`];
}

/** How much of a file is looked at for the NUL bytes that mark it as no text file. */
const SNIFF_BYTES = 8192;

/**
 * Reads a chosen file's text into `textarea` (the person sees, and may edit, what will be sent).
 * A file over `most` bytes, or one that is no text (a video picked by mistake), is refused under
 * the file's field and the box left as it was: tens of megabytes of noise in it froze the tab.
 */
export async function loadInto(input, textarea, { most, what }) {
  const file = input.files[0];
  clearFieldError(input);
  if (!file) return null;
  const refuse = (why) => {
    input.value = "";
    showError(input.form, input.closest(".field").dataset.param, `${file.name} ${why}; choose ${what}.`);
    return null;
  };
  if (file.size > most) {
    const [size, limit] = overLimit(file.size, most);
    return refuse(`is ${size}, more than the ${limit} this box takes`);
  }
  if (new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()).includes(0)) return refuse("is not a text file");
  textarea.value = await file.text();
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  return file;
}

export const STATUS_LABEL = {
  queued: "Queued", in_progress: "Running", completed: "Done", failed: "Failed", cancelled: "Cancelled",
};
export const ACTIVE = new Set(["queued", "in_progress"]);

/** What a parent list does with the item jobs deleted with a batch or shoot-out: they leave the queue and gallery. */
export function forgetJobs(ctx) {
  return (ids) => {
    for (const id of ids) ctx.queue.forget(id);
    if (ids.length) ctx.gallery.forget();
  };
}

/**
 * Shows the server's "request body is larger than 32 MiB" in `form` under the largest file `sent`
 * carried (the answer names no field: the whole upload was refused, and it stood below the Generate
 * button); false when `err` is another error or no file went.
 */
export function tooBig(form, err, sent) {
  if (err.code !== "payload_too_large" || err.param || !sent) return false;
  const files = [...sent.entries()].filter(([, v]) => v instanceof File);
  if (!files.length) return false;
  const [param, file] = files.reduce((a, b) => (b[1].size > a[1].size ? b : a));
  const total = files.reduce((sum, [, v]) => sum + v.size, 0);
  // To the byte where rounded it is the limit the server names: "is 32 MiB: ... larger than 32 MiB".
  const sized = (n) => (err.message.includes(bytes(n)) ? exactBytes(n) : bytes(n));
  const of = files.length > 1 ? ` of the ${sized(total)} sent` : "";
  showError(form, param, `${file.name} is ${sized(file.size)}${of}: the ${err.message}. Choose a smaller file.`);
  return true;
}
