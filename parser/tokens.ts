/**
 * A table region as a stream of label text and number tokens.
 *
 * Real extractions lose the grid: cells come tab-separated, one per line, piped, spaced
 * or glued together. What survives in all of them is the order "label, then its numbers".
 * So the scanner only separates text from numbers; rows are rebuilt from labels later.
 */

import { isJsWhitespace } from "./chars.ts";

export interface NumToken {
  kind: "num";
  raw: string;
  /** Sign as printed: "" (none), "+" (also 增) or "-" (also 减). */
  sign: "" | "+" | "-";
  /** Integer digits as printed; several glued cells share one run. */
  int: string;
  /** Fraction digits, if any (e.g. 123604.14 → "14"). */
  frac: string;
  unit: "" | "元" | "万元";
  /** A note printed with the cell: 「22（其中修订16件）」 → 「其中修订16件」. */
  note?: string;
  line: number;
  /**
   * Printed as a cell of its own: a cell boundary (line break, tab, 「|」, a blank cell) on both
   * sides. Such a token was set apart by whoever printed it, so it is not cut into cells
   * (readings.ts: unless its leading zero says it is cells glued together, 「01」).
   */
  boxed?: boolean;
  /**
   * Its sign comes right after the previous number's digits (「行政许可0-30」): the sign bounds
   * the cell it starts, but the number was not set apart from the row's others by a space or a
   * cell boundary, so it may still be cut (-3|0).
   */
  signGlued?: boolean;
  /**
   * Where thousands separators stood, as positions in `int` (the digit after each): 「3,001」 → [1].
   * A separator is never a cell boundary: a cut keeps each grouped number whole (readings.ts).
   */
  commas?: number[];
  /**
   * Letters inside the run of digits, as OCR leaves them (「2S」, 「l0」, 「1口」): `int` reads the
   * usual look-alikes as digits (l I | 丨 → 1, O o 口 〇 → 0, S → 5, B → 8, Z → 2, b → 6), which
   * only the row's own equation can confirm; `unreadable` when a letter has no such digit.
   */
  ocr?: { unreadable: boolean };
}

export interface PlaceholderToken {
  kind: "placeholder";
  raw: string;
  line: number;
  /**
   * An empty line between two lines of one value each: a blank cell of a table printed one cell
   * per line, or only a break (a page's gap) — the row's width decides (readings.ts).
   */
  soft?: boolean;
}

/** A cell printed blank: the HTML reader's BLANK_CELL, an empty cell between tabs or pipes, an empty line of a one-cell-per-line table. */
export const isBlank = (t: CellToken) => t.kind === "placeholder" && t.raw === "";

/** An empty line that is a blank cell only if the row needs it. */
export const isSoft = (t: CellToken) => t.kind === "placeholder" && t.soft === true;

export interface TextToken {
  kind: "text";
  text: string;
  line: number;
}

export type Token = NumToken | PlaceholderToken | TextToken;
export type CellToken = NumToken | PlaceholderToken;

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "|" || c === "\u00a0";
const PLACEHOLDER = /^(?:\/|—+|-{1,2}|–|－|不适用|N\/A)(?=[\s|]|$)/;

/**
 * 「无」 printed in a cell instead of a number. Like 「—」 and 「/」 it is a placeholder: the
 * template asks for 0, and a cell printed otherwise is reported as not filled (the placeholder
 * check says so) rather than read as a number the report did not print.
 */
const NONE = "无";

/** The characters a placeholder can start with, to try the pattern only there. */
const PLACEHOLDER_START = "/—-–－不N";

/**
 * A table cell that is there but blank, as the HTML reader writes it (a private-use character,
 * never in a report's own text): it keeps the cells after it in their columns.
 */
export const BLANK_CELL = "\uE000";
const BLANK_CELL_CODE = BLANK_CELL.charCodeAt(0);

/** An empty line that may be a blank cell (see blankLinesAsCells); private use, like BLANK_CELL. */
const SOFT_BLANK = "\uE001";

/** Whether a whole cell's text is a placeholder (/, —, 不适用, 无 …). */
export const isPlaceholderText = (t: string) => t === NONE || t === "O" || t === "o" || (PLACEHOLDER.test(t) && PLACEHOLDER.exec(t)![0].length === t.length);
const SIGN: Record<string, "+" | "-"> = { "+": "+", "增": "+", "-": "-", "减": "-", "−": "-" };

