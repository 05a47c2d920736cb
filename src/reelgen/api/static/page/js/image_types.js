// The image files the Create form's pickers take: those POST /v1/videos decodes (api/security.py
// IMAGE_FORMATS: JPEG, PNG, WebP, BMP, GIF, TIFF). The pickers took only PNG, JPEG and WebP, so a
// TIFF the API and `reelgen generate --image` take could not be chosen here.

/** Each format by its MIME type, with the suffixes a file of it may have when the browser gives no type. */
const FORMATS = [
  { type: "image/png", suffixes: [".png"] },
  { type: "image/jpeg", suffixes: [".jpg", ".jpeg"] },
  { type: "image/webp", suffixes: [".webp"] },
  { type: "image/bmp", suffixes: [".bmp"] },
  { type: "image/gif", suffixes: [".gif"] },
  { type: "image/tiff", suffixes: [".tif", ".tiff"] },
];

/** The file inputs' `accept`: the types, and the suffixes for systems that name no type. */
export const IMAGE_ACCEPT = FORMATS.flatMap((f) => [f.type, ...f.suffixes]).join(",");

/** The formats in a person's words, as the server's refusals name them. */
export const IMAGE_KINDS = "PNG, JPEG, WebP, BMP, GIF or TIFF";

/** Whether `file` is of a format the server takes (by its type, else by its name's suffix). */
export function takenImage(file) {
  const name = file.name.toLowerCase();
  return FORMATS.some((f) => (file.type ? file.type === f.type : f.suffixes.some((s) => name.endsWith(s))));
}

/** Whether browsers draw `file`: Chromium and Firefox show no TIFF, which the server still reads. */
export function drawnImage(file) {
  return file.type !== "image/tiff" && !/\.tiff?$/i.test(file.name);
}
