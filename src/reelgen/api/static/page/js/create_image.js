// The Create form's start image: its preview, what the crop to the chosen size keeps, a size that
// fits it, and a file the server would refuse (an SVG, a text file named .png) said before sending.
import { showCrop } from "./crop.js";
import { IMAGE_KINDS, drawnImage, takenImage } from "./image_types.js";
import { readFacts, tooManyPixels } from "./server_facts.js";
import { el } from "./util.js";

/**
 * Wires `f.image` to its preview and note; `size()`, `model()` and `remixing()` read the rest of the
 * form. Returns `note()` (redraw the crop for a new size or model, or after the field's error changed)
 * and `problem()` (why the chosen file cannot be sent, or null).
 */
export function mountStartImage(f, { size, model, remixing }) {
  const state = { image: null, bad: null, undrawn: null };
  const noteEl = () => document.getElementById("f-image-note");

  function changed() {
    const file = f.image.files[0];
    if (state.image) URL.revokeObjectURL(state.image.url);
    state.image = null;
    // Browsers draw an SVG, so the crop note said "nothing is cropped" of a file the server then refused.
    state.bad = file && !takenImage(file) ? `${file.name} is not a ${IMAGE_KINDS} image; choose one of those.` : null;
    // A TIFF is taken, but no browser draws it: said, where a broken preview called it "not a readable image".
    state.undrawn = file && !state.bad && !drawnImage(file)
      ? `${file.name}: this browser shows no preview of a TIFF image, so what the crop keeps cannot be drawn; the server reads it as it is.` : null;
    f.imagePreview.replaceChildren();
    f.imagePreview.hidden = !file || Boolean(state.bad || state.undrawn);
    note(); // the last image's note goes now: this file may never load
    if (!file || state.bad || state.undrawn) return;
    const url = URL.createObjectURL(file);
    const img = el("img", { src: url, alt: `Start image: ${file.name}` });
    const box = el("div", { class: "crop-box", "aria-hidden": "true" });
    img.addEventListener("load", async () => {
      const width = img.naturalWidth, height = img.naturalHeight;
      await readFacts();
      if (f.image.files[0] !== file) return; // another file was chosen meanwhile
      // Said before sending, in the server's words: the crop note said "nothing is cropped" of it.
      const over = tooManyPixels(width, height);
      if (over) {
        state.bad = `${file.name}: ${over}; choose a smaller image.`;
        f.imagePreview.hidden = true;
        URL.revokeObjectURL(url);
      } else state.image = { url, width, height };
      note();
    });
    img.addEventListener("error", () => {
      state.bad = `${file.name} is not a readable image; choose a ${IMAGE_KINDS} image.`;
      f.imagePreview.hidden = true;
      note();
    });
    f.imagePreview.append(el("div", { class: "frame" }, img, box), el("figcaption", {}, file.name));
  }

  /** Says, and draws, what part of the start image survives the crop to the chosen size. */
  function note() {
    const out = noteEl();
    const chosen = size();
    f.fitButton.hidden = true;
    // The form's error under the field says it already (Generate was pressed): once is enough.
    const told = document.getElementById("err-input_reference");
    if (state.bad && told && !told.hidden && told.textContent === state.bad) { out.hidden = true; return; }
    if (state.bad) {
      out.textContent = state.bad;
      out.classList.add("warn");
      out.hidden = false;
      return;
    }
    if (state.undrawn) {
      out.textContent = state.undrawn;
      out.classList.remove("warn");
      out.hidden = false;
      return;
    }
    if (!state.image || !chosen) { out.hidden = true; return; }
    // Drawn from the image as loaded: state.image is set only once it loaded and was not refused.
    const crop = showCrop(f.imagePreview.querySelector("img"), f.imagePreview.querySelector(".crop-box"), out, chosen);
    if (crop && crop.cut > 0) f.fitButton.hidden = !model() || remixing();
  }

  function fit() {
    const m = model();
    if (!state.image || !m) return;
    const aspect = state.image.width / state.image.height;
    const best = m.choices.sizes.reduce((a, b) => {
      const d = (s) => Math.abs(Math.log(Number(s.size.split("x")[0]) / Number(s.size.split("x")[1]) / aspect));
      return d(b) < d(a) ? b : a;
    });
    f.form.querySelector(`input[name="size"][value="${best.size}"]`).checked = true;
    note();
  }

  f.image.addEventListener("change", changed);
  f.fitButton.addEventListener("click", fit);
  return { note, problem: () => (f.image.files[0] ? state.bad : null) };
}