/**
 * Words a count is printed with inside its cell (「81件」, 「3个」): part of the cell, not a label
 * that would end the row. Money keeps its unit (元 / 万元) in the token.
 */
const COUNT_UNITS = "人次|件|个|项|次|宗|起";
const COUNT_UNIT = new RegExp(`^[ \u00a0]?(?:${COUNT_UNITS})`);
/** The first characters of COUNT_UNITS (by code), to try the pattern only where one stands. */
const COUNT_UNIT_START = new Uint8Array(0x10000);
for (const u of COUNT_UNITS.split("|")) COUNT_UNIT_START[u.charCodeAt(0)] = 1;

/**
 * Whether a whole cell's text is a value: a number as tables print it (sign, thousands
 * separators, decimals, a unit) or a placeholder (「无」 included). The HTML reader and the review's
 * placeholder rule ask this of a cell; the scanner reads the same grammar.
 */
export function isValueText(t: string): boolean {
  return VALUE_TEXT.test(t) || isPlaceholderText(t);
}

/** A printed number, not a placeholder: digits (thousands grouped or not), decimals, a unit. */
export function isNumberText(t: string): boolean {
  return VALUE_TEXT.test(t);
}

const VALUE_TEXT = new RegExp(`^(?:[+\\-−增减\u2014\u2013]?(?:\\d{1,3}(?:[,，]\\d{3})+|\\d+)(?:\\.\\d+)?\\s*(?:万元|元|万|${COUNT_UNITS})?|〇)$`);

/**
 * The characters a value (isValueText) can start with: a sign or dash, a digit, 〇, or the first
 * character of a placeholder (无, O, PLACEHOLDER). A line starting otherwise is not asked.
 */
const VALUE_START = new Uint8Array(0x10000);
for (const c of [..."+-−增减\u2014\u20130123456789〇", NONE, "O", "o", ...PLACEHOLDER_START]) VALUE_START[c.charCodeAt(0)] = 1;

/** Thousands separators inside one number: 「3,985,758」, 「2，629」. */
const THOUSANDS = /^(?:[,，]\d{3})+(?![\d])/;

const isComma = (c: string | undefined) => c === "," || c === "，";

/** Characters OCR reads for digits, and the digit each stands for. */
const LOOKALIKE: Record<string, string> = { l: "1", I: "1", "|": "1", "丨": "1", O: "0", o: "0", "口": "0", "〇": "0", S: "5", s: "5", B: "8", Z: "2", z: "2", b: "6" };
const isLatin = (c: string | undefined) => c !== undefined && ((c >= "A" && c <= "Z") || (c >= "a" && c <= "z"));
/** Before or after a cell printed on its own: a space, a tab, a line break, the start or end. */
const isGap = (c: string | undefined) => c === undefined || c === " " || c === "\u00a0" || c === "\t" || c === "\n" || c === "\r";

/** A 「|」 with a digit (or a look-alike) on one side and one or a gap on the other (「4|66」, 「 |11」, 「3| 」, 「|〇」). */
const digitLike = (c: string | undefined) => isDigit(c) || (c !== undefined && c !== "|" && LOOKALIKE[c] !== undefined);
const pipeInNumber = (s: string, k: number) => (digitLike(s[k - 1]) && (digitLike(s[k + 1]) || isGap(s[k + 1]))) || (digitLike(s[k + 1]) && isGap(s[k - 1]));

/**
 * Whether the character at `k` reads as a digit of a number OCR garbled: a look-alike (「2S」,
 * 「l0」, 「1口」). A 「|」 only inside a number, on a line whose every 「|」 is (a piped table's
 * line has a 「|」 beside its label or at its ends: those are cell boundaries).
 */
function lookalikeAt(s: string, k: number): boolean {
  const c = s[k];
  if (LOOKALIKE[c] === undefined) return false;
  if (c !== "|") return true;
  if (!pipeInNumber(s, k)) return false;
  const from = s.lastIndexOf("\n", k) + 1;
  let to = s.indexOf("\n", k);
  if (to < 0) to = s.length;
  if (s.slice(from, to).trim().startsWith("|") || s.slice(from, to).trim().endsWith("|")) return false;
  for (let p = s.indexOf("|", from); p >= 0 && p < to; p = s.indexOf("|", p + 1)) if (!pipeInNumber(s, p)) return false;
  return true;
}

