// The Create form's pinned images, sound and LoRAs: an end image (models that pin a last frame), keyframe
// rows (image, frame, strength), a Sound box (models that make sound) and LoRA rows fed by GET /v1/loras. Each part names the API
// parameter it sends, so a server error lands under it.
import { json } from "./api.js";
import { showCrop } from "./crop.js";
import { IMAGE_ACCEPT as IMAGE_TYPES, IMAGE_KINDS, drawnImage, takenImage } from "./image_types.js";
import { filePick } from "./file_pick.js";
import { announce, el } from "./util.js";

/** Why "Use these settings" asks for an old video's files again, in one wording for every field that had one. */
export const NOT_COPIED = "files are not copied from the old video.";

/** As many as POST /v1/videos takes (MAX_KEYFRAMES, MAX_LORAS on the server). */
const MAX_ROWS = 8;
/** What to do with an empty LoRA folder: the server names the folder it reads (REELGEN_LORA_DIR). */
const noLoras = (folder) => "No LoRAs on this server. Put .safetensors files in its LoRA folder"
  + `${folder ? `, ${folder}` : ""} (REELGEN_LORA_DIR), and reload this page.`;

/** In place of the preview: why the server will refuse the file, said as the start image's field says it. */
function refused(figure, text) {
  figure.replaceChildren(el("figcaption", { class: "warn" }, text));
  announce(text);
}

/**
 * A small preview of the image chosen in `input`, with its file name and what the crop to `size()`
 * keeps; the old one's URL is freed. A file that is no picture showed a broken-image icon, and nothing
 * was said until Generate came back refused. `short`: the crop in a few words (a keyframe row).
 */
function preview(input, figure, what, size, short = false) {
  const old = figure.querySelector("img");
  if (old) URL.revokeObjectURL(old.src);
  const file = input.files[0];
  figure.replaceChildren();
  figure.hidden = !file;
  if (!file) return;
  if (!takenImage(file)) return refused(figure, `${file.name} is not a ${IMAGE_KINDS} image; choose one of those.`);
  // A TIFF is taken, but no browser draws it: its name alone, not a broken picture.
  if (!drawnImage(file)) {
    figure.append(el("figcaption", {}, `${file.name} (this browser shows no preview of a TIFF image; the server reads it)`));
    return;
  }
  const url = URL.createObjectURL(file);
  const img = el("img", { src: url, alt: `${what}: ${file.name}` });
  const box = el("div", { class: "crop-box", "aria-hidden": "true" });
  const note = el("p", { class: "crop-note", hidden: true });
  // The server crops it as it does the start image (core/media.py load_fitted), which showed the crop
  // while these showed none.
  img.addEventListener("load", () => showCrop(img, box, note, size(), { short }), { once: true });
  img.addEventListener("error", () => {
    URL.revokeObjectURL(url);
    if (input.files[0] === file) refused(figure, `${file.name} is not a readable image; choose a ${IMAGE_KINDS} image.`);
  }, { once: true });
  figure.append(el("div", { class: "frame" }, img, box), el("figcaption", {}, file.name), note);
}

/** A row's number box: required, as an empty one would be sent as 0 (fields.unreadableNumber says so). */
function number(attrs) {
  return el("input", { type: "number", inputmode: "decimal", required: true, ...attrs });
}

