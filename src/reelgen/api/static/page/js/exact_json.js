// JSON whose whole numbers past 2^53 (seeds go up to 2^63-1) reach the server as written: JavaScript
// numbers would round them, so between parse and send they travel as marked strings.
const MARK = "\u0000int:";
// A string (skipped whole), or a run of 16 or more digits that is a whole number of its own.
const TOKENS = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])/g;

/** `text` (digits, maybe a minus) as a value that `stringifyExact` writes back as that very number. */
export function exactInt(text) {
  return Number.isSafeInteger(Number(text)) ? Number(text) : `${MARK}${text}`;
}

/** JSON.parse, keeping each whole number too large for a JavaScript number exact (see exactInt). */
export function parseExact(text) {
  return JSON.parse(text.replace(TOKENS, (token) => (token.startsWith('"') ? token : JSON.stringify(exactInt(token)))));
}

/** JSON.stringify, writing the numbers kept by exactInt or parseExact as the numbers they were. */
export function stringifyExact(value) {
  return JSON.stringify(value).replace(/"\\u0000int:(-?\d+)"/g, "$1");
}

/**
 * JSON.parse of an API answer, each seed past 2^53 read as its digits (text) rather than a rounded
 * number, so "use these settings" and remix send the seed the video was made with.
 */
export function parseAnswer(text) {
  // Only a key: inside a JSON string its quotes would be escaped (\"seed\").
  return JSON.parse(text.replace(/("seed"\s*:\s*)(-?\d{16,})(?![\w.])/g,
    (whole, key, digits) => (Number.isSafeInteger(Number(digits)) ? whole : `${key}"${digits}"`)));
}
