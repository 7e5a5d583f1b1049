/**
 * How much of one report's prose is another's: the share of its 5-character shingles found in
 * the other text, after whitespace and punctuation are dropped, digits made one symbol (a copy
 * with this year's numbers is still a copy) and the organs' own names taken out (a copy with the
 * name changed is still a copy).
 *
 * Shingles rather than identical sentences because copied reports are edited a little (a word
 * changed, a sentence split), and a sentence splitter would have to guess at 「；」 and line
 * breaks. A small function rather than a library: the npm packages (string-similarity: a
 * symmetric Dice score of two strings, no longer maintained; minhash, simhash-js: estimates of
 * symmetric Jaccard similarity, little used) give neither the one-sided 「how much of A is in B」
 * a copy check needs nor an index over a year of reports; exact shingle sets are a dozen lines,
 * tested by a table (test/review-similarity.test.ts), and fast enough (npm run bench).
 */
import { organInfoOfReport, type Report, splitPlace } from "../parser/index.ts";

export const SHINGLE = 5;

/** Names longest first, so 「于都县」 goes before 「于都」. */
const byLength = (names: readonly string[]) => names.filter((x) => x.length >= 2).sort((a, b) => b.length - a.length);

const isDigit = (c: number) => c >= 48 && c <= 57;
/** Characters compared: CJK ideographs (with extension A and 〇) and Latin letters; the rest is layout or punctuation. */
const isWordChar = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || c === 0x3007 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const HASH_SIGN = 35;

/** The organ's own names (longest first) replaced by 「〇」. */
function withoutNames(text: string, sortedNames: readonly string[]): string {
  let s = text;
  for (const n of sortedNames) if (s.includes(n)) s = s.split(n).join("〇");
  return s;
}

let buffer = new Uint16Array(4096);

/**
 * The character codes of a text as compared, in a shared buffer (valid until the next call):
 * ideographs and letters as they are, one 「#」 per number, nothing else.
 */
function comparedChars(text: string): { codes: Uint16Array; length: number } {
  if (buffer.length < text.length) buffer = new Uint16Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      while (i + 1 < text.length && (isDigit(text.charCodeAt(i + 1)) || (text.charCodeAt(i + 1) === 46 && isDigit(text.charCodeAt(i + 2))))) i++;
      buffer[n++] = HASH_SIGN;
    } else if (isWordChar(c) || c === HASH_SIGN) buffer[n++] = c;
  }
  return { codes: buffer, length: n };
}

/** Text as compared: no whitespace or punctuation, every number one 「#」, the given names replaced by 「〇」. */
export function normalizeProse(text: string, names: readonly string[] = []): string {
  const { codes, length } = comparedChars(withoutNames(text, byLength(names)));
  return String.fromCharCode(...codes.subarray(0, length));
}

/**
 * Appends to `out` (from index `n`) the FNV-1a hashes of every `SHINGLE`-character window of a
 * text as compared; returns the new end and how many characters were compared.
 */
function shingleInto(text: string, out: Uint32Array, n: number): { end: number; length: number } {
  const { codes, length } = comparedChars(text);
  let end = n;
  for (let i = 0; i + SHINGLE <= length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + SHINGLE; j++) h = Math.imul(h ^ codes[j], 0x01000193);
    out[end++] = h >>> 0;
  }
  return { end, length };
}

/** A set of shingles: sorted, without repeats (compact, and compared by one merge). */
export type Shingles = Uint32Array;

/** Sorts `a` and drops repeats, in place. */
const sortedSet = (a: Uint32Array): Shingles => {
  a.sort();
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[n++] = a[i];
  return a.slice(0, n);
};

/** The shingles of a text as compared. */
export function shingles(text: string): Shingles {
  const out = new Uint32Array(text.length);
  return sortedSet(out.subarray(0, shingleInto(text, out, 0).end));
}

