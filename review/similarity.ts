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
import type { Report } from "../parser/index.ts";
import { splitOrganName, splitPlace } from "../parser/organ-name.ts";

export const SHINGLE = 5;

/** Text as compared: no whitespace or punctuation, every digit run one 「#」, names replaced by 「〇」. */
export function normalizeProse(text: string, names: readonly string[] = []): string {
  let s = text.replace(/[\s\p{P}\p{S}]+/gu, "").replace(/\d+(?:\.\d+)?/g, "#");
  for (const n of [...names].filter((x) => x.length >= 2).sort((a, b) => b.length - a.length)) s = s.split(n).join("〇");
  return s;
}

/** The set of hashed `SHINGLE`-character windows of a normalised text (FNV-1a, 32 bits). */
export function shingles(s: string, into: Set<number> = new Set()): Set<number> {
  for (let i = 0; i + SHINGLE <= s.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + SHINGLE; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
    into.add(h >>> 0);
  }
  return into;
}

/** Share of `a`'s shingles that are also in `b` (0 when `a` is empty). */
export function containment(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / a.size;
}

/** The parts of a report that are prose: 一 总体情况, 五 存在的主要问题, 六 其他事项 (二–四 are mostly table headers). */
const PROSE_PARTS = [0, 4, 5];

export interface Paragraph {
  part: string;
  /** The paragraph as printed (trimmed), for naming it. */
  text: string;
  shingles: Set<number>;
}

export interface Prose {
  /** Normalised length (characters compared). */
  length: number;
  shingles: Set<number>;
  paragraphs: Paragraph[];
}

/** Names an organ's text uses for itself: its full name, its places and their cores, its body. */
export function ownNames(r: Pick<Report, "organ" | "organShort" | "region">): string[] {
  const names = new Set<string>();
  for (const n of [r.organ, r.organShort, r.region]) {
    if (!n) continue;
    names.add(n);
    const { places, body } = splitOrganName(n);
    for (const p of places) {
      names.add(p);
      names.add(splitPlace(p).core);
    }
    if (body) names.add(body);
  }
  return [...names];
}

/** A report's prose, paragraph by paragraph, ready to compare. */
export function proseOf(r: Pick<Report, "narrative" | "organ" | "organShort" | "region">, names: readonly string[] = ownNames(r)): Prose {
  const all = new Set<number>();
  const paragraphs: Paragraph[] = [];
  let length = 0;
  for (const k of PROSE_PARTS) {
    const part = r.narrative[k];
    if (!part) continue;
    for (const line of part.text.split("\n")) {
      const norm = normalizeProse(line, names);
      if (norm.length < SHINGLE) continue;
      length += norm.length;
      const own = shingles(norm);
      for (const x of own) all.add(x);
      paragraphs.push({ part: part.title, text: line.trim(), shingles: own });
    }
  }
  return { length, shingles: all, paragraphs };
}

/** Prose shorter than this (normalised characters) is too short to call a copy. */
export const MIN_PROSE = 100;

/** Share at or above which a text counts as the same text (the issue's 80 %). */
export const SAME_TEXT = 0.8;

/** Paragraphs of `a` that are (nearly) all in `b`, named by their part and first words. */
export function repeatedParagraphs(a: Prose, b: Prose): Paragraph[] {
  return a.paragraphs.filter((p) => p.text.length >= 10 && containment(p.shingles, b.shingles) >= SAME_TEXT);
}

export const paragraphName = (p: Paragraph) => `${p.part}「${p.text.length > 18 ? `${p.text.slice(0, 18)}…` : p.text}」`;

/**
 * One year's prose of many organs, to find a report whose text is another organ's. A shingle in
 * more than a tenth of the reports (at least 3) is common wording (the county's template, the
 * 条例's phrases) and does not make two reports candidates; only candidates sharing enough
 * uncommon wording are compared in full.
 */
export class ProseIndex {
  private readonly prose: Prose[];
  private readonly postings = new Map<number, number[]>();
  private readonly position = new Map<Report, number>();
  private readonly common: number;

  constructor(private readonly reports: readonly Report[]) {
    this.prose = reports.map((r) => proseOf(r));
    this.common = Math.max(3, Math.ceil(reports.length / 10));
    reports.forEach((r, i) => this.position.set(r, i));
    this.prose.forEach((p, i) => {
      for (const x of p.shingles) {
        const list = this.postings.get(x);
        if (!list) this.postings.set(x, [i]);
        else if (list.length <= this.common) list.push(i);
      }
    });
  }

  proseOf(r: Report): Prose {
    const i = this.position.get(r);
    return i === undefined ? proseOf(r) : this.prose[i];
  }

  /** The other organ's report that contains most of `r`'s prose, if it contains at least SAME_TEXT of it. */
  copyOf(r: Report): { other: Report; share: number; paragraphs: Paragraph[] } | null {
    const mine = this.proseOf(r);
    if (mine.length < MIN_PROSE) return null;
    const self = this.position.get(r);
    const shared = new Map<number, number>();
    for (const x of mine.shingles) {
      const list = this.postings.get(x);
      if (!list || list.length > this.common) continue;
      for (const j of list) if (j !== self) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    // Enough uncommon wording in common to be worth a full comparison.
    const minShared = Math.min(30, Math.ceil(mine.shingles.size / 10));
    const candidates = [...shared].filter(([j, n]) => n >= minShared && this.reports[j].organ !== r.organ).sort((a, b) => b[1] - a[1]).slice(0, 5);
    let best: { other: Report; share: number; paragraphs: Paragraph[] } | null = null;
    for (const [j] of candidates) {
      const share = containment(mine.shingles, this.prose[j].shingles);
      if (share >= SAME_TEXT && (!best || share > best.share)) best = { other: this.reports[j], share, paragraphs: repeatedParagraphs(mine, this.prose[j]) };
    }
    return best;
  }
}