/**
 * Where a number OCR garbled starts at `i`, if it does: one or two look-alikes before its digits
 * (「Io5」, 「SS0」, not a word: 「ISO9001」), or look-alikes printed as a cell of their own
 * (「规章 ZZ 235」; a lone O stays a placeholder).
 */
function lookalikeStart(s: string, i: number): boolean {
  if (isLatin(s[i - 1]) || !lookalikeAt(s, i)) return false;
  // 口, 丨 and 〇 are also characters of words (窗口3个): they start a number only after a gap.
  if (!isLatin(s[i]) && s[i] !== "|" && !isGap(s[i - 1])) return false;
  let k = i;
  while (k - i < 3 && lookalikeAt(s, k)) k++;
  if (isDigit(s[k])) return k - i <= 2;
  const alone = k - i === 1 && (s[i] === "O" || s[i] === "o");
  return !alone && !isLatin(s[k]) && isGap(s[i - 1]) && beforeValue(s, k);
}

/** A run of digits with letters inside from `start`: where it ends, its digits, whether every letter has a look-alike. */
function lettersInRun(s: string, start: number): { end: number; int: string; unreadable: boolean } {
  let k = start;
  let int = "";
  let unreadable = false;
  for (; k < s.length; k++) {
    const c = s[k];
    if (isDigit(c)) int += c;
    else if (lookalikeAt(s, k) && (c !== "|" || k === start || isDigit(s[k - 1]) || LOOKALIKE[s[k - 1]] !== undefined)) int += LOOKALIKE[c];
    // Another letter right beside a digit makes the number unreadable (「Z」 is not OCR's only slip).
    else if (isLatin(c) && (isDigit(s[k - 1]) || isDigit(s[k + 1]))) {
      unreadable = true;
      int += "0";
    } else break;
  }
  return { end: k, int, unreadable };
}

/** Whether a run of digits ending at `j` goes on with OCR letters (「2S」, 「1口」, 「7730.ZB」). */
function lettersAfter(s: string, j: number): boolean {
  if (s[j] !== ".") return lookalikeAt(s, j) || isLatin(s[j]);
  let k = j + 1;
  if (s[k] === "|" || !lookalikeAt(s, k)) return false;
  while (isDigit(s[k]) || (s[k] !== "|" && LOOKALIKE[s[k]] !== undefined)) k++;
  return !isLatin(s[k]);
}

/**
 * A run of glued digits with thousands separators inside (each followed by three digits, more
 * digits of the next cells possibly after them): where it ends and where its separators stood.
 * Not a list (a comma and a digit after it).
 */
function gluedGroups(s: string, start: number, j: number): { end: number; commas: number[] } | null {
  const commas: number[] = [];
  let digits = j - start;
  let k = j;
  while (isComma(s[k]) && isDigit(s[k + 1]) && isDigit(s[k + 2]) && isDigit(s[k + 3])) {
    commas.push(digits);
    k += 4;
    digits += 3;
    while (isDigit(s[k])) {
      k++;
      digits++;
    }
  }
  if (commas.length === 0 || (isComma(s[k]) && isDigit(s[k + 1]))) return null;
  return { end: k, commas };
}

/** Characters that bound a cell printed on its own (besides the start and end of the text). */
const isCellBoundary = (c: string | undefined) => c === undefined || c === "\n" || c === "\t" || c === "|" || c === BLANK_CELL;
/** The same by character code (the text's bounds are tested apart). */
const isCellBoundaryCode = (c: number) => c === 0x0a || c === 0x09 || c === 0x7c || c === BLANK_CELL_CODE;
/** Spaces inside a cell: space, no-break space, carriage return. */
const isBlankSpace = (c: number) => c === 0x20 || c === 0xa0 || c === 0x0d;

/** Whether the first character before `i` (spaces skipped) bounds a cell. */
function boundedBefore(s: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && isBlankSpace(s.charCodeAt(k))) k--;
  return k < 0 || isCellBoundaryCode(s.charCodeAt(k));
}

/** Whether what follows `j` (spaces skipped) is a cell boundary or another value: 「无」 is then a cell. */
function beforeValue(s: string, j: number): boolean {
  let k = j;
  while (k < s.length && (s[k] === " " || s[k] === "\u00a0" || s[k] === "\r")) k++;
  return k >= s.length || isCellBoundary(s[k]) || isDigit(s[k]) || s[k] === NONE || (PLACEHOLDER_START.includes(s[k]) && PLACEHOLDER.test(s.slice(k, k + 4)));
}

