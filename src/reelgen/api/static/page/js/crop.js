// What the server's crop keeps of a pinned image (start, end, keyframe): core/media.py fit scales an
// image to cover the video's size and centre-crops it, so the page draws and says the same.

/**
 * The crop of an `iw`×`ih` image to the video size `size` ("64x64"): `box` the part kept, in
 * percents of the image (CSS left, top, width, height), `text` what is cut in words, `short` the
 * same in a few words (for a keyframe row's small thumbnail), `cut` the share cut off (0 to 100).
 */
export function cropOf(iw, ih, size) {
  const [vw, vh] = size.split("x").map(Number);
  const scale = Math.max(vw / iw, vh / ih);
  const keptW = vw / scale / iw, keptH = vh / scale / ih; // shares of the image kept
  const box = { left: ((1 - keptW) / 2) * 100, top: ((1 - keptH) / 2) * 100, width: keptW * 100, height: keptH * 100 };
  const cut = Math.round((1 - Math.min(keptW, keptH)) * 100);
  if (cut < 1) return { box, cut: 0, short: "Nothing cropped", text: `Your image (${iw}×${ih}) has the video's shape: nothing is cropped.` };
  const where = keptW < keptH ? "left and right" : "top and bottom";
  return { box, cut, short: `${cut}% cropped off (${where})`, text: `Your image is ${iw}×${ih}; the video is ${vw}×${vh}, so ${cut}% of the image is cropped off (${where}).` };
}

/**
 * Draws the crop of `img` (loaded) to `size` on `box` (a .crop-box over it) and says it in `note`
 * (marked .warn when anything is cut); hides the note with no size. `short` says it in a few words
 * (a keyframe row: the whole sentence ran 2-3 lines under its thumbnail). Returns the crop, or null.
 */
export function showCrop(img, box, note, size, { short = false } = {}) {
  if (!size || !img.naturalWidth) { note.hidden = true; return null; }
  const crop = cropOf(img.naturalWidth, img.naturalHeight, size);
  for (const [key, value] of Object.entries(crop.box)) box.style[key] = `${value}%`;
  note.textContent = short ? crop.short : crop.text;
  note.classList.toggle("warn", crop.cut > 0);
  note.hidden = false;
  return crop;
}
