// A finished video's player in a box sized from the video's own size, which words keep when they take its place.
import { el } from "./util.js";

/** "832x480" as a CSS ratio, "832 / 480"; 16 / 9 where the record gives no size. */
function ratio(size) {
  const [w, h] = String(size || "").split("x").map(Number);
  return w > 0 && h > 0 ? `${w} / ${h}` : "16 / 9";
}

/**
 * `player` in a box as big as it will be once its file loads: the bare player was 2:1 (a browser's
 * 300×150 before it knows the size), then the clip's own, and the card's buttons moved at each change.
 */
export function playerBox(video, player) {
  const box = el("div", { class: "player" }, player);
  box.style.aspectRatio = ratio(video.size);
  return box;
}

/**
 * Puts `words` (why the file cannot be played) in the player's place, in its box: a line shorter than
 * the player moved Download, Enhance and Delete up under a pointer pressed on them, and the click was lost.
 */
export function sayInBox(box, words) {
  box.classList.add("said");
  box.replaceChildren(words);
}