/**
 * An em or en dash right before a number at the start of a cell (「—3」, 「–2」) is a minus sign as
 * Word's autocorrect prints it; a dash standing alone stays a placeholder, and one between digits
 * (「2019—2023」) or doubled (「——3」) is not a sign.
 */
function dashAsMinus(s: string, i: number): boolean {
  const c = s[i];
  if (c !== "\u2014" && c !== "\u2013") return false;
  return isDigit(s[i + 1]) && (i === 0 || isSpace(s[i - 1]) || isCellBoundary(s[i - 1]));
}

/** Whether the first character at or after `j` (spaces skipped) bounds a cell. */
function boundedAfter(s: string, j: number): boolean {
  let k = j;
  while (k < s.length && isBlankSpace(s.charCodeAt(k))) k++;
  return k >= s.length || isCellBoundaryCode(s.charCodeAt(k));
}

/** A cell's note: 「（其中…）」, 「（含…）」, 「（包括…）」 right after its number, perhaps on the next line. */
const CELL_NOTE = /^\s*\(\s*((?:其中|含|包括)[^()\n]{0,30}?)\s*\)/;

/** Year inserted into a header, e.g. 本年(2023)制发件数: not a cell. */
const HEADER_YEAR = /\(\s*(?:19|20)\d{2}\s*年?度?\s*\)/g;

/** Column headers some converters invent (数据1 … 数据6): numbered, but not cells. */
const NUMBERED_HEADER = /数据\s*\d+/g;

/**
 * A table printed one cell per line (a Word table pasted into a web editor) writes an empty cell
 * as an empty line: 「151⏎3⏎⏎⏎⏎⏎154」 is 151 | 3 | four blanks | 154. Empty lines between two
 * lines that each hold one value become soft blanks — cells when the row needs them, a page's
 * gap when it does not — unless the text puts empty lines between most of its lines anyway
 * (double-spaced: then an empty line says nothing about cells). Blanks before a row's first
 * value or after its last cannot be told from the break between rows and stay unknown.
 */
export function blankLinesAsCells(region: string): string {
  if (!region.includes("\n\n")) return region;
  // One pass over the lines, no array of them (an empty line is whitespace only, as trim() sees
  // it; most lines show they are not at their first character): lines right after the previous
  // non-empty one against lines after an empty one, and where each run of empty lines lies.
  let tight = 0;
  let loose = 0;
  let last = -1;
  let lastStart = 0;
  let lastEnd = 0;
  /** Runs of empty lines between two non-empty lines: the lines around them, as offsets. */
  const gaps: { before: [number, number]; after: [number, number] }[] = [];
  for (let from = 0, line = 0; ; line++) {
    const nl = region.indexOf("\n", from);
    const end = nl < 0 ? region.length : nl;
    let k = from;
    while (k < end && isJsWhitespace(region.charCodeAt(k))) k++;
    if (k < end) {
      if (last >= 0 && line === last + 1) tight++;
      else if (last >= 0) {
        loose++;
        gaps.push({ before: [lastStart, lastEnd], after: [from, end] });
      }
      last = line;
      lastStart = from;
      lastEnd = end;
    }
    if (nl < 0) break;
    from = nl + 1;
  }
  if (tight <= loose) return region;
  const lone = ([from, to]: [number, number]) => {
    const t = region.slice(from, to).trim();
    return t !== "" && VALUE_START[t.charCodeAt(0)] === 1 && isValueText(t);
  };
  // Between two lines of one value each, every empty line becomes a soft blank (the line
  // breaks stay where they are).
  let out = "";
  let copied = 0;
  for (const { before, after } of gaps) {
    if (!lone(before) || !lone(after)) continue;
    const emptyLines = region.slice(before[1] + 1, after[0] - 1).split("\n").length;
    out += region.slice(copied, before[1] + 1) + Array(emptyLines).fill(SOFT_BLANK).join("\n");
    copied = after[0] - 1;
  }
  return copied === 0 ? region : out + region.slice(copied);
}

