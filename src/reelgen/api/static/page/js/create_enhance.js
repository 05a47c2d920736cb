// The Create form's "After generation" choices: smoother motion (a factor, or a target frame rate) and
// upscaling, each labelled with the clip it makes. An old video's value beyond the usual choices (an
// interpolate of 3, an upscale of 1.5, a target_fps) is kept as a choice "as before": POST /v1/videos takes it.
// Its methods (interpolator, upscaler) are kept too and sent while that step stays on, so "Use these
// settings" asks for the same chain rather than whatever is best on the server now.
import { el, fps } from "./util.js";

/** Factors offered (POST /v1/videos takes interpolate 2..16, upscale up to 8). */
const FACTORS = ["2", "4"];
/** The motion choice's value for a target frame rate, followed by the rate as the API wrote it. */
const RATE = "fps:";

/** A rate as the API writes it ("60", "59.94", "60000/1001") in frames per second. */
export function rateText(text) {
  const [num, den] = text.split("/").map(Number);
  const value = den ? num / den : num;
  return Number.isFinite(value) ? fps(value) : text;
}

/**
 * An upscale by `k` of a `w`×`h` clip as the page says it everywhere ("×2: 512×512"): exact for whole
 * factors; the server rounds a fractional one's size, so that one says "about".
 */
export function scaledText(k, w, h) {
  return `×${k}: ${Number.isInteger(k) ? "" : "about "}${Math.round(w * k)}×${Math.round(h * k)}`;
}

/**
 * Wires the two selects: `label(rate, size)` rebuilds them for the generated clip, `prefill(p)`
 * loads a video's parameters, `addFields(out)` puts the choice in a create body.
 */
export function mountEnhanceChoices(f) {
  const kept = { motion: null, scale: null }; // an old video's values the usual choices lack
  const method = { interpolator: null, upscaler: null }; // an old video's methods, sent again

  function label(rate, size) {
    const [w, h] = (size || "0x0").split("x").map(Number);
    const motion = (k) => `×${k} frames: ${fps(rate * k)} fps`;
    const larger = (k) => scaledText(k, w, h);
    const keep = [f.interpolate.value, f.upscale.value];
    // replaceChildren() writes a null as the text "null": an absent "as before" choice is spread away.
    f.interpolate.replaceChildren(el("option", { value: "" }, `Off (${fps(rate)} fps)`),
      ...FACTORS.map((k) => el("option", { value: k }, motion(Number(k)))),
      ...kept.motion ? [el("option", { value: kept.motion }, `${kept.motion.startsWith(RATE)
        ? `To ${rateText(kept.motion.slice(RATE.length))} fps` : motion(Number(kept.motion))} (as before)`)] : []);
    f.upscale.replaceChildren(el("option", { value: "" }, `Off (${w}×${h})`),
      ...FACTORS.map((k) => el("option", { value: k }, larger(Number(k)))),
      ...kept.scale ? [el("option", { value: kept.scale }, `${larger(Number(kept.scale))} (as before)`)] : []);
    [f.interpolate.value, f.upscale.value] = keep;
    const before = [method.interpolator && `interpolator ${method.interpolator}`,
      method.upscaler && `upscaler ${method.upscaler}`].filter(Boolean);
    document.getElementById("f-enhance-note").textContent =
      "Runs on the server after the model: RIFE and Real-ESRGAN where their weights are pulled " +
      "(reelgen pull rife, reelgen pull realesrgan), else optical flow and Lanczos." +
      (before.length ? ` Methods as before: ${before.join(", ")}.` : "");
  }

  /** Chooses `p`'s interpolation and upscaling for the clip `rate` fps at `size`. */
  function prefill(p, rate, size) {
    // A video was made with a factor or a rate; were both somehow given, the factor is what the form holds.
    const motion = p.interpolate ? String(p.interpolate) : p.target_fps ? `${RATE}${p.target_fps}` : "";
    const scale = p.upscale ? String(p.upscale) : "";
    kept.motion = motion && !FACTORS.includes(motion) ? motion : null;
    kept.scale = scale && !FACTORS.includes(scale) ? scale : null;
    method.interpolator = motion ? p.interpolator || null : null;
    method.upscaler = scale ? p.upscaler || null : null;
    label(rate, size);
    f.interpolate.value = motion;
    f.upscale.value = scale;
  }

  function addFields(out) {
    const motion = f.interpolate.value;
    if (motion.startsWith(RATE)) out.target_fps = motion.slice(RATE.length); // text: "60000/1001" stays exact
    else if (motion) out.interpolate = Number(motion);
    if (motion && method.interpolator) out.interpolator = method.interpolator;
    if (f.upscale.value) out.upscale = Number(f.upscale.value);
    if (f.upscale.value && method.upscaler) out.upscaler = method.upscaler;
    return out;
  }

  /**
   * The field an error about the kept methods belongs to ("interpolate" or "upscale"), or null when
   * `param` is about neither; the method it names is let go, so the next Generate takes the best
   * this server has (the form offers no method to pick instead).
   */
  function refused(param, message) {
    const rife = param === "weights" && /\bRIFE\b/.test(message);
    const field = param === "interpolator" || param === "target_fps" || rife ? "interpolate"
      : param === "upscaler" || (param === "weights" && /ESRGAN/.test(message)) ? "upscale" : null;
    const key = field === "interpolate" ? "interpolator" : "upscaler";
    if (field && param !== "target_fps" && method[key]) {
      method[key] = null;
      label(Number(f.rate.value) || 1, f.form.querySelector('input[name="size"]:checked')?.value);
      return { field, note: ` The form now asks for the best method this server has: press Generate again for it.` };
    }
    return field ? { field, note: "" } : null;
  }

  return { label, prefill, addFields, refused };
}
