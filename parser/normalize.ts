/**
 * Bytes → text → one normalised plain text, whatever the source (plain text, Markdown, HTML).
 * Pure functions: no I/O.
 */
import { htmlToText } from "./html.ts";
import { looksTraditional, stripInlinePinyin, toSimplified } from "./traditional.ts";

export type SourceKind = "text" | "markdown" | "html";

/** Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312). */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "gb18030" };
  }
}

/** True when the bytes look like a binary file rather than text (NUL bytes or many control characters). */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.05;
}

export function detectKind(text: string, fileName = ""): SourceKind {
  if (/\.html?$/i.test(fileName) || /<(?:html|body|table|tr|td|p|div)\b[^>]*>/i.test(text.slice(0, 20000))) return "html";
  if (/&lt;(?:table|tr|td|p)\b/i.test(text)) return "html";
  if (/\.md$/i.test(fileName)) return "markdown";
  return "text";
}

/**
 * Characters that print nothing (Unicode format characters: zero-width space and joiners, BOM,
 * soft hyphen, word joiner, direction marks; and the line/paragraph separators). Editors paste
 * them inside numbers (「3\u00ad4」 shows as 34); left in, they cut one number into two cells.
 * Listed, not \p{Cf}: the class is a few times faster on every plain text.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
/** The same characters written as character references in a page's source (「&shy;」, 「&#xFEFF;」). */
const INVISIBLE_REF = /&(?:shy|zwsp|zwnj|zwj|lrm|rlm|ZeroWidthSpace|NoBreak);|&#(?:x([0-9a-f]{1,6})|(\d{1,7}));/gi;

/** The text without invisible characters; in a page's source, without their references either (before the cells are told apart). */
function withoutInvisibles(s: string, html: boolean): string {
  s = s.replace(INVISIBLE, "");
  if (!html || !s.includes("&")) return s;
  return s.replace(INVISIBLE_REF, (ref, hex: string | undefined, dec: string | undefined) => {
    if (hex === undefined && dec === undefined) return "";
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code < 0x110000 && String.fromCodePoint(code).replace(INVISIBLE, "") === "" ? "" : ref;
  });
}

const PAGE_FOOTER = [
  /^\s*[-—–－]+\s*\d{1,3}\s*[-—–－]+\s*$/,
  /^\s*第\s*\d{1,3}\s*页\s*(?:[,，/]?\s*共\s*\d{1,3}\s*页)?\s*$/,
  /^\s*\d{1,3}\s*\/\s*\d{1,3}\s*$/,
];

/** A ruler of a pandoc grid table: 「+------+-----+」, 「+======+=====+」 under the header. */
const GRID_RULER = /^ *\+(?:[-=:]+\+)+ *\r?$/;

const isHan = (c: string | undefined) => c !== undefined && c >= "\u3000" && c <= "\u9fff";

/**
 * Pandoc grid tables (rulers of 「+---+」, a row's cells between pipes over several lines, each
 * cell's text wrapped inside it: 「| 本年新制 |」「| 作数量 |」) as one line per row, each cell's
 * lines joined (「| 本年新制作数量 |」). Read line by line, a wrapped header loses its words and a
 * wrapped label is two rows. A row whose lines do not have the same cells is left as it is.
 */
function unwrapGridTables(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let row: string[] = [];
  let inTable = false;
  const flush = () => {
    if (row.length > 0) out.push(...joinGridRow(row));
    row = [];
  };
  for (const l of lines) {
    if (l.includes("+") && GRID_RULER.test(l)) {
      flush();
      inTable = true;
    } else if (inTable && l.trimStart().startsWith("|")) row.push(l);
    else {
      flush();
      inTable = false;
      out.push(l);
    }
  }
  flush();
  return out.join("\n");
}

function joinGridRow(lines: string[]): string[] {
  const split = lines.map((l) => l.trim().replace(/^\||\|$/g, "").split("|"));
  if (split.some((cells) => cells.length !== split[0].length)) return lines;
  const cells = split[0].map((_, j) =>
    split.reduce((cell, line) => {
      const part = line[j].trim();
      if (part === "" || cell === "") return cell + part;
      // Wrapped Chinese joins as it is printed; wrapped words of Latin letters keep a space.
      return isHan(cell[cell.length - 1]) || isHan(part[0]) ? cell + part : `${cell} ${part}`;
    }, ""),
  );
  return [`| ${cells.join(" | ")} |`];
}

/** Markdown table separator rows and ruler lines (`|---|---|`, `---\t---`). */
const RULER = /^[\s|:\t]*-{3,}[-\s|:\t]*$/;

/**
 * One normalised text: NFKC (full-width digits, brackets, colons, ideographic and
 * non-breaking spaces), no page footers, no Markdown heading marks or table rulers.
 * Spaces inside CJK labels are kept here (they separate PDF columns); label matching
 * compacts them later.
 */
export function normalizeText(raw: string, kind: SourceKind): string {
  let text = kind === "html" ? htmlToText(withoutInvisibles(raw, true)) : raw.includes("+--") ? unwrapGridTables(raw) : raw;
  text = text
    // NFKC makes 「①」 a bare 「1」, which would read as a cell: keep it an enumerator, 「(1)」.
    .replace(/[\u2460-\u2473]/g, (c) => `(${c.charCodeAt(0) - 0x245f})`)
    .normalize("NFKC")
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, "")
    .replace(/\u3000/g, " ");
  if (looksTraditional(text)) text = toSimplified(text);
  text = stripInlinePinyin(text);
  // Cheap tests first: a footer is short once trimmed, a ruler has 「---」, a heading mark a 「#」.
  const isFooter = (l: string) => (l.length <= 30 || l.trim().length <= 30) && PAGE_FOOTER.some((re) => re.test(l));
  const lines = text.split("\n").filter((l) => !isFooter(l) && !(l.includes("---") && RULER.test(l)));
  return text.includes("#") ? lines.map((l) => l.replace(/^\s*#{1,6}\s+/, "")).join("\n") : lines.join("\n");
}

/** Remove every whitespace character — for matching labels broken by PDF extraction. */
export function compact(s: string): string {
  return s.replace(/[\s|]+/g, "");
}

/** A regex that matches `word` with optional whitespace between its characters. */
/**
 * A text searchable for words whatever whitespace extraction put between their characters
 * (「勾 稽 关系」): searched in its compact form, positions reported in the original.
 */
export class SpacedText {
  readonly compact: string;
  private readonly positions: Int32Array;

  constructor(readonly text: string) {
    const positions = new Int32Array(text.length);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === 0x3000) continue;
      positions[n++] = i;
    }
    this.compact = text.replace(/[ \t\n\r\u00a0\u3000]+/g, "");
    this.positions = positions.subarray(0, n);
  }

  /** Original index of the first occurrence of `word` starting at or after `from`, or -1. */
  indexOf(word: string, from = 0): number {
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.positions[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    const k = this.compact.indexOf(word, lo);
    return k < 0 ? -1 : this.positions[k];
  }
}