export function scan(region: string): Token[] {
  const s = blankLinesAsCells(region).replace(HEADER_YEAR, "").replace(NUMBERED_HEADER, "数据");
  const out: Token[] = [];
  let text = "";
  let textLine = 0;
  let line = 0;
  // Label characters are taken as runs of the source, s[runStart, runEnd), and added to `text`
  // whole (one slice per run instead of a one-character string and a concatenation per character).
  let runStart = -1;
  let runEnd = -1;
  let runLine = 0;
  const takeRun = () => {
    if (runStart < 0) return;
    if (!text) textLine = runLine;
    text += s.slice(runStart, runEnd);
    runStart = -1;
  };
  /** The label character at `at`: it joins the run when it follows it, else starts a new one. */
  const addLabelChar = (at: number) => {
    if (runStart >= 0 && runEnd === at) {
      runEnd++;
      return;
    }
    takeRun();
    runStart = at;
    runEnd = at + 1;
    runLine = line;
  };
  const flushText = () => {
    takeRun();
    if (text) out.push({ kind: "text", text, line: textLine });
    text = "";
  };
  const addText = (t: string) => {
    takeRun();
    if (!text) textLine = line;
    text += t;
  };
  // An empty cell between two values of a piped or tabbed row （「| 22 |  | 235 |」） is a blank,
  // not nothing: it keeps the later values in their columns.
  let blanks = 0;
  let cellOnLine = false;
  const pushCell = (t: CellToken) => {
    flushText();
    for (; blanks > 0; blanks--) out.push({ kind: "placeholder", raw: "", line });
    out.push(t);
    cellOnLine = true;
  };
  let i = 0;
  while (i < s.length) {
    // Most characters are label text: tests go by character code, and the character itself is
    // only taken where it is kept.
    const code = s.charCodeAt(i);
    if (!scannedApart(code)) {
      // A label character that none of the tests below takes (most of a region): straight to the
      // label text, with what the last line of this loop does for it.
      blanks = 0;
      cellOnLine = false;
      addLabelChar(i);
      i++;
      continue;
    }
    if (code === 0x0a) {
      line++;
      blanks = 0;
      cellOnLine = false;
      i++;
      continue;
    }
    // (A 「|」 OCR read for a 1 is part of a number: 「 |11」, 「4|66」.)
    if ((code === 0x7c && !(lookalikeAt(s, i) && (lookalikeStart(s, i) || digitLike(s[i - 1])))) || code === 0x09) {
      // 「|」 or tab: a second one right after (spaces between) is an empty cell.
      if (cellOnLine) {
        let k = i + 1;
        while (s.charCodeAt(k) === 0x20 || s.charCodeAt(k) === 0xa0) k++;
        if (s.charCodeAt(k) === code) blanks++;
      }
      i++;
      continue;
    }
    if (code === 0x20 || code === 0xa0 || code === 0x0d) {
      i++;
      continue;
    }
    const c = s[i];
    // A digit is none of the characters the next tests look for: straight to the number.
    const digit = code >= 0x30 && code <= 0x39;
    if (!digit) {
      if (c === BLANK_CELL || c === SOFT_BLANK) {
        pushCell({ kind: "placeholder", raw: "", line, ...(c === SOFT_BLANK ? { soft: true } : {}) });
        i++;
        continue;
      }
      if (PLACEHOLDER_START.includes(c) && (i === 0 || isSpace(s[i - 1]) || s[i - 1] === "\n")) {
        const ph = PLACEHOLDER.exec(s.slice(i, i + 4));
        if (ph && !(ph[0].startsWith("-") && isDigit(s[i + ph[0].length]))) {
          pushCell({ kind: "placeholder", raw: ph[0], line });
          i += ph[0].length;
          continue;
        }
      }
      // 「无」 alone in a cell is a placeholder, as 「—」 is.
      // (Not in label text: 「申请 人无 正当理由」 as PDF text spaces it out is followed by a word.)
      if (code === 0x65e0 && (i === 0 || isSpace(s[i - 1]) || isCellBoundary(s[i - 1])) && beforeValue(s, i + 1)) {
        pushCell({ kind: "placeholder", raw: NONE, line });
        i++;
        continue;
      }
      // 「〇」 alone in a cell is the numeral zero (「二〇二三年」 is a year: its neighbours are numerals).
      if (code === 0x3007 && (i === 0 || isSpace(s[i - 1]) || isCellBoundary(s[i - 1])) && beforeValue(s, i + 1)) {
        pushCell({ kind: "num", raw: c, sign: "", int: "0", frac: "", unit: "", line, ...(boundedBefore(s, i) && boundedAfter(s, i + 1) ? { boxed: true } : {}) });
        i++;
        continue;
      }
      // A letter O alone among a row's values is a zero typed with the wrong key — or anything else:
      // a placeholder keeps the cells after it in their columns without guessing its value.
      if ((code === 0x4f || code === 0x6f) && (i === 0 || isSpace(s[i - 1]) || isCellBoundary(s[i - 1])) && beforeValue(s, i + 1) && !/[A-Za-z0-9]/.test(s[i + 1] ?? "")) {
        pushCell({ kind: "placeholder", raw: c, line });
        i++;
        continue;
      }
    }
    const signChar = digit ? undefined : code === 0x2b || code === 0x589e || code === 0x2d || code === 0x51cf || code === 0x2212 ? SIGN[c] : dashAsMinus(s, i) ? "-" : undefined;
    // A look-alike letter starting a number OCR garbled (「l0」, 「丨2」, 「ZZ」 alone in its cell).
    const letterFirst = !digit && !signChar && LOOKALIKE[c] !== undefined && lookalikeStart(s, i);
    if (digit || (signChar && isDigit(s[i + 1])) || letterFirst) {
      let j = i;
      let sign: "" | "+" | "-" = "";
      if (signChar) {
        sign = signChar;
        j++;
      }
      const start = j;
      while (isDigit(s[j])) j++;
      // OCR letters inside the run: read apart from the run's digits, they would drop a digit
      // and the rest would be emitted as the cell (「2S」 → 2).
      if (letterFirst || (j < s.length && (s.charCodeAt(j) > 0x40 || s[j] === ".") && lettersAfter(s, j))) {
        const run = lettersInRun(s, start);
        j = run.end;
        let frac = "";
        if (s[j] === "." && (isDigit(s[j + 1]) || lookalikeAt(s, j + 1))) {
          const f = lettersInRun(s, j + 1);
          j = f.end;
          frac = f.int;
          run.unreadable ||= f.unreadable;
        }
        pushCell({ kind: "num", raw: s.slice(i, j), sign, int: run.int, frac, unit: "", line, ocr: { unreadable: run.unreadable }, ...(boundedBefore(s, i) && boundedAfter(s, j) ? { boxed: true } : {}) });
        i = j;
        continue;
      }
      // An enumerator in brackets （「(3)要求提供公开出版物」, 「①」 once normalised） is label text.
      if (!signChar && s[i - 1] === "(" && s[j] === ")" && j - start <= 2) {
        addText(s.slice(start, j));
        i = j;
        continue;
      }
      // Thousands separators keep one number whole: 「3,985,758」 is one cell, not three.
      let commas: number[] | undefined;
      // (Not in a line of comma-separated cells: 「…,10,1,769」 is 10 | 1 | 769.)
      if (isComma(s[j]) && !isComma(s[start - 1])) {
        const digitsBefore = j - start;
        if (digitsBefore <= 3 && s[start] !== "0") {
          const groups = THOUSANDS.exec(s.slice(j, j + 64));
          // 「2,629,0」 is not a grouped number (a list, or cells with commas between them).
          if (groups && !((s[j + groups[0].length] === "," || s[j + groups[0].length] === "，") && isDigit(s[j + groups[0].length + 1]))) {
            j += groups[0].length;
            commas = Array.from({ length: groups[0].length / 4 }, (_, g) => digitsBefore + 3 * g);
          }
        }
        // Glued cells with a grouped number among them (「33123,604.14」, 「3,00153006143,119」):
        // one run, cut later around its separators (readings.ts).
        if (!commas) {
          const run = gluedGroups(s, start, j);
          if (run) [j, commas] = [run.end, run.commas];
        }
      }
      let int = commas ? s.slice(start, j).replace(/[,，]/g, "") : s.slice(start, j);
      let frac = "";
      // An enumerator such as `2.` or `3、` starts the next label; glued text puts it right
      // after a row's digits (`…0000372.没有现成信息` is 37|0|0|0|0|0|37 then `2.`).
      // PDF text may put a space before the dot (`1 .本机关…`).
      let k = j;
      while (s[k] === " ") k++;
      // (Not a grouped number's last digit: 「3,119.」 ends a sentence; 「3,1192.」 is 3,119 then 「2.」.)
      const lastInGroup = commas !== undefined && int.length - commas[commas.length - 1] <= 3;
      if (!lastInGroup && (s[k] === "." || s[k] === "、") && !(s[k] === "." && k === j && isDigit(s[k + 1]))) {
        const enumDigit = int[int.length - 1];
        if (enumDigit !== "0") {
          int = int.slice(0, -1);
          if (int) {
            pushCell({ kind: "num", raw: (sign === "" ? "" : c) + int, sign, int, frac: "", unit: "", line, ...(commas ? { commas } : {}) });
          } else if (sign) addText(c);
          addText(`${enumDigit}.`);
          i = k + 1;
          continue;
        }
      }
      if (s[j] === "." && isDigit(s[j + 1])) {
        const fs = j + 1;
        j = fs;
        while (isDigit(s[j])) j++;
        frac = s.slice(fs, j);
        // The same enumerator after an amount: 「…收费18651.063.收到和处理…」 is 18651.06, then 「3.」.
        k = j;
        while (s[k] === " ") k++;
        if (frac.length >= 2 && (s[k] === "." || s[k] === "、") && !isDigit(s[k + 1]) && frac[frac.length - 1] !== "0") {
          const enumDigit = frac[frac.length - 1];
          frac = frac.slice(0, -1);
          pushCell({ kind: "num", raw: s.slice(i, j - 1), sign, int, frac, unit: "", line, ...(commas ? { commas } : {}) });
          addText(`${enumDigit}.`);
          i = k + 1;
          continue;
        }
      }
      let unit: "" | "元" | "万元" = "";
      if (s.startsWith("万元", j)) {
        unit = "万元";
        j += 2;
      } else if (s[j] === "元") {
        unit = "元";
        j += 1;
      }
      const raw = s.slice(i, j);
      // (The pattern is tried only where a unit's first character stands, after one space at most.)
      const unitAt = s[j] === " " || s[j] === "\u00a0" ? j + 1 : j;
      if (!unit && COUNT_UNIT_START[s.charCodeAt(unitAt)] === 1) {
        const counted = COUNT_UNIT.exec(s.slice(j, j + 3));
        if (counted) j += counted[0].length;
      }
      // A note in brackets right after the number is part of the cell, not more cells:
      // 「22（其中修订 16 件）」, 「55（含自然失效29件）」.
      let b = j;
      while (s.charCodeAt(b) === 0x20 || s.charCodeAt(b) === 0x0a || s.charCodeAt(b) === 0x09) b++;
      const note = s.charCodeAt(b) === 0x28 ? CELL_NOTE.exec(s.slice(j, j + 40)) : null;
      const boxed = boundedBefore(s, i) && boundedAfter(s, j + (note ? note[0].length : 0));
      const cell: NumToken = { kind: "num", raw, sign, int, frac, unit, line };
      if (note) cell.note = note[1].replace(/\s+/g, "");
      if (boxed) cell.boxed = true;
      if (signChar !== undefined && isDigit(s[i - 1])) cell.signGlued = true;
      if (commas) cell.commas = commas;
      pushCell(cell);
      if (note) line += note[0].split("\n").length - 1;
      i = j + (note ? note[0].length : 0);
      continue;
    }
    blanks = 0;
    cellOnLine = false;
    addLabelChar(i);
    i++;
  }
  flushText();
  return out;
}

