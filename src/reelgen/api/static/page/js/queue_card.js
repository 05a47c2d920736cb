// One card of the queue: its parts, and the line that says what the job makes.
import { titleFold } from "./title_fold.js";
import { el, firstWords, fps, shortName, videoTitle } from "./util.js";
import { originText } from "./words.js";

/** The card's line under its title: model, size, length, rate, seed and where it came from. */
export function meta(video) {
  const bits = [video.model, video.size.replace("x", "×"), video.num_frames ? `${video.num_frames} frames` : null,
    video.fps ? `${fps(video.fps)} fps` : null,
    // The player starts muted: a clip with a sound track says so, as the gallery's card does.
    video.parameters && video.parameters.audio === true ? "with sound" : null,
    // A talking avatar's lip-sync draws no noise: its seed is no setting of it.
    video.seed != null && !(video.parameters && video.parameters.task === "avatar") ? `seed ${video.seed}` : null,
    // Where it came from: a remix keeps its source's settings, an enhancement its source's picture, and
    // a shoot-out's trial or a batch's item was made by that job, not by the person.
    originText(video)];
  return bits.filter(Boolean).join(" · ");
}

/** A job's card, its parts not yet filled in (the queue's render does that). */
export function build(video) {
  const titleId = `card-title-${video.id}`;
  const parts = {
    status: el("span", { class: "status" }),
    position: el("span", { class: "position" }),
    title: el("h3", { id: titleId, class: "card-title" }),
    meta: el("p", { class: "meta muted" }),
    // Named by the prompt's first words: the whole of a long one was read again for the bar and every button.
    bar: el("progress", { max: 100, value: 0, "aria-label": `Progress of “${firstWords(videoTitle(video))}”`,
      "aria-describedby": `card-step-${video.id}` }),
    name: shortName(`card-name-${video.id}`, videoTitle(video)), // what the card's buttons are described by
    step: el("p", { class: "step muted", id: `card-step-${video.id}` }),
    preview: el("img", { class: "preview", alt: "", hidden: true, width: 96, height: 96 }),
    media: el("div", { class: "media" }),
    error: el("p", { class: "card-error", role: "alert", hidden: true }),
    actions: el("div", { class: "row card-actions" }),
  };
  const node = el("li", { class: "card", dataset: { id: video.id }, "aria-labelledby": titleId },
    el("div", { class: "card-head" }, parts.status, parts.position),
    parts.title, titleFold(parts.title, video), parts.meta,
    el("div", { class: "progress-row" }, parts.preview, el("div", { class: "grow" }, parts.bar, parts.step)),
    parts.media, parts.error, parts.actions, parts.name);
  return { node, video, stream: null, parts, loaded: false, requeued: null, recall: null, recalled: null };
}
