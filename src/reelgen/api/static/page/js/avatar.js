// The Avatar view: a talking head from a voice (an audio file, or text the server speaks) and a face (a
// photo, a video to dub, or the server's own presenter), sent to POST /v1/avatars; the job joins the queue.
import { post } from "./api.js";
import { clearErrors, showError } from "./fields.js";
import { IMAGE_ACCEPT, IMAGE_KINDS } from "./image_types.js";
import { promptCount } from "./prompt_count.js";
import { facts, readFacts } from "./server_facts.js";
import { announce, el, videoTitle } from "./util.js";
import { clearErrorsOnEdit, formError, labelled, showApiError, tooBig } from "./viewkit.js";

/**
 * The most text a server speaks for one avatar where its GET /v1/system does not say it
 * (`detail.limits.max_avatar_text_chars`, said since 2026-12-07; fixed in api/avatars.py AvatarCreate.text).
 */
const TEXT_MOST = 5000;

/** The most text this server speaks for one avatar: its own word once read, else TEXT_MOST. */
const textMost = () => facts.maxAvatarTextChars || TEXT_MOST;

export function mountAvatar(section, ctx) {
  // Only models whose weights are here: one not downloaded could only be refused.
  const ready = ctx.models.filter((m) => m.tasks.includes("avatar") && m.weights.present);
  const model = el("select", { name: "model" },
    el("option", { value: "" }, "Server's choice (musetalk where it is downloaded, else reelgen-lipsync)"),
    ready.map((m) => el("option", { value: m.id }, m.id)));
  // What the chosen model is like, as the Create form's panel says it: reelgen-lipsync, the server's
  // choice where musetalk is not downloaded, is soft and blurry on real photos, and nothing said so.
  const about = el("span", {});
  const sayModel = () => {
    const here = (id) => ctx.models.find((m) => m.id === id && m.weights.present);
    const chosen = model.value ? here(model.value) : here("musetalk") || here("reelgen-lipsync");
    about.textContent = !chosen ? "" : model.value ? chosen.description : `Here that is ${chosen.id}: ${chosen.description}`;
  };
  model.addEventListener("change", sayModel);
  const audio = el("input", { type: "file", name: "audio", accept: "audio/*,.wav,.mp3,.flac,.ogg,.m4a,.webm" });
  // No maxlength: it cut a pasted script short without a word; too long is said on sending instead.
  const text = el("textarea", { name: "text", rows: 3, placeholder: "Hello, and welcome to the harbour tour." });
  const textHint = el("span", {});
  const sayTextMost = () => {
    textHint.textContent = `Spoken by the server's own voice; up to ${textMost().toLocaleString("en-US")} characters.`;
  };
  sayTextMost();
  readFacts().then(sayTextMost);
  const image = el("input", { type: "file", name: "image", accept: IMAGE_ACCEPT });
  const video = el("input", { type: "file", name: "video", accept: "video/mp4,video/quicktime,video/webm,video/x-matroska,.mkv,image/gif" });
  const submit = el("button", { type: "submit", class: "primary" }, "Make avatar");
  const form = el("form", { id: "avatar-form", novalidate: true, autocomplete: "off" },
    el("p", { class: "hint" }, "A face that speaks: the video lasts as long as the voice, at 25 fps, with the voice as its sound."),
    labelled({ prefix: "av", param: "model", label: "Model", control: model, hint: about }),
    labelled({ prefix: "av", param: "audio", label: "Voice (audio file)", control: audio,
      hint: "WAV, MP3, FLAC, OGG, M4A or WebM. Or leave it empty and write what to say below." }),
    labelled({ prefix: "av", param: "text", label: "Or text to speak", name: "Text to speak", control: text,
      hint: textHint }),
    labelled({ prefix: "av", param: "image", label: "Face (photo, optional)", name: "Face", control: image,
      hint: `${IMAGE_KINDS}, with a clear face looking at the camera. With no photo and no video, the server's own presenter speaks.` }),
    labelled({ prefix: "av", param: "video", label: "Or a video to dub (optional)", name: "Video to dub", control: video,
      hint: "MP4, MOV, WebM, MKV or an animated GIF: only the mouth changes." }),
    formError(),
    el("div", { class: "row" }, submit));
  clearErrorsOnEdit(form);
  // Counted as it is typed, as the Create form's prompt is: too long was first said on pressing Make avatar.
  // Trimmed, as it is sent; hidden while empty (a voice file may stand in for it).
  const textCount = promptCount(text, { what: "text to speak", optional: true, most: textMost, setting: null, trim: true });
  sayModel();
  section.append(el("h2", { class: "view-title" }, "Talking avatar"), form);

  /** Why the form cannot be sent as it is, as [field, words], or null. */
  function problem() {
    const said = text.value.trim();
    if (!audio.files[0] && !said) return ["audio", "An avatar needs a voice: choose an audio file, or write the text to speak."];
    if (audio.files[0] && said) return ["text", "Give the voice one way: the audio file or the text to speak, not both."];
    if (image.files[0] && video.files[0]) return ["video", "Give one face: a photo or a video to dub, not both."];
    // In the count's own words and numbers: "It has 5001 characters, and at most 5000" stood under
    // "5,001 of 5,000 characters".
    const long = textCount.problem();
    return long ? ["text", long] : null;
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const wrong = problem();
    if (wrong) return showError(form, ...wrong);
    const body = new FormData();
    if (model.value) body.append("model", model.value);
    if (audio.files[0]) body.append("audio", audio.files[0]);
    else body.append("text", text.value.trim());
    if (image.files[0]) body.append("image", image.files[0]);
    if (video.files[0]) body.append("video", video.files[0]);
    // Up to 32 MiB goes up and the server reads the voice through before it answers: a greyed button
    // that still read "Make avatar" said nothing was happening.
    submit.disabled = true;
    submit.textContent = "Sending…";
    try {
      const made = await post("v1/avatars", body);
      ctx.queue.add(made, { follow: true });
      // As its card names it: one voiced from a file has no prompt, and its raw id meant nothing read aloud.
      announce(`Queued: ${videoTitle(made)}`);
    } catch (err) {
      if (!tooBig(form, err, body)) showApiError(form, err);
    } finally {
      submit.disabled = false;
      submit.textContent = "Make avatar";
    }
  });

  return {};
}