/**
 * Characters scan() looks at before taking them as label text: line breaks, cell separators,
 * spaces, blank cells, the first characters of placeholders (PLACEHOLDER_START), 无, 〇, the
 * letter O, signs and dashes, digits, and the letters OCR reads for digits (LOOKALIKE). Any other
 * character is label text whatever surrounds it.
 */
const APART = new Uint8Array(0x10000);
for (const c of [..."\n\t\r |\u00a00123456789", BLANK_CELL, SOFT_BLANK, ...PLACEHOLDER_START, NONE, "〇", "O", "o", ...Object.keys(SIGN), "\u2014", "\u2013", ...Object.keys(LOOKALIKE)]) APART[c.charCodeAt(0)] = 1;
const scannedApart = (code: number) => APART[code] === 1;

/** Text that carries no label (stray punctuation between cells) does not separate a row's numbers. */
export function isNoise(text: string): boolean {
  // Labels start with a Han character, a letter or a digit: found at once, without the Unicode class.
  const c = text.charCodeAt(0);
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) return false;
  return !/[\p{Script=Han}A-Za-z0-9]/u.test(text);
}

/** The numeric value of a token as printed, or null for a placeholder. */
export function tokenValue(t: CellToken): number | null {
  if (t.kind === "placeholder") return null;
  const v = Number(`${t.int}${t.frac ? `.${t.frac}` : ""}`);
  return t.sign === "-" ? -v : v;
}
