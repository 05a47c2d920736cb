// A server's error about a file typed into a box (a project.yaml) said as the box's reader needs it: the
// line and column first, in a sentence, and the caret put on that line.

/** "the project file line 5, column 1: problem": the server's place in a file (core/textfile.py). */
const PLACE = /^(?:the )?(.+?) line (\d+), column (\d+): ([\s\S]*)$/;

/**
 * `text` with its first letter a capital: the server's messages start lower-case, as parts of a sentence.
 * One that starts with a field's path ("defaults.size is not a known field", "scenes[1].prompt ...")
 * keeps it as written: "Defaults.size" named a field the file cannot hold (its keys are case-sensitive).
 */
export function capital(text) {
  return /^[a-z]+ /.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** The longest quoted line: the rest of a long line is cut with "…". */
const QUOTE_MOST = 60;

/**
 * `message` about the file in `box` as the box's error: "Line 5, column 1: the file ends where …"
 * with the line quoted when it holds text, and `{ line, column }` (from 1) when the server named a place;
 * any other message only starts with a capital.
 */
export function fileError(message, box) {
  const m = PLACE.exec(message);
  if (!m) return { text: capital(message), line: null, column: null };
  const [, , lineText, columnText, said] = m;
  const line = Number(lineText);
  const column = Number(columnText);
  const problem = said; // PyYAML's own words are said plainly by the server (core/yaml_words.py)
  const shown = (box.value.split("\n")[line - 1] || "").trim();
  const quote = shown ? ` (line ${line} reads “${shown.length > QUOTE_MOST ? `${shown.slice(0, QUOTE_MOST)}…` : shown}”)` : "";
  return { text: `Line ${line}, column ${column}: ${problem}${quote}.`.replace(/\.\.$/, "."), line, column };
}

/**
 * Puts the caret in `box` at `line`, `column` (from 1) and scrolls the box to it, so the line named
 * in the error is the one in view and typing mends it.
 */
export function caretAt(box, line, column) {
  const lines = box.value.split("\n");
  const row = Math.min(Math.max(line, 1), lines.length);
  let offset = lines.slice(0, row - 1).reduce((sum, l) => sum + l.length + 1, 0);
  offset += Math.min(Math.max(column - 1, 0), lines[row - 1].length);
  box.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 18;
  box.scrollTop = Math.max(0, (row - 3) * lineHeight);
}
