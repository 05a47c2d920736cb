// Where JSON typed into a box goes wrong, said in words: the browser's own JSON.parse message ("Expected
// double-quoted property name in JSON at position 26") named a character count and a grammar term.
import { caretAt } from "./file_errors.js";

/** What a value that is none reads as, when it is a word: Python's and JavaScript's words, unquoted text. */
const WORD = /^[A-Za-z_$][\w$-]*/;
/** A number as JSON writes it. */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
/** The escapes a JSON string may hold after its backslash. */
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t", "u"]);

class Problem extends Error {
  constructor(at, words) {
    super(words);
    this.at = at;
  }
}

/** The first problem with `text` as JSON, as `{ line, column, words }` (from 1), or null where it reads. */
export function jsonProblem(text) {
  try {
    read(text);
    return null;
  } catch (err) {
    // Nesting past the call stack (thousands of "[") is no place to name: the browser's words stand.
    if (!(err instanceof Problem)) return null;
    return { ...position(text, err.at), words: err.message };
  }
}

/** The longest line quoted in an error: the rest is cut with "…". */
const QUOTE_MOST = 60;

/**
 * Where `box`'s text is not JSON, as the box's error: `{ text, caret }`, the text "The manifest is not valid
 * JSON: line 2, column 4: … (line 2 reads “…”)." (`what`: "manifest") and `caret()` putting the caret
 * there; null where no place is found (the browser's JSON.parse then has the last word).
 */
export function notJson(box, what) {
  const found = jsonProblem(box.value);
  if (!found) return null;
  const { line, column, words } = found;
  const row = box.value.split("\n")[line - 1].trim();
  const quote = row ? ` (line ${line} reads “${row.length > QUOTE_MOST ? `${row.slice(0, QUOTE_MOST)}…` : row}”)` : "";
  const verb = what.endsWith("s") ? "are" : "is";
  return {
    text: `The ${what} ${verb} not valid JSON: line ${line}, column ${column}: ${words}${quote}.`,
    caret: () => caretAt(box, line, column),
  };
}

/** The line and column (from 1, a column counting characters as a person does) of offset `at` in `text`. */
function position(text, at) {
  const before = text.slice(0, at);
  return { line: before.split("\n").length, column: Array.from(before.slice(before.lastIndexOf("\n") + 1)).length + 1 };
}

/** The place of `at` in `text` as words: "line 2, column 5". */
function placeOf(text, at) {
  const { line, column } = position(text, at);
  return `line ${line}, column ${column}`;
}

function read(text) {
  let i = 0;
  const space = () => {
    while (i < text.length) {
      if (" \t\n\r".includes(text[i])) i += 1;
      else if (text.startsWith("//", i) || text.startsWith("/*", i)) throw new Problem(i, "a comment, which JSON does not allow; remove it");
      else break;
    }
  };

  function string() {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n" || text[i] === "\r") throw new Problem(i, `a line break inside the text quoted at ${placeOf(text, start)}; close it with " before the line ends (a break in the text is written \\n)`);
      if (text[i] < " ") throw new Problem(i, "a tab or control character inside a text; write a tab as \\t");
      if (text[i] === "\\") {
        const next = text[i + 1];
        if (next === undefined) break;
        if (!ESCAPES.has(next)) throw new Problem(i, `\\${next} is no escape JSON knows; write a backslash as \\\\ (a Windows path as C:\\\\shots, or C:/shots)`);
        if (next === "u" && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Problem(i, "\\u must be followed by four hexadecimal digits");
        i += next === "u" ? 6 : 2;
      } else i += 1;
    }
    if (i >= text.length) throw new Problem(i, `the JSON ends inside the text quoted at ${placeOf(text, start)}; close it with "`);
    i += 1;
  }

  function value() {
    space();
    const c = text[i];
    if (c === undefined) throw new Problem(i, "the JSON ends where a value should follow");
    if (c === "{") return container("{", "}", "object");
    if (c === "[") return container("[", "]", "list");
    if (c === '"') return string();
    if (c === "'") throw new Problem(i, "a text in single quotes; JSON takes double quotes: \"…\"");
    const number = NUMBER.exec(text.slice(i));
    if (number && !/[\w.]/.test(text[i + number[0].length] || "")) { i += number[0].length; return; }
    const word = WORD.exec(text.slice(i));
    if (word && ["true", "false", "null"].includes(word[0])) { i += word[0].length; return; }
    if (word && text[i + word[0].length] === ":") throw new Problem(i, `${word[0]}: reads as YAML; this box takes JSON, names in double quotes inside { }: {"${word[0]}": …}`);
    if (word) {
      const lower = { True: "true", False: "false", None: "null", undefined: "null", NaN: "null", Infinity: "null" }[word[0]];
      const said = lower ? `write ${lower}` : `text must be in double quotes: "${word[0]}"`;
      throw new Problem(i, `${word[0]} is no JSON value; ${said}`);
    }
    if (/[-+.\d]/.test(c)) throw new Problem(i, "a number JSON cannot read (JSON writes 0.5, not .5; 7, not 07 or +7)");
    throw new Problem(i, `'${c}' where a value should be (a text in double quotes, a number, true, false, null, [ or {)`);
  }

  function container(open, close, what) {
    const start = i;
    i += 1;
    space();
    if (text[i] === close) { i += 1; return; }
    for (;;) {
      if (what === "object") {
        space();
        const c = text[i];
        if (c === close) throw new Problem(i, `a ',' before the '${close}'; remove the last ','`);
        if (c === undefined) break;
        if (c === "'") throw new Problem(i, "a name in single quotes; JSON takes double quotes: \"name\"");
        const word = WORD.exec(text.slice(i));
        if (word) throw new Problem(i, `the name ${word[0]} has no quotes; write "${word[0]}"`);
        if (c !== '"') throw new Problem(i, `'${c}' where a name in double quotes should be`);
        string();
        space();
        if (i >= text.length) break;
        if (text[i] !== ":") throw new Problem(i, "expected ':' after the name");
        i += 1;
      } else {
        space();
        if (text[i] === close) throw new Problem(i, `a ',' before the '${close}'; remove the last ','`);
      }
      if (i >= text.length) break;
      value();
      space();
      if (i >= text.length) break;
      if (text[i] === close) { i += 1; return; }
      if (text[i] !== ",") throw new Problem(i, `expected ',' or '${close}' after the value before this: is a ',' missing, or the ${what} opened with '${open}' at ${placeOf(text, start)} not closed?`);
      i += 1;
    }
    throw new Problem(i, `the JSON ends inside the ${what} opened with '${open}' at ${placeOf(text, start)}; close it with '${close}'`);
  }

  value();
  space();
  if (i < text.length) throw new Problem(i, "more after the end of the JSON value (a second value, or a '}' or ']' too many?)");
}