/** The three parts, built; `mount` wires them to the rest of the form. */
export function buildInputs() {
  const end = el("input", { type: "file", id: "f-end", name: "end_image", accept: IMAGE_TYPES, "aria-describedby": "hint-end_image err-end_image" });
  const endField = el("div", { class: "field", dataset: { param: "end_image" }, id: "f-end-field", hidden: true },
    el("label", { for: "f-end" }, "End image (optional)"),
    end,
    el("p", { class: "hint", id: "hint-end_image" }, "The video's last frame. It is scaled to cover the video and centre-cropped."),
    el("figure", { class: "image-preview", id: "f-end-preview", hidden: true }),
    el("p", { class: "field-error", id: "err-end_image", hidden: true }));

  // LTX-2 makes a sound track with every video: "Text to video" and "Video with sound" made the same
  // clip, and the form could not ask for a silent one (audio false), which the API takes.
  const sound = el("input", { type: "checkbox", id: "f-audio", name: "audio", checked: true, "aria-describedby": "hint-audio err-audio" });
  const soundField = el("div", { class: "field", dataset: { param: "audio" }, id: "f-audio-field", hidden: true },
    el("label", { class: "check", for: "f-audio" }, sound, "Sound"),
    el("p", { class: "hint", id: "hint-audio" }, "This model makes a sound track with the video; untick for a silent one."),
    el("p", { class: "field-error", id: "err-audio", hidden: true }));

  const keyRows = el("ol", { class: "input-rows", id: "f-keyframe-rows" });
  const keyAdd = el("button", { type: "button", class: "ghost small", id: "f-keyframe-add" }, "Add a keyframe");
  const keyField = el("fieldset", { class: "field", dataset: { param: "keyframes" }, id: "f-keyframes-field", hidden: true, "aria-describedby": "hint-keyframes err-keyframes" },
    el("legend", {}, "Keyframes"),
    el("p", { class: "hint", id: "hint-keyframes" },
      "Images the video passes through, each at a frame (0 is the first). Strength 1 holds the image exactly; lower lets the motion drift from it."),
    el("div", { class: "field", dataset: { param: "keyframe_images" } },
      keyRows,
      el("p", { class: "field-error", id: "err-keyframe_images", hidden: true })),
    el("div", { class: "row" }, keyAdd),
    el("p", { class: "field-error", id: "err-keyframes", hidden: true }));

  const loraRows = el("ol", { class: "input-rows", id: "f-lora-rows" });
  const loraAdd = el("button", { type: "button", class: "ghost small", id: "f-lora-add" }, "Add a LoRA");
  const loraNote = el("p", { class: "hint", id: "f-loras-note" });
  const loraField = el("fieldset", { class: "field", dataset: { param: "loras" }, id: "f-loras-field", "aria-describedby": "f-loras-note err-loras" },
    el("legend", {}, "LoRAs"),
    loraNote,
    loraRows,
    el("div", { class: "row" }, loraAdd),
    el("p", { class: "field-error", id: "err-loras", hidden: true }));
  return { end, endField, sound, soundField, keyRows, keyAdd, keyField, loraRows, loraAdd, loraNote, loraField };
}

/**
 * Wires the parts: `apply(model, task, frames)` shows what the model and task take, `addFields`
 * and `addFiles` put them in a create body, `prefill` loads an old video's LoRAs and keyframe
 * frames (its images cannot come back), `lock` disables them while remixing.
 */