/** Share of `a`'s shingles that are also in `b` (0 when `a` is empty). */
export function containment(a: Shingles, b: Shingles): number {
  if (a.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared / a.length;
}

/** The parts of a report that are prose: 一 总体情况, 五 存在的主要问题, 六 其他事项 (二–四 are mostly table headers). */
const PROSE_PARTS = [0, 4, 5];

export interface Paragraph {
  part: string;
  /** The paragraph as printed (trimmed), for naming it. */
  text: string;
  shingles: Shingles;
}

export interface Prose {
  /** Normalised length (characters compared). */
  length: number;
  shingles: Shingles;
  /** The prose parts and the organ's names (longest first), to split into paragraphs when one is named. */
  parts: { title: string; text: string }[];
  names: string[];
}

/** Names an organ's text uses for itself: its full and short name, its places and their cores, its body. */
export function ownNames(r: Pick<Report, "organ" | "organShort" | "region" | "organInfo">): string[] {
  const names = new Set<string>([r.organ, r.organShort, r.region].filter((n): n is string => !!n));
  const info = organInfoOfReport(r);
  for (const p of info?.places ?? []) {
    names.add(p);
    names.add(splitPlace(p).core);
  }
  if (info?.body) names.add(info.body);
  return [...names];
}

const proseCache = new WeakMap<object, Prose>();

/** A report's prose, ready to compare; computed once per report object (reports are not changed once parsed). */
export function proseOf(r: Pick<Report, "narrative" | "organ" | "organShort" | "region" | "organInfo">): Prose {
  let p = proseCache.get(r);
  if (!p) {
    p = computeProse(r);
    proseCache.set(r, p);
  }
  return p;
}

/** A report's prose as one text, with the organ's own names taken out. */
export function computeProse(r: Pick<Report, "narrative" | "organ" | "organShort" | "region" | "organInfo">, names: readonly string[] = ownNames(r)): Prose {
  const sortedNames = byLength(names);
  const parts = PROSE_PARTS.map((k) => r.narrative[k]).filter((p) => !!p && p.text !== "");
  const text = withoutNames(parts.map((p) => p.text).join("\n"), sortedNames);
  const all = new Uint32Array(text.length);
  const { end, length } = shingleInto(text, all, 0);
  return { length, shingles: sortedSet(all.subarray(0, end)), parts, names: sortedNames };
}

/** The paragraphs of a prose (its lines), each with its own shingles. */
export function paragraphsOf(p: Prose): Paragraph[] {
  return p.parts.flatMap((part) =>
    part.text
      .split("\n")
      .map((line) => ({ part: part.title, text: line.trim(), shingles: shingles(withoutNames(line, p.names)) }))
      .filter((x) => x.shingles.length > 0),
  );
}

/** Prose shorter than this (normalised characters) is too short to call a copy. */
export const MIN_PROSE = 100;

/** Share at or above which a text counts as the same text (the issue's 80 %). */
export const SAME_TEXT = 0.8;

/** Paragraphs of `a` that are (nearly) all in `b`, named by their part and first words. */
export function repeatedParagraphs(a: Prose, b: Prose): Paragraph[] {
  return paragraphsOf(a).filter((p) => p.text.length >= 10 && containment(p.shingles, b.shingles) >= SAME_TEXT);
}

export const paragraphName = (p: Paragraph) => `${p.part}「${p.text.length > 18 ? `${p.text.slice(0, 18)}…` : p.text}」`;

/** Only shingles whose hash is 0 modulo this are indexed to find candidates (the same ones in every text). */
const SAMPLE = 8;

/**
 * One year's prose of many organs, to find a report whose text is another organ's. A sample of
 * each text's shingles is indexed; a sampled shingle in more than a tenth of the reports (at
 * least 3, at most 20) is common wording (the county's template, the 条例's phrases) and does not
 * make two reports candidates. Only candidates sharing enough uncommon wording are compared in full.
 */
export class ProseIndex {
  private readonly prose: Prose[];
  private readonly postings = new Map<number, number[]>();
  private readonly position = new Map<Report, number>();
  private readonly common: number;
  private readonly counts: Int32Array;

  constructor(private readonly reports: readonly Report[]) {
    this.prose = reports.map((r) => proseOf(r));
    this.common = Math.min(20, Math.max(3, Math.ceil(reports.length / 10)));
    this.counts = new Int32Array(reports.length);
    reports.forEach((r, i) => this.position.set(r, i));
    this.prose.forEach((p, i) => {
      for (const x of p.shingles) {
        if (x % SAMPLE !== 0) continue;
        const list = this.postings.get(x);
        if (!list) this.postings.set(x, [i]);
        else if (list.length <= this.common) list.push(i);
      }
    });
  }

  /** The other organ's report that contains most of `r`'s prose, if it contains at least SAME_TEXT of it. */
  copyOf(r: Report): { other: Report; share: number; paragraphs: Paragraph[] } | null {
    const mine = proseOf(r);
    if (mine.length < MIN_PROSE) return null;
    const self = this.position.get(r);
    const touched: number[] = [];
    let sampled = 0;
    for (const x of mine.shingles) {
      if (x % SAMPLE !== 0) continue;
      sampled++;
      const list = this.postings.get(x);
      if (!list || list.length > this.common) continue;
      for (const j of list) {
        if (j === self) continue;
        if (this.counts[j]++ === 0) touched.push(j);
      }
    }
    // Enough uncommon wording in common to be worth a full comparison.
    const minShared = Math.max(2, Math.min(8, Math.ceil(sampled / 10)));
    const candidates = touched
      .filter((j) => this.counts[j] >= minShared && this.reports[j].organ !== r.organ)
      .sort((a, b) => this.counts[b] - this.counts[a])
      .slice(0, 5);
    for (const j of touched) this.counts[j] = 0;
    let best: { j: number; share: number } | null = null;
    for (const j of candidates) {
      const share = containment(mine.shingles, this.prose[j].shingles);
      if (share >= SAME_TEXT && (!best || share > best.share)) best = { j, share };
    }
    return best && { other: this.reports[best.j], share: best.share, paragraphs: repeatedParagraphs(mine, this.prose[best.j]) };
  }
}
