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

/** NUL and the control bytes other than \t \n \v \f \r, which looksBinary counts. */
const CONTROL_BYTES = Array.from({ length: 32 }, (_, b) => b).filter((b) => b < 9 || b > 13);

/** True when the bytes look like a binary file rather than text (NUL bytes or many control characters). */
export function looksBinary(bytes: Uint8Array): boolean {
  // A text file has none of these bytes: looked for natively first, and counted only when there.
  const head = bytes.subarray(0, 4096);
  if (!CONTROL_BYTES.some((b) => head.indexOf(b) >= 0)) return false;
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
/** What normalizeText's replaces change: circled numbers, CR and the invisible characters (one pass to ask). */
const REPLACED = new RegExp(`[\\u2460-\\u2473\\r${INVISIBLE.source.slice(1)}`);
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

/** Every footer above has one of these: a dash, 第, 「/」. */
const FOOTER_MARK = /[-—–－第/]/;

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
  // The replaces below change only these characters, which NFKC never makes (checked over every
  // code point): a text without any, most of them, needs NFKC alone.
  if (!REPLACED.test(text)) text = text.normalize("NFKC");
  else {
    text = text
      // NFKC makes 「①」 a bare 「1」, which would read as a cell: keep it an enumerator, 「(1)」.
      .replace(/[\u2460-\u2473]/g, (c) => `(${c.charCodeAt(0) - 0x245f})`)
      .normalize("NFKC")
      .replace(/\r\n?/g, "\n")
      // (NFKC has already made the ideographic space 「\u3000」 a plain space.)
      .replace(INVISIBLE, "");
  }
  if (looksTraditional(text)) text = toSimplified(text);
  text = stripInlinePinyin(text);
  // Most texts have nothing to drop or strip: no ruler (「---」), no heading mark (「#」), and no
  // footer among the lines with a footer's mark. Such a text is returned as it is, unsplit.
  if (!text.includes("---") && !text.includes("#") && !hasFooterLine(text)) return text;
  const all = text.split("\n");
  const lines = all.filter((l) => !isFooter(l) && !(l.includes("---") && RULER.test(l)));
  // Nothing dropped and no heading marks: the text is already what joining its lines would give.
  if (!text.includes("#")) return lines.length === all.length ? text : lines.join("\n");
  return lines.map((l) => (l.includes("#") ? l.replace(/^\s*#{1,6}\s+/, "") : l)).join("\n");
}

/** Cheap tests first: a footer is short once trimmed and has a dash, 第 or 「/」. */
const isFooter = (l: string) => (l.length <= 30 || l.trim().length <= 30) && FOOTER_MARK.test(l) && PAGE_FOOTER.some((re) => re.test(l));

const FOOTER_MARKS = new RegExp(FOOTER_MARK.source, "g");

/** Whether a line of the text is a page footer: only the lines with a footer's mark are tried. */
function hasFooterLine(text: string): boolean {
  const mark = FOOTER_MARKS;
  mark.lastIndex = 0;
  for (let m = mark.exec(text); m; m = mark.exec(text)) {
    const start = text.lastIndexOf("\n", m.index) + 1;
    const nl = text.indexOf("\n", m.index);
    const end = nl < 0 ? text.length : nl;
    if (isFooter(text.slice(start, end))) return true;
    if (nl < 0) break;
    // The rest of this line has been judged with it.
    mark.lastIndex = nl + 1;
  }
  return false;
}

/** The first `n` lines of a text: text.split("\n").slice(0, n) without splitting the rest. */
export function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (out.length < n) {
    const end = text.indexOf("\n", from);
    if (end < 0) {
      out.push(text.slice(from));
      break;
    }
    out.push(text.slice(from, end));
    from = end + 1;
  }
  return out;
}

/** Remove every whitespace character — for matching labels broken by PDF extraction. */
export function compact(s: string): string {
  return s.replace(/[\s|]+/g, "");
}

/** The whitespace SpacedText leaves out of its compact form (by character code). */
const isSpacedWhitespace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === 0x3000;

/**
 * A text searchable for words whatever whitespace extraction put between their characters
 * (「勾 稽 关系」): searched in its compact form, positions reported in the original.
 */
export class SpacedText {
  readonly compact: string;
  private readonly positions: Int32Array;

  constructor(readonly text: string) {
    const positions = new Int32Array(text.length);
    // The compact text's character codes, gathered in the same pass (a second pass with a
    // replace of the whitespace pattern cost as much again).
    const codes = new Uint16Array(text.length);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (isSpacedWhitespace(c)) continue;
      codes[n] = c;
      positions[n++] = i;
    }
    let compact = "";
    // (In slices: a call takes only so many arguments.)
    for (let k = 0; k < n; k += 4096) compact += String.fromCharCode.apply(null, codes.subarray(k, Math.min(n, k + 4096)) as unknown as number[]);
    this.compact = compact;
    this.positions = positions.subarray(0, n);
  }

  /**
   * How many characters of the original text `word` (compact: none of the whitespace dropped
   * here) covers when it stands at `at`, whitespace between its characters included; -1 when it
   * does not stand there. The same as a sticky match of 「w[ws]*o[ws]*r[ws]*d」, without building
   * a pattern per word: a run of whitespace can only end at the word's next character, so it is
   * skipped whole.
   */
  lengthAt(word: string, at: number): number {
    const text = this.text;
    let i = Math.max(0, at);
    const start = i;
    let first = true;
    for (const ch of word) {
      if (!first) while (i < text.length && isSpacedWhitespace(text.charCodeAt(i))) i++;
      first = false;
      if (!text.startsWith(ch, i)) return -1;
      i += ch.length;
    }
    return i - start;
  }

  /** Original index of the first occurrence of `word` starting at or after `from`, or -1. */
  indexOf(word: string, from = 0): number {
    const k = this.compact.indexOf(word, this.compactIndex(from));
    return k < 0 ? -1 : this.positions[k];
  }

  /**
   * The compact form of the original text[start, end) (a slice of `compact`, nothing built).
   * compact() of it is compact() of text.slice(start, end): the rest of [\s|] is dropped either way.
   */
  compactOf(start: number, end = this.text.length): string {
    return this.compact.slice(this.compactIndex(start), this.compactIndex(end));
  }

  /** Where the compact text catches up with original index `at`: its first character at or after it. */
  private compactIndex(at: number): number {
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.positions[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