export function mountInputs(p, { size = () => null } = {}) {
  const state = { loras: null, folder: null, unread: null, model: null, task: null, frames: 1 };

  // ---- end image ------------------------------------------------------------------------------
  p.end.addEventListener("change", () => preview(p.end, p.endField.querySelector("figure"), "End image", size));

  /** Redraws every pinned image's crop for the size chosen now. */
  function crops() {
    for (const frame of [...p.endField.querySelectorAll(".frame"), ...p.keyRows.querySelectorAll(".frame")]) {
      const img = frame.querySelector("img");
      const short = p.keyRows.contains(frame); // a keyframe row's thumbnail takes the few words
      if (img.complete) showCrop(img, frame.querySelector(".crop-box"), frame.parentElement.querySelector(".crop-note"), size(), { short });
    }
  }

  // ---- keyframes ------------------------------------------------------------------------------
  function keyRow({ frame, strength } = {}) {
    const n = p.keyRows.children.length + 1;
    const image = el("input", { type: "file", accept: IMAGE_TYPES, class: "kf-image", dataset: { what: "image" } });
    const at = number({ class: "kf-frame", min: 0, step: 1, value: frame ?? (n === 1 ? 0 : state.frames - 1), dataset: { what: "frame" } });
    at.max = String(state.frames - 1);
    const hold = number({ class: "kf-strength", min: 0, max: 1, step: 0.05, value: strength ?? 1, dataset: { what: "strength" } });
    const figure = el("figure", { class: "image-preview thumb", hidden: true });
    image.addEventListener("change", () => preview(image, figure, "Keyframe image", size, true));
    const row = el("li", { class: "input-row" },
      el("label", { class: "mini" }, "Image", filePick(image, { button: "Choose image", none: "no image yet" })),
      el("label", { class: "mini" }, "Frame", at),
      el("label", { class: "mini" }, "Strength", hold),
      figure,
      el("button", { type: "button", class: "ghost small", dataset: { what: "remove" }, onclick: () => { row.remove(); limits(); } }, "Remove"));
    p.keyRows.append(row);
    limits();
    return row;
  }

  function keyframes() {
    return [...p.keyRows.children].map((row) => ({
      file: row.querySelector(".kf-image").files[0] || null,
      frame: Number(row.querySelector(".kf-frame").value),
      strength: Number(row.querySelector(".kf-strength").value),
    }));
  }

  // ---- LoRAs ----------------------------------------------------------------------------------
  function loraRow({ name, strength } = {}) {
    const names = (state.loras || []).map((l) => l.name);
    // A file the server lists as unusable (cut short, a Git LFS pointer) is shown, with why, but cannot
    // be picked: a create naming it is refused.
    const pick = el("select", { class: "lora-name", dataset: { what: "name" } },
      (state.loras || []).map((l) => l.usable === false
        ? el("option", { value: l.name, disabled: true, title: l.problem || "" }, `${l.name} (unusable: ${l.problem || "the server refuses it"})`)
        : el("option", { value: l.name, selected: l.name === name }, l.name)));
    if (name && !names.includes(name)) pick.append(el("option", { value: name, selected: true }, `${name} (not on this server)`));
    const weight = number({ class: "lora-strength", min: -5, max: 5, step: 0.05, value: strength ?? 1, dataset: { what: "strength" } });
    const row = el("li", { class: "input-row" },
      el("label", { class: "mini" }, "LoRA", pick),
      el("label", { class: "mini" }, "Strength", weight),
      el("button", { type: "button", class: "ghost small", dataset: { what: "remove" }, onclick: () => { row.remove(); limits(); } }, "Remove"));
    p.loraRows.append(row);
    limits();
    return row;
  }

  function loras() {
    return [...p.loraRows.children].map((row) => ({
      name: row.querySelector(".lora-name").value,
      strength: Number(row.querySelector(".lora-strength").value),
    }));
  }

  /** Says why LoRAs cannot be chosen, when they cannot; rows show only when they can. */
  function showLoras() {
    const model = state.model;
    let note = "Styles or subjects trained on top of the model, from the server's LoRA folder.";
    if (state.loras === null) note = "Reading the server's LoRA folder…";
    else if (model && !model.supports_lora) note = `${model.id} takes no LoRAs.`;
    else if (state.unread) note = `Could not read the server's LoRA list: ${state.unread}.`;
    else if (!state.loras.length) note = noLoras(state.folder);
    const usable = Boolean(model && model.supports_lora && state.loras && state.loras.length);
    p.loraNote.textContent = note;
    p.loraRows.hidden = !usable;
    p.loraAdd.parentElement.hidden = !usable;
  }

  /** Caps the rows, and names each row's controls by its place ("Keyframe 2 frame", "Remove LoRA 1"). */
  function limits() {
    p.keyAdd.disabled = p.keyRows.children.length >= MAX_ROWS;
    p.loraAdd.disabled = p.loraRows.children.length >= MAX_ROWS;
    for (const [rows, noun] of [[p.keyRows, "keyframe"], [p.loraRows, "LoRA"]]) {
      [...rows.children].forEach((row, i) => {
        for (const node of row.querySelectorAll("[data-what]")) {
          const what = node.dataset.what;
          const name = `${noun === "keyframe" ? "Keyframe" : "LoRA"} ${i + 1}`;
          node.setAttribute("aria-label", what === "remove" ? `Remove ${noun} ${i + 1}` : what === "name" ? name : `${name} ${what}`);
        }
      });
    }
  }

  p.keyAdd.addEventListener("click", () => keyRow().querySelector("input").focus());
  p.loraAdd.addEventListener("click", () => loraRow().querySelector("select").focus());

  json("v1/loras")
    .then((list) => { state.loras = list.data; state.folder = list.folder || null; })
    // Not "no LoRAs": the folder may hold some; the person is told the listing failed, and why.
    .catch((err) => { state.loras = []; state.unread = err.message; })
    .finally(() => {
      for (const row of p.loraRows.children) {
        // Rows prefilled before the listing came keep their name and gain the others.
        const select = row.querySelector("select");
        const keep = select.value;
        select.replaceChildren(...state.loras.map((l) => el("option", { value: l.name, selected: l.name === keep }, l.name)));
        if (keep && !state.loras.some((l) => l.name === keep)) select.append(el("option", { value: keep, selected: true }, `${keep} (not on this server)`));
      }
      showLoras();
    });

  // ---- the form's view of them ----------------------------------------------------------------
  /** Shows the end image for image to video on a model that pins a last frame, keyframes for their task. */
  function apply(model, task, frames) {
    Object.assign(state, { model, task, frames: Math.max(1, frames || 1) });
    p.endField.hidden = !(model && model.supports_end_image && task === "i2v");
    p.keyField.hidden = task !== "keyframes";
    // Task "audio" is sound by definition; any other task of a model that makes sound may leave it out.
    p.soundField.hidden = !(model && model.tasks.includes("audio") && task !== "audio");
    if (!p.keyField.hidden && !p.keyRows.children.length) keyRow();
    for (const input of p.keyRows.querySelectorAll(".kf-frame")) input.max = String(state.frames - 1);
    crops(); // a new model may have chosen another size
    showLoras();
  }

  /** The JSON fields: LoRAs the model can take, keyframes' frames and strengths for their task. */
  function addFields(out) {
    if (!p.loraRows.hidden && p.loraRows.children.length) out.loras = loras();
    if (!p.keyField.hidden) out.keyframes = keyframes().map(({ frame, strength }) => ({ frame, strength }));
    if (!p.soundField.hidden && !p.sound.checked) out.audio = false;
    return out;
  }

  /** Whether the body must be multipart: an image is chosen that only an upload can carry. */
  function hasFiles() {
    return Boolean((!p.endField.hidden && p.end.files[0]) || !p.keyField.hidden);
  }

  function addFiles(form) {
    if (!p.endField.hidden && p.end.files[0]) form.append("end_image", p.end.files[0]);
    if (!p.keyField.hidden) for (const key of keyframes()) if (key.file) form.append("keyframe_images", key.file);
  }

  /** What the page can refuse before sending: keyframes without images. Returns [param, message] or null. */
  function problem() {
    if (p.keyField.hidden) return null;
    const keys = keyframes();
    if (!keys.length) return ["keyframes", "Add at least one keyframe."];
    const missing = keys.findIndex((k) => !k.file);
    if (missing >= 0) return ["keyframe_images", `Choose an image for keyframe ${missing + 1}.`];
    return null;
  }

  /** Loads an old video's LoRAs and keyframe frames; returns what must be chosen again, as [param, message]. */
  function prefill(params) {
    p.loraRows.replaceChildren();
    p.keyRows.replaceChildren();
    for (const lora of params.loras || []) loraRow(lora);
    for (const key of params.keyframes || []) keyRow(key);
    p.end.value = "";
    p.end.dispatchEvent(new Event("change"));
    p.sound.checked = params.audio !== false;
    showLoras();
    const again = [];
    if (params.end_image) again.push(["end_image", `Choose the end image again: ${NOT_COPIED}`]);
    if ((params.keyframes || []).length) again.push(["keyframe_images", `Choose each keyframe's image again: ${NOT_COPIED}`]);
    return again;
  }

  /**
   * Marks and focuses the control a row's error names ("keyframes[1].frame", "loras[0].strength"):
   * the message shows under the whole list, so the row it is about must be pointed at.
   */
  function point(param) {
    // keyframe_images[1] is row 2's image: the page sends one file per row, in the rows' order.
    const m = /^(keyframes|keyframe_images|loras)\[(\d+)\]\.?(\w*)/.exec(param || "");
    const rows = m && (m[1] === "loras" ? p.loraRows : p.keyRows);
    const row = rows && rows.children[Number(m[2])];
    if (!row) return;
    const control = row.querySelector(`[data-what="${m[3]}"]`) || row.querySelector("[data-what]");
    // showError marked the list's first control; the error is about this one.
    for (const c of rows.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    control.setAttribute("aria-invalid", "true");
    control.focus();
  }

  function lock(on) {
    for (const node of [p.end, p.sound, p.keyAdd, p.loraAdd, ...p.keyRows.querySelectorAll("input, button"),
      ...p.loraRows.querySelectorAll("select, input, button")]) node.disabled = on;
    if (!on) limits();
  }

  return { apply, addFields, hasFiles, addFiles, problem, prefill, lock, point, crops };
}
