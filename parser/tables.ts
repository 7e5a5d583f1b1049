/**
 * Tables A (主动公开), B (依申请) and C (复议诉讼): rows found by what their labels mean,
 * cells read with the help of the tables' own rules.
 */
import { type Equation, equationFailure, holds, rowEquations, solve, TABLE_C_EQUATIONS, tableEquations, type UnreadFindings } from "./checks.ts";
import { dropSubtotalColumn, joinColumnBlocks, numbersAboveLabels, untransposeB } from "./table-b-shapes.ts";
import { agreement, liftedCellReadings, looseReadings, readingsOf, type Reading, type RowRules, rowReadings } from "./readings.ts";
import {
  activeCell,
  APPLICANT_COLUMNS,
  cellParts,
  COLUMN_LABELS,
  COLUMN_NOTE_WORDS,
  expectedRows,
  type RowDef,
  rowCells,
  rowKey,
  SINGLE_OTHER_HANDLING,
  TABLE_C_CELLS,
  TABLE_C_ROW,
  type TemplateDef,
} from "./template.ts";
import { type CellToken, isBlank, isNoise, isSoft, type NumToken, scan, type Token, tokenValue } from "./tokens.ts";
import { compact, type SpacedText } from "./normalize.ts";

/** Where a row's cells came from; keyed by row (`applications.new`, `active.rules`, `review`). */
export interface Provenance {
  table: "A" | "B" | "C";
  /** The template's label of the row. */
  row: string;
  /** The label text the row was found by, as printed (compacted). */
  label: string;
  /** The printed tokens of the row. */
  printed: string;
}

// moved to parser/template.ts (the cell grammar)
export { rowKey };

export interface TableResult {
  cells: Record<string, number | null>;
  units: Record<string, string>;
  derived: string[];
  provenance: Record<string, Provenance>;
  warnings: string[];
  /** Labels of the template's rows that were not found. */
  missingRows: string[];
  found: boolean;
  /** Cells printed blank and still unknown (a blank is not a zero). */
  blanks: string[];
  /** What rows left unread still show for the checks (a sum that no reading makes hold). */
  unread: UnreadFindings;
  /**
   * Table 三 has a row of glued digits too few for its cells: the text dropped its blank cells
   * (a crawl of a page whose zeros are left blank), so no glued run of the page can be cut.
   */
  blanksLost?: boolean;
}

/** Where the table readers write cells, units and provenance: the report's own objects when given. */
export type TableSink = Pick<TableResult, "cells" | "units" | "provenance">;

const emptyResult = (into: TableSink = { cells: {}, units: {}, provenance: {} }): TableResult => ({
  cells: into.cells,
  units: into.units,
  derived: [],
  provenance: into.provenance,
  warnings: [],
  missingRows: [],
  found: false,
  blanks: [],
  unread: { values: {}, failures: [] },
});

// ---------------------------------------------------------------- regions

export interface Regions {
  a?: [number, number];
  b?: [number, number];
  c?: [number, number];
}

function firstMatch(t: SpacedText, words: string[], from: number): number {
  let best = -1;
  for (const w of words) {
    const at = t.indexOf(w, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** Where each table sits in the text, found by content rather than by heading numbers. */
export function locateRegions(t: SpacedText): Regions {
  const text = t.text;
  let aStart = -1;
  for (let at = t.indexOf("第二十条"); at >= 0; at = t.indexOf("第二十条", at + 1)) {
    const after = compact(t.compactOf(at, at + 400));
    if (/信息内容|规章|规范性文件|第\(?[一五六八九]\)?项/.test(after)) {
      aStart = at;
      break;
    }
  }
  // A table printed without its 「第二十条第（x）项」 rows starts at its header (信息内容 | 本年制发件数 …)
  // or, failing that, at the part's heading 「二、主动公开政府信息情况」 (a sub-heading of 总体情况
  // such as 「（二）主动公开政府信息情况」 starts prose, whose 「规章0件」 is not a cell).
  if (aStart < 0) aStart = tableAStart(t, "信息内容", /^信息内容(?:本年|上一年|采购|对外)/, 40);
  if (aStart < 0) aStart = tableAStart(t, "二、主动公开政府信息情况", /^二、/, 600);
  // The table's corner note or header, rather than 「本年新收」 in prose before the table.
  const from = Math.max(0, aStart);
  const header = firstMatch(t, ["勾稽关系", "申请人情况"], from);
  const bStart = header >= 0 ? header : firstMatch(t, ["本年新收"], from);
  const endWords = ["存在的主要问题", "主要问题及改进", "其他需要报告"];
  const regions: Regions = {};
  if (bStart >= 0) {
    const cStart = firstMatch(t, ["行政复议"], bStart);
    const bEndFallback = firstMatch(t, endWords, bStart);
    const bEnd = cStart >= 0 ? cStart : bEndFallback >= 0 ? bEndFallback : text.length;
    regions.b = [bStart, bEnd];
    if (cStart >= 0) {
      const cEnd = firstMatch(t, endWords, cStart);
      regions.c = [cStart, cEnd >= 0 ? cEnd : Math.min(text.length, cStart + 4000)];
    }
  }
  if (aStart >= 0) {
    const aEnd = bStart > aStart ? bStart : firstMatch(t, ["收到和处理政府信息公开申请", ...endWords], aStart + 4);
    regions.a = [aStart, aEnd > aStart ? aEnd : text.length];
  }
  return regions;
}

/** The first `word` whose text matches `head` and is followed, within `reach`, by the rows 规章 and 规范性文件. */
function tableAStart(t: SpacedText, word: string, head: RegExp, reach: number): number {
  for (let at = t.indexOf(word); at >= 0; at = t.indexOf(word, at + 1)) {
    const after = compact(t.compactOf(at, at + reach + 200));
    if (head.test(after) && /规章/.test(after.slice(0, reach)) && /规范性文件/.test(after)) return at;
  }
  return -1;
}

// ---------------------------------------------------------------- rows

interface Segment {
  label: string;
  toks: CellToken[];
}

/** Consecutive numbers form a group; the text since the previous group is its label. */
function segments(tokens: Token[]): Segment[] {
  const out: Segment[] = [];
  let label = "";
  let toks: CellToken[] = [];
  for (const t of tokens) {
    if (t.kind === "text") {
      if (toks.length > 0 && isNoise(t.text)) continue;
      if (toks.length > 0) {
        out.push({ label, toks });
        label = "";
        toks = [];
      }
      label += t.text;
    } else toks.push(t);
  }
  if (toks.length > 0) out.push({ label, toks });
  return out;
}

/** Top-level rows of table B named only by their numbering: 「(六)」, 「四、」. */
const CN_MARKERS: Record<string, string> = { "(一)": "granted", "(二)": "partial", "(六)": "other_handling", "(七)": "total", "一、": "new", "二、": "carried_over", "四、": "carried_forward" };

/**
 * Rows a label (compacted) names, in the order they appear in it. Hoisted and wrapped labels pile up in
 * one label text; the last one names the numbers that follow. A label that is only a number
 * (`7.`, `8.属`) continues the group of the row named before it.
 */
export function matchLabels(compactLabel: string, defs: RowDef[], prev: RowDef | null = null): readonly RowDef[] {
  const c = compactLabel;
  // Reports print the same official labels: what a label names is worked out once (per label,
  // then per row named before it; no key string is built for a lookup).
  let memo = labelMemo.get(defs);
  if (!memo) labelMemo.set(defs, (memo = new Map()));
  let byPrev = memo.get(c);
  if (!byPrev) {
    if (memo.size > 5000) memo.clear();
    memo.set(c, (byPrev = new Map()));
  }
  const prevId = prev?.id ?? "";
  let found = byPrev.get(prevId);
  if (!found) {
    found = namedRows(c, defs, prev);
    byPrev.set(prevId, found);
  }
  return found;
}

const labelMemo = new WeakMap<RowDef[], Map<string, Map<string, readonly RowDef[]>>>();

function namedRows(c: string, defs: RowDef[], prev: RowDef | null): readonly RowDef[] {
  const hits: { def: RowDef; pos: number }[] = [];
  for (const def of defs) {
    let pos = -1;
    for (const k of def.keywords) pos = Math.max(pos, c.lastIndexOf(k));
    if (def.exact && def.exact.test(c)) pos = c.length;
    if (pos >= 0) hits.push({ def, pos });
  }
  // A label wrapped onto the line after its numbers leaves only its start here (「行政规范」).
  const wrapped = wrappedLabelStart(c, defs);
  if (wrapped && !hits.some((h) => h.def === wrapped)) hits.push({ def: wrapped, pos: c.length });
  hits.sort((x, y) => x.pos - y.pos);
  const lastHit = hits[hits.length - 1]?.pos ?? -1;
  // The last 「n.」 of the label, found in one pass (a lookahead for "no later n." rescans the rest from every digit).
  let num: RegExpExecArray | null = null;
  for (const m of c.matchAll(/(\d)\./g)) num = m as RegExpExecArray;
  if (num && num.index > lastHit) {
    const before = hits.filter((h) => h.pos < num.index).pop()?.def ?? prev;
    const group = before?.group;
    const sibling = group ? defs.find((d) => d.group === group && d.index === Number(num[1])) : undefined;
    if (sibling) hits.push({ def: sibling, pos: num.index });
  } else if (hits.length === 0) {
    const cn = /(\([一二六七]\)|[一二四]、)[^()、]*$/.exec(c);
    const def = cn ? defs.find((d) => d.id === CN_MARKERS[cn[1]]) : undefined;
    if (def) hits.push({ def, pos: cn!.index });
  }
  return hits.map((h) => h.def);
}

/** The core words of a row's label: 「（三）不予公开 1.属于国家秘密」 → 「属于国家秘密」. */
const coreLabels = new WeakMap<RowDef, string>();
const coreLabel = (def: RowDef) => {
  let core = coreLabels.get(def);
  if (core === undefined) {
    core = compact(def.label).replace(/^.*\d\./, "").replace(/^.*\)/, "").replace(/^.*）/, "").replace(/^[一二三四五六七八九十]、/, "");
    coreLabels.set(def, core);
  }
  return core;
};

/** Every start (3+ characters, short of the whole) of every row's core label → the rows it begins. */
const labelStarts = new WeakMap<RowDef[], { map: Map<string, Set<RowDef>>; longest: number }>();
function startsOf(defs: RowDef[]) {
  let s = labelStarts.get(defs);
  if (!s) {
    const map = new Map<string, Set<RowDef>>();
    let longest = 0;
    for (const def of defs) {
      const core = coreLabel(def);
      for (let len = 3; len < core.length; len++) {
        const start = core.slice(0, len);
        if (!map.has(start)) map.set(start, new Set());
        map.get(start)!.add(def);
        longest = Math.max(longest, len);
      }
    }
    s = { map, longest };
    labelStarts.set(defs, s);
  }
  return s;
}

/** The row whose label starts where this text ends (the longest such start, if only one row has it). */
function wrappedLabelStart(c: string, defs: RowDef[]): RowDef | null {
  const tail = c.replace(/\d\.?$/, "");
  const { map, longest } = startsOf(defs);
  for (let len = Math.min(longest, tail.length); len >= 3; len--) {
    const rows = map.get(tail.slice(tail.length - len));
    if (rows) return rows.size === 1 ? [...rows][0] : null;
  }
  return null;
}

/**
 * A group of numbers may hold several rows (orphan rows whose labels drifted away): a line each,
 * or, printed one number per line, dealt out `width` at a time (`dealt`: an order the text does
 * not show, which the rows' own sums must bear out).
 */
function splitRows(all: CellToken[], width: number): CellToken[][] & { dealt?: boolean } {
  // Several rows in one group: empty lines between them are breaks between rows, not cells.
  const toks = all.length > width + 1 && all.some(isSoft) ? all.filter((t) => !isSoft(t)) : all;
  const n = toks.length;
  if (n <= width + 1) return [toks];
  const byLine: CellToken[][] = [];
  for (const t of toks) {
    const last = byLine[byLine.length - 1];
    if (last && last[0].line === t.line) last.push(t);
    else byLine.push([t]);
  }
  if (byLine.length > 1 && byLine.every((l) => l.length >= width - 1 && l.length <= width + 1)) return byLine;
  if (n % width === 0) {
    const out: CellToken[][] & { dealt?: boolean } = [];
    for (let i = 0; i < n; i += width) out.push(toks.slice(i, i + width));
    out.dealt = true;
    return out;
  }
  return [toks];
}

interface RowItem {
  def: RowDef | null;
  /** Every row the label text could name (hoisted labels pile up); def is chosen among them. */
  candidates: RowDef[];
  toks: CellToken[];
  label: string;
  /**
   * The tokens without the digits at their end that may be the next row's own number (its 序号,
   * or its enumerator printed without a dot): `sure` when the table shows that convention, and
   * then only this reading stands; otherwise both are readings (see rowNumbers).
   */
  unnumbered?: { toks: CellToken[]; sure: boolean };
  /** The rows dealt out of one group of numbers printed one per line, this one among them (splitRows). */
  dealt?: RowItem[];
}

function rowItems(segs: Segment[], defs: RowDef[], widthOf: (d: RowDef | null) => number): RowItem[] {
  const items: RowItem[] = [];
  let prev: RowDef | null = null;
  for (let s = 0; s < segs.length; s++) {
    let seg = segs[s];
    let label = compact(seg.label);
    let labels = matchLabels(label, defs, prev).filter((d, i, a) => i === 0 || a[i - 1] !== d);
    // A long label over two rows of the table, the numbers on the second (「一、本年新收政府」 with
    // blank cells, then 「信息公开申请数量」 with the numbers): one row. Only when the second names
    // no other row than the first (「或重新出具已获取信息」 names the row it ends) and prints as
    // many cells as the first left blank.
    const next = segs[s + 1];
    if (
      next &&
      seg.toks.every(isBlank) &&
      next.toks.length === seg.toks.length &&
      !next.toks.every(isBlank) &&
      matchLabels(compact(next.label), defs, labels[labels.length - 1] ?? prev).every((d) => labels.includes(d))
    ) {
      seg = { label: seg.label + next.label, toks: next.toks };
      label = compact(seg.label);
      labels = matchLabels(label, defs, prev).filter((d, i, a) => i === 0 || a[i - 1] !== d);
      s++;
    }
    // Blank cells under a label that names no row: a group's heading drawn as a row of its own
    // (「（三）不予公开」 with empty cells), not a row whose label drifted away.
    if (labels.length === 0 && seg.toks.every(isBlank)) continue;
    const rows = splitRows(seg.toks, widthOf(labels[labels.length - 1] ?? null));
    const k = rows.length;
    const assigned: (RowDef | null)[] =
      // Fewer labels than rows: the label right before the numbers names the first of them; the
      // rest are rows whose labels drifted elsewhere (placed later by fillGaps).
      labels.length >= k ? labels.slice(labels.length - k) : [...labels, ...Array(k - labels.length).fill(null)];
    const dealt: RowItem[] | undefined = rows.dealt ? [] : undefined;
    rows.forEach((toks, i) => {
      const candidates = labels.length > 1 && assigned[i] ? labels : assigned[i] ? [assigned[i]!] : [];
      const item: RowItem = { def: assigned[i], candidates, toks, label, ...(dealt ? { dealt } : {}) };
      dealt?.push(item);
      items.push(item);
      if (assigned[i]) prev = assigned[i];
    });
  }
  return items;
}

/**
 * （六）其他处理 is one row or three sub-rows; the template order for alignment keeps only the
 * form the labels show (the three sub-rows when nothing says otherwise in a 2021 table).
 */
function alternativesUsed(items: RowItem[], defs: RowDef[]): RowDef[] {
  const forms = formsOf(defs);
  if (!forms) return defs;
  const named = new Set<RowDef>();
  for (const x of items) for (const d of x.candidates) named.add(d);
  const keepSingle = named.has(forms.single) && !forms.subs.some((d) => named.has(d));
  return keepSingle ? forms.withSingle : forms.withSubs;
}

/**
 * The template's rows in its two forms of （六）其他处理 (one row, or the three sub-rows), worked
 * out once per template: null when it has only one form. The same arrays every time, so what
 * is built from them can be kept too (alignRows' row order).
 */
function formsOf(defs: RowDef[]) {
  let forms = rowForms.get(defs);
  if (forms === undefined) {
    const subs = defs.filter((d) => d.group === "other_handling" && d.index! > 0);
    const single = defs.find((d) => d.group === "other_handling" && d.index === 0);
    forms = !single || subs.length === 0 ? null : { single, subs, withSingle: defs.filter((d) => !subs.includes(d)), withSubs: defs.filter((d) => d !== single) };
    rowForms.set(defs, forms);
  }
  return forms;
}
const rowForms = new WeakMap<RowDef[], { single: RowDef; subs: RowDef[]; withSingle: RowDef[]; withSubs: RowDef[] } | null>();

/** Each row's place in the template order (per rows array: the template's, or one of its forms). */
function orderOf(defs: RowDef[]): Map<RowDef, number> {
  let order = rowOrders.get(defs);
  if (!order) rowOrders.set(defs, (order = new Map(defs.map((d, i) => [d, i]))));
  return order;
}
const rowOrders = new WeakMap<RowDef[], Map<RowDef, number>>();

/**
 * Put rows in template order. A label text naming several rows (hoisted labels) names the
 * one that fits between its neighbours; rows with no label of their own take the template
 * rows left between their labelled neighbours — only when the counts match exactly.
 */
function alignRows(items: RowItem[], defs: RowDef[], width: number | null): void {
  const order = orderOf(defs);
  const fits = (o: RowItem) => width !== null && Math.abs(o.toks.length - width) <= 1;
  // Viterbi over labelled items: each keeps one of its candidates, indices strictly increasing;
  // 100 per kept row, 10 per orphan row that fills a gap of exactly its size, and a hair for
  // the candidate named last (closest to the numbers).
  type Node = { score: number; item: number; idx: number; prev: Node | null };
  const start: Node = { score: 0, item: -1, idx: -1, prev: null };
  // Orphan rows (and those that do not fit) before each item, so a gap is counted in O(1).
  const orphansBefore = [0];
  const unfitBefore = [0];
  items.forEach((x, i) => {
    const orphan = x.candidates.length === 0;
    orphansBefore.push(orphansBefore[i] + (orphan ? 1 : 0));
    unfitBefore.push(unfitBefore[i] + (orphan && !fits(x) ? 1 : 0));
  });
  const orphansBetween = (a: number, b: number) => items.slice(a + 1, b).filter((x) => x.candidates.length === 0);
  const gapBonus = (a: Node, item: number, idx: number) => {
    const orphans = orphansBefore[item] - orphansBefore[a.item + 1];
    const unfit = unfitBefore[item] - unfitBefore[a.item + 1];
    return orphans > 0 && idx - a.idx - 1 === orphans && unfit === 0 ? 10 * orphans : 0;
  };
  const nodes: Node[] = [start];
  items.forEach((it, i) => {
    const fresh: Node[] = [];
    it.candidates.forEach((d, rank) => {
      if (!order.has(d)) return;
      const idx = order.get(d)!;
      let bestPrev: Node | null = null;
      let bestScore = 0;
      for (const p of nodes) {
        if (p.idx >= idx) continue;
        const score = p.score + 100 + gapBonus(p, i, idx) + rank * 0.01;
        if (!bestPrev || score > bestScore) {
          bestPrev = p;
          bestScore = score;
        }
      }
      if (bestPrev) fresh.push({ score: bestScore, item: i, idx, prev: bestPrev });
    });
    nodes.push(...fresh);
  });
  let end: Node = start;
  let endScore = -1;
  for (const n of nodes) {
    const score = n.score + gapBonus(n, items.length, defs.length);
    if (score > endScore) [end, endScore] = [n, score];
  }
  const path: Node[] = [];
  for (let n: Node | null = end; n && n.item >= 0; n = n.prev) path.unshift(n);
  const used = new Set(path.map((n) => defs[n.idx]));
  items.forEach((it, i) => {
    const onPath = path.find((n) => n.item === i);
    if (onPath) it.def = defs[onPath.idx];
    // Taken by another item; or a row of blanks under the label of a form the table does not
    // use: the one-row （六） of a table that prints its three sub-rows heads their group there.
    else if (it.def && (used.has(it.def) || (!order.has(it.def) && it.toks.every(isBlank)))) it.def = null;
  });
  [start, ...path].forEach((n, k) => {
    const next = path[k] as Node | undefined;
    const nextItem = next ? next.item : items.length;
    const nextIdx = next ? next.idx : defs.length;
    if (gapBonus(n, nextItem, nextIdx) > 0) {
      orphansBetween(n.item, nextItem).forEach((o, j) => (o.def = defs[n.idx + 1 + j]));
    }
  });
}

// ---------------------------------------------------------------- rules

const isCount = (v: number | null) => v === null || (v >= 0 && Number.isInteger(v));

type LocalEquation = { left: number[]; right: number[] };

/**
 * A row's rules from the table's equations that lie inside it (table B: 总计 = the six
 * applicant columns; table C: each group's 总计 = its four results), with cells as positions.
 */
function equationRules(eqs: LocalEquation[]): RowRules {
  const lastCell = eqs.map((e) => Math.max(...e.left, ...e.right));
  return {
    cellOk: isCount,
    // An equation is checked as soon as the reading has reached its last cell.
    prefixOk: (vs, len) => eqs.every((e, k) => lastCell[k] !== len - 1 || holds(e, (i) => vs[i]) !== false),
    rowOk: (vs) => vs.every((v) => v !== null && isCount(v)) && eqs.every((e) => holds(e, (i) => vs[i]) === true),
    verifies: eqs.length > 0,
    deriveMissing: (vs, unknown) => deriveByEquations(eqs, vs, unknown),
  };
}

/**
 * What a row's equations fix among its unknown cells: one unknown in an equation is its total
 * less the rest (or the sum of its parts); several unknown parts of a sum that the known cells
 * already reach are all 0, since counts are never negative. Repeated until nothing changes.
 */
function deriveByEquations(eqs: LocalEquation[], vs: (number | null)[], unknown: number[], onlyZeros = false): Map<number, number> {
  const fixed = new Map<number, number>();
  const open = new Set(unknown);
  const value = (i: number) => fixed.get(i) ?? vs[i];
  const known = (xs: number[]) => xs.reduce((a, i) => a + (value(i) ?? 0), 0);
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of eqs) {
      const nulls = [...e.left, ...e.right].filter((i) => value(i) === null);
      if (nulls.length === 0 || nulls.some((i) => !open.has(i))) continue;
      if (nulls.length === 1) {
        const v = solve(e, nulls[0], value);
        if (v === undefined || v < 0 || !Number.isInteger(v) || (onlyZeros && v !== 0)) continue;
        fixed.set(nulls[0], v);
        changed = true;
      } else {
        const side = e.left.includes(nulls[0]) ? e.left : e.right;
        if (!nulls.every((i) => side.includes(i))) continue;
        if (known(side === e.left ? e.right : e.left) !== known(side)) continue;
        for (const i of nulls) fixed.set(i, 0);
        changed = true;
      }
    }
  }
  return fixed;
}

/** Rules of a row of table B (the row equations do not depend on which rows are present). */
const rowRulesB = new WeakMap<RowDef, RowRules>();
function rulesOfRowB(template: TemplateDef, def: RowDef): RowRules {
  let rules = rowRulesB.get(def);
  if (!rules) {
    rules = equationRules(rowEquations(tableEquations(template, () => true), rowCells("B", def)));
    rowRulesB.set(def, rules);
  }
  return rules;
}

let rowRulesC: RowRules | null = null;
function rulesOfTableC(): RowRules {
  return (rowRulesC ??= equationRules(rowEquations(TABLE_C_EQUATIONS, TABLE_C_CELLS)));
}

/** Rules of a row of table A (they depend on the row's columns only: built once per row). */
const rowRulesOfA = new WeakMap<RowDef, RowRules>();
function rowRulesA(def: RowDef): RowRules {
  let rules = rowRulesOfA.get(def);
  if (!rules) {
    const cellOk = (v: number | null, i: number) =>
      v === null || ((v >= 0 || def.columns[i] === "change") && (Number.isInteger(v) || def.columns[i] === "amount"));
    rules = { cellOk, rowOk: (vs) => vs.every(cellOk), signed: (i) => def.columns[i] === "change" };
    rowRulesOfA.set(def, rules);
  }
  return rules;
}

// ---------------------------------------------------------------- resolution

interface RowState {
  def: RowDef;
  readings: Reading[];
  item: RowItem;
}

function printed(toks: CellToken[]): string {
  let out = toks.length > 0 ? toks[0].raw : "";
  for (let i = 1; i < toks.length; i++) out += ` ${toks[i].raw}`;
  return out;
}

/**
 * The table's column equations (一+二 = 三(七)+四 and （七）总计 = the results) over chosen
 * readings, each cell as (row id, column position); a null cell leaves its equation unchecked.
 */
function columnConsistency(template: TemplateDef, present: (id: string) => boolean): (chosen: Map<string, (number | null)[]>) => boolean {
  const equations = tableEquations(template, present);
  let eqs = compiledColumnEquations.get(equations);
  if (!eqs) {
    const at = (id: string): [string, number] => {
      const { row, column } = cellParts(id);
      return [row, (APPLICANT_COLUMNS as readonly string[]).indexOf(column)];
    };
    eqs = equations.filter((e) => e.check === "balance" || e.check === "result_sum").map((e) => ({ left: e.left.map(at), right: e.right.map(at) }));
    compiledColumnEquations.set(equations, eqs);
  }
  const compiled = eqs;
  return (chosen) => compiled.every((e) => holds(e, ([row, j]) => chosen.get(row)?.[j] ?? null) !== false);
}

const compiledColumnEquations = new WeakMap<readonly Equation[], { left: [string, number][]; right: [string, number][] }[]>();

const MAX_COMBOS = 20000;

function resolve(states: RowState[], consistent: ((m: Map<string, (number | null)[]>) => boolean) | null): Map<RowState, Reading[]> {
  const out = new Map<RowState, Reading[]>(states.map((s) => [s, s.readings]));
  const ambiguous = states.filter((s) => s.readings.length > 1);
  if (!consistent || ambiguous.length === 0) return out;
  const combos = ambiguous.reduce((a, s) => a * s.readings.length, 1);
  if (combos > MAX_COMBOS) return out;
  const base = new Map(states.filter((s) => s.readings.length === 1).map((s) => [s.def.id, s.readings[0].values]));
  const kept: Reading[][] = ambiguous.map(() => []);
  const pick: number[] = ambiguous.map(() => 0);
  let any = false;
  for (let c = 0; c < combos; c++) {
    let rest = c;
    for (let i = 0; i < ambiguous.length; i++) {
      pick[i] = rest % ambiguous[i].readings.length;
      rest = Math.floor(rest / ambiguous[i].readings.length);
    }
    const m = new Map(base);
    ambiguous.forEach((s, i) => m.set(s.def.id, s.readings[pick[i]].values));
    if (consistent(m)) {
      any = true;
      ambiguous.forEach((s, i) => kept[i].push(s.readings[pick[i]]));
    }
  }
  if (any) ambiguous.forEach((s, i) => out.set(s, kept[i]));
  return out;
}

/** What a user is told of a row whose numbers have letters inside (OCR), or "" when none has. */
function garbled(toks: CellToken[]): string {
  const raw = toks.flatMap((t) => (t.kind === "num" && t.ocr ? [`「${t.raw}」`] : []));
  return raw.length === 0 ? "" : `数字${raw.join("")}里夹着字母（多半是扫描识别的错误）`;
}

function emit(res: TableResult, table: "A" | "B" | "C", state: RowState, readings: Reading[], cellIds: readonly string[]) {
  const { values, undetermined } = agreement(readings, cellIds.length);
  if (garbled(state.item.toks)) res.warnings.push(`${table}表「${state.def.label}」原文「${printed(state.item.toks)}」${garbled(state.item.toks)}，按形近的数字（l、I、丨→1，O、口→0，S→5，B→8）读后本行合计相符，按此读取`);
  // Most rows have one reading with nothing derived and no placeholder: no sets to build then.
  const derived = readings.length === 1 ? readings[0].derived : [...new Set(readings.flatMap((r) => r.derived))];
  const placeholders = readings.length === 1 ? readings[0].placeholders : [...new Set(readings.flatMap((r) => r.placeholders))];
  if (cellIds.length > 0) res.provenance[rowKey(cellIds[0])] = { table, row: state.def.label, label: state.item.label, printed: printed(state.item.toks) };
  cellIds.forEach((id, j) => {
    res.cells[id] = values[j];
    const unit = readings[0]?.units[j];
    if (unit && values[j] !== null) res.units[id] = unit;
    if (derived.length > 0 && derived.includes(j) && values[j] !== null) res.derived.push(id);
    if (placeholders.length > 0 && placeholders.includes(j) && values[j] === null) {
      // A cell every reading has printed blank: the table's equations may still fix it.
      if (readings.every((r) => r.blanks.includes(j))) res.blanks.push(id);
      else {
        const raw = state.item.toks.find((t) => t.kind === "placeholder")?.raw || "";
        res.warnings.push(`${id}: 原文${raw ? `为占位符（${raw}）` : "空白"}，按未填写处理`);
      }
    }
  });
  if (undetermined.length > 0) {
    res.warnings.push(
      `${table}表「${state.def.label}」原文「${printed(state.item.toks)}」有 ${readings.length} 种读法都符合勾稽规则，${undetermined
        .map((j) => cellIds[j])
        .join("、")} 无法确定，留空`,
    );
  }
}

// ---------------------------------------------------------------- tables

/**
 * Blank cells the table's equations fix as zeros across rows (a blank row of results whose
 * column sums already reach 总计), then a warning for each blank still unknown. Only zeros, and
 * table 三 does not pass 一+二=三(七)+四 in: a value taken from the balance would hide the very
 * break that rule is there to show, so such a blank stays unknown, and the checks count it as 0
 * (domain.md W6).
 */
function settleBlanks(res: TableResult, equations: readonly Equation[]): void {
  if (res.blanks.length > 0 && equations.length > 0) {
    const ids: string[] = [];
    const at = new Map<string, number>();
    const pos = (id: string) => {
      let i = at.get(id);
      if (i === undefined) at.set(id, (i = ids.push(id) - 1));
      return i;
    };
    const local = equations.map((e) => ({ left: e.left.map(pos), right: e.right.map(pos) }));
    const vs = ids.map((id) => {
      const v = res.cells[id];
      return typeof v === "number" ? v : null;
    });
    const fixed = deriveByEquations(local, vs, res.blanks.filter((id) => at.has(id)).map((id) => at.get(id)!), true);
    const zeros = new Set([...fixed.keys()].map((i) => ids[i]));
    for (const id of zeros) {
      res.cells[id] = 0;
      res.derived.push(id);
    }
    res.blanks = res.blanks.filter((id) => !zeros.has(id));
  }
  for (const id of res.blanks) res.warnings.push(`${id}: 原文空白，按未填写处理`);
}

function tableRows(
  regionText: string,
  defs: RowDef[],
  widthOf: (d: RowDef | null) => number,
  uniformWidth: number | null,
  res: TableResult,
  table: "A" | "B",
): { rows: { def: RowDef; item: RowItem }[]; unplaced: RowItem[]; short: number } {
  const items = rowItems(segments(scan(regionText)), defs, widthOf);
  alignRows(items, alternativesUsed(items, defs), uniformWidth);
  rowNumbers(items, widthOf, /序\s*号/.test(regionText));
  const seen = new Set<RowDef>();
  const out: { def: RowDef; item: RowItem }[] = [];
  let short = 0;
  for (const it of items) {
    if (!it.def) continue;
    // A count in prose (「本年新收申请15件」) names a row but cannot fill it: not the row.
    if (!couldFill(it.toks, widthOf(it.def))) {
      if (gluedTooShort(it.toks, widthOf(it.def))) short++;
      continue;
    }
    if (seen.has(it.def)) {
      res.warnings.push(`${table}表「${it.def.label}」出现不止一次，取第一次（原文「${printed(it.toks)}」被忽略）`);
      continue;
    }
    seen.add(it.def);
    out.push({ def: it.def, item: it });
  }
  return { rows: out, unplaced: items.filter((it) => !it.def), short };
}

/** The row's tokens as printed, or without the next row's number, or both (rowNumbers). */
function tokenVariants(item: RowItem): CellToken[][] {
  const u = item.unnumbered;
  return !u ? [item.toks] : u.sure ? [u.toks] : [item.toks, u.toks];
}

/** A number printed alone between two labels (「…其他1一、本年新收」): a row's 序号 or enumerator, not a row. */
function loneNumber(it: RowItem, widthOf: (d: RowDef | null) => number): number | null {
  if (it.toks.length !== 1) return null;
  const t = it.toks[0];
  if (t.kind !== "num" || t.sign || t.frac || t.int.length > 2 || t.int[0] === "0") return null;
  return it.def && couldFill(it.toks, widthOf(it.def)) ? null : Number(t.int);
}

/**
 * Glued text puts a row's own number right after the previous row's last cell: its 序号
 * (「…属于四类过程性信息100000111 7.属于行政执法案卷」: 1|0|0|0|0|0|1, then 序号 11) or its
 * enumerator without a dot (「…不掌握相关政府信息111000001112没有现成信息」: 111|0|0|0|0|0|111,
 * then 2). A cut that swallows those digits may still add up (10|0|0|0|0|1|11), so digits right
 * before the next row's label that can be that row's number — one more than the number of the
 * row before, or the next sub-row's enumerator — are read both ways, and only as the number
 * when the table shows the convention: a 序号 header, numbers running on from row to row (three
 * rows or more), or a first sub-row's 「1」 printed alone before its label without a dot.
 */
function rowNumbers(items: RowItem[], widthOf: (d: RowDef | null) => number, seqHeader: boolean): void {
  // Sub-rows whose label lacks its enumerator, and whether a first one shows 「1」 alone before it.
  const dotless = (it: RowItem | undefined) => it?.def?.index !== undefined && it.def.index > 0 && !/\d[.、]|\(\d\)/.test(it.label);
  let enumerated = false;
  for (let k = 1; k < items.length; k++) if (items[k].def?.index === 1 && dotless(items[k]) && loneNumber(items[k - 1], widthOf) === 1) enumerated = true;
  const found: { it: RowItem; toks: CellToken[]; chained: boolean }[] = [];
  // The number of the row about to start, once known, and how many rows in a row carried theirs.
  let own: number | null = null;
  let run = 0;
  let longest = 0;
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    const lone = loneNumber(it, widthOf);
    if (lone !== null || !it.def) {
      own = lone;
      run = 0;
      continue;
    }
    const next = items[k + 1];
    // In a table whose sub-rows are numbered without dots, numbers restart in each group: the
    // next one is the next sub-row's; otherwise one more than this row's, if known.
    const chained: boolean = !enumerated && own !== null;
    const n: number | null = chained ? own! + 1 : dotless(next) ? next.def!.index! : null;
    own = null;
    const t = it.toks[it.toks.length - 1];
    const tail = n === null ? "" : String(n);
    if (n === null || !next?.def || t.kind !== "num" || t.boxed || t.frac || t.commas || t.int.length <= tail.length || !t.int.endsWith(tail)) {
      run = 0;
      continue;
    }
    found.push({ it, toks: [...it.toks.slice(0, -1), { ...t, int: t.int.slice(0, -tail.length), raw: t.raw.slice(0, -tail.length) }], chained });
    own = n;
    longest = Math.max(longest, ++run);
  }
  for (const f of found) f.it.unnumbered = { toks: f.toks, sure: enumerated || (f.chained && (seqHeader || longest >= 3)) };
}

/**
 * A row printed as one run of glued digits too short for its cells (「8181」 for seven). Several
 * numbers (「80—1———81」, the dashes its zeros) are cells set apart, not cells lost; one digit is
 * a 序号 or an enumerator (a row with a number in it has a 总计 too).
 */
function gluedTooShort(toks: CellToken[], width: number): boolean {
  return toks.length === 1 && toks[0].kind === "num" && !toks[0].boxed && toks[0].int.length >= 2 && toks[0].int.length < width;
}

/** Whether printed tokens could be a row of `width` cells (as printed, one off, or glued). */
function couldFill(toks: CellToken[], width: number): boolean {
  const n = toks.length;
  if (n >= width - 1 && n <= width + 1) return true;
  const digits = toks.reduce((a, t) => a + (t.kind === "num" ? t.int.length : 1), 0);
  return n < width && digits >= width;
}

/**
 * The column a lifted cell belongs to, from the words of its note, or -1: a 制发 count notes
 * its revisions (「其中修订16件」), a 废止 count what expired (「含自然失效29件」).
 */
function noteColumn(note: string, columns: readonly string[]): number {
  const hits = columns.flatMap((c, j) => (COLUMN_NOTE_WORDS[c]?.test(note) ? [j] : []));
  return hits.length === 1 ? hits[0] : -1;
}

/**
 * The table readers write their cells, units and provenance into `into` when given (the
 * report's own objects: building a second cells object of two hundred keys and copying it is a
 * measurable part of a parse).
 */
export function parseTableA(regionText: string, template: TemplateDef, into?: TableSink, options: { blanksLost?: boolean } = {}): TableResult {
  const res = emptyResult(into);
  const { rows, unplaced } = tableRows(regionText, template.tableA, (d) => d?.columns.length ?? 3, null, res, "A");
  res.found = rows.length > 0;
  // Both need 「万元」: a region without 万 is not compacted for them.
  const compactRegion = regionText.includes("万") ? compact(regionText) : "";
  const feesInWan = /万元/.test(compactRegion.replace(/采购总金额\(单位:万元\)/, ""));
  const procurementInWan = /采购总金额\(?单位:?万元/.test(compactRegion);
  // Cells with a note found outside every row: lifted off rows that now print one cell short.
  const lifted = unplaced.flatMap((it) => it.toks.filter((t): t is NumToken => t.kind === "num" && t.note !== undefined));
  for (const { def, item } of rows) {
    const width = def.columns.length;
    let readings = readingsOf(tokenVariants(item), width, rowRulesA(def));
    if (item.toks.length === width - 1 && lifted.length > 0) {
      const cell = lifted.shift()!;
      const column = noteColumn(cell.note!, def.columns);
      const placed = liftedCellReadings(item.toks, width, cell, column);
      if (placed.length > 0) {
        readings = placed;
        res.warnings.push(`A表「${def.label}」原文「${printed(item.toks)}」少一格：表外的「${cell.raw}（${cell.note}）」按注释归入「${COLUMN_LABELS[def.columns[column]]}」`);
      }
    }
    // A page that lost its blank cells: 「111」 may be 1|1|1 or 0|1|11 with the 0 gone.
    if (options.blanksLost && item.toks.length < width && readings.length > 0) {
      res.warnings.push(`A表「${def.label}」原文「${printed(item.toks)}」：这一页的表格丢了空白格（见三表），粘连的数字无法确定怎样分成 ${width} 格，未读取`);
      continue;
    }
    const state: RowState = { def, item, readings };
    if (state.readings.length === 0) {
      res.warnings.push(`A表「${def.label}」原文「${printed(item.toks)}」${garbled(item.toks) ? `${garbled(item.toks)}，这一行没有合计可以核对` : `与 ${def.columns.length} 列对不上`}，未读取`);
      continue;
    }
    emit(res, "A", state, state.readings, rowCells("A", def));
  }
  const fees = activeCell("fees", "amount");
  const procurement = activeCell("procurement", "amount");
  if (template.id === "2021" && feesInWan && res.cells[fees] != null && !res.units[fees]) res.units[fees] = "万元";
  if (procurementInWan && res.cells[procurement] != null && !res.units[procurement]) res.units[procurement] = "万元";
  res.missingRows = template.tableA.filter((d) => !rows.some((r) => r.def === d)).map((d) => d.label);
  settleBlanks(res, []);
  return res;
}

export function parseTableB(regionText: string, template: TemplateDef, into?: TableSink): TableResult {
  const res = emptyResult(into);
  const namesRow = (label: string) => matchLabels(label, template.tableB).length > 0;
  for (const reshape of [(t: string) => joinColumnBlocks(t) ?? untransposeB(t), dropSubtotalColumn, (t: string) => numbersAboveLabels(t, namesRow)]) {
    const shaped = reshape(regionText);
    if (shaped) {
      regionText = shaped.text;
      res.warnings.push(...shaped.warnings);
    }
  }
  const { rows, short } = tableRows(regionText, template.tableB, () => 7, 7, res, "B");
  res.found = rows.length > 0;
  const states: RowState[] = [];
  // Rows no reading of which adds up, with every cut of their digits instead (looseReadings).
  const unread: RowState[] = [];
  // Of their cuts, those that keep each number printed apart whole (what the text shows by itself).
  const printedApart = new Map<RowState, Reading[]>();
  const undealt = misdealtRows(rows, template, res);
  for (const { def, item } of rows) {
    if (undealt.has(item)) continue;
    const rules = rulesOfRowB(template, def);
    const variants = tokenVariants(item);
    const readings = readingsOf(variants, 7, rules);
    if (readings.length === 0) {
      const u: RowState = { def, item, readings: readingsOf(variants, 7, rules, (t, w, r) => looseReadings(t, w, r, true)) };
      printedApart.set(u, readingsOf(variants, 7, rules, looseReadings));
      unread.push(u);
    } else states.push({ def, item, readings });
  }
  const presentIds = new Set(states.map((s) => s.def.id));
  const present = (id: string) => presentIds.has(id);
  const resolved = resolve(states, columnConsistency(template, present));
  const pending = unread.length > 0 ? settleUnreadRows(res, tableEquations(template, present), unread, states, resolved) : [];
  // (Rows the columns settled are read now.)
  if (unread.length > pending.length) for (const s of states) presentIds.add(s.def.id);
  for (const s of states) emit(res, "B", s, resolved.get(s)!, rowCells("B", s.def));
  const unsound = pending.length > 0 ? reportUnreadRows(res, tableEquations(template, present), pending.map((u) => ({ ...u, readings: printedApart.get(u)! })), states, resolved) : 0;
  // Rows of glued digits too few for their cells, or just enough (one a cell) yet not adding up:
  // two or more (one could be a count in a note, or a misprint) say the page lost its blank cells.
  if (short + unsound >= 2) res.blanksLost = true;
  // Not from 一+二=三(七)+四: a blank settled by the balance makes it hold whatever the page meant
  // (a label-only half row whose numbers stand on the next row would read 0 and hide a break).
  settleBlanks(res, tableEquations(template, present).filter((e) => e.check !== "review_sum" && e.check !== "balance"));
  res.missingRows = expectedRows(template, present).filter((d) => !present(d.id)).map((d) => d.label);
  if (template.id === "2021" && present(SINGLE_OTHER_HANDLING) && !template.tableB.some((d) => d.group === "other_handling" && d.index! > 0 && present(d.id))) {
    // The 2021 model's （六）其他处理 is the sum of its three sub-rows; a report that prints only
    // the sum keeps it under the row's own id, and the sub-rows stay unknown (not 0).
    res.warnings.push(
      "B表「（六）其他处理」只印了一行合计，没有按2021版格式分列“逾期不补正”“逾期未缴费”“其他”三个子项：合计记为（六）其他处理，子项未知",
    );
  }
  return res;
}

/**
 * Rows dealt seven at a time out of one group of numbers printed one per line (splitRows): that
 * order is the reader's guess — PDF text taken column by column prints every row's 自然人 first —
 * so when a row so dealt does not add up, none of the group is read.
 */
function misdealtRows(rows: { def: RowDef; item: RowItem }[], template: TemplateDef, res: TableResult): Set<RowItem> {
  const out = new Set<RowItem>();
  // Every row of 三 has the same sum (六类申请人 = 总计), a row whose label drifted too.
  const rules = rulesOfRowB(template, template.tableB[0]);
  const addsUp = (it: RowItem) => {
    const values = it.toks.map((t) => (t.kind === "num" ? tokenValue(t) : null));
    return values.length !== 7 || values.includes(null) || rules.rowOk!(values);
  };
  for (const { item } of rows) {
    if (!item.dealt || out.has(item) || item.dealt.every(addsUp)) continue;
    for (const it of item.dealt) out.add(it);
    res.warnings.push(`B表 ${item.dealt.length} 行的数字一个一行印在所有标签之后，按每 7 个一行分配时有的行合计对不上（可能是按列印的），这些行未读取`);
  }
  return out;
}

/** The six applicant columns' equations between rows (一+二 = 三(七)+四, the results' sum), not the 总计 column's. */
const applicantColumnEquations = new WeakMap<readonly Equation[], readonly Equation[]>();
function columnEquationsOfApplicants(equations: readonly Equation[]): readonly Equation[] {
  let eqs = applicantColumnEquations.get(equations);
  if (!eqs) {
    eqs = equations.filter((e) => (e.check === "balance" || e.check === "result_sum") && cellParts(e.left[0]).column !== "total");
    applicantColumnEquations.set(equations, eqs);
  }
  return eqs;
}

/**
 * Glued rows of table 三 that no cut makes add up. A misprinted 总计 breaks its row's own sum
 * but not the six applicant columns: the one cut whose applicant cells satisfy every column
 * equation with the rows read (each of them checked, none left open) is the row as printed, and
 * its 总计 is what remains; the row is then read (and the rows read with it that it settles), and
 * the checks report the break. A crawl that lost its blank cells (「2171218」 for
 * 217 | | | | | 1 | 218) has no such cut and stays unread. Returns the rows still unread.
 */
function settleUnreadRows(res: TableResult, equations: readonly Equation[], unread: RowState[], states: RowState[], resolved: Map<RowState, Reading[]>): RowState[] {
  let pending = unread;
  for (let changed = true; changed && pending.length > 0; ) {
    changed = false;
    pending = pending.filter((u) => {
      const joint = jointReadings(u, equations, states, resolved, true);
      if (!joint || joint.own.length !== 1) return true;
      const r = joint.own[0];
      res.warnings.push(
        `B表「${u.def.label}」原文「${printed(u.item.toks)}」无论怎样分成 7 格，六类申请人合计都不等于总计；按与其他各行逐列相符的唯一分法读作 ${r.values.join("、")}（总计与六类之和不符，见校验）`,
      );
      for (const [p, kept] of joint.partners) resolved.set(p, kept);
      const settled = { ...u, readings: joint.own };
      states.push(settled);
      resolved.set(settled, joint.own);
      changed = true;
      return false;
    });
  }
  return pending;
}

const MAX_JOINT = 20000;

/**
 * The cuts of an unread row `u` that the column equations of its six applicant cells bear out,
 * together with the readings of the rows still ambiguous that they agree with: `all`, every such
 * equation checked and holding; otherwise none broken and one at least holding. Null when the
 * combinations are too many to try.
 */
function jointReadings(u: RowState, equations: readonly Equation[], states: RowState[], resolved: Map<RowState, Reading[]>, all: boolean): { own: Reading[]; partners: Map<RowState, Reading[]> } | null {
  const cells = rowCells("B", u.def);
  const mine = columnEquationsOfApplicants(equations).filter((e) => e.left.some((c) => cells.includes(c)) || e.right.some((c) => cells.includes(c)));
  if (mine.length === 0 || u.readings.length === 0) return { own: [], partners: new Map() };
  const rowOf = new Map<string, { cells: readonly string[]; readings: Reading[]; state: RowState }>();
  for (const s of states) rowOf.set(s.def.id, { cells: rowCells("B", s.def), readings: resolved.get(s) ?? s.readings, state: s });
  const touched = new Set(mine.flatMap((e) => [...e.left, ...e.right]).map((c) => cellParts(c).row));
  const partners = [...touched].map((id) => rowOf.get(id)).filter((p) => p !== undefined && p.readings.length > 1) as { cells: readonly string[]; readings: Reading[]; state: RowState }[];
  const combos = partners.reduce((a, p) => a * p.readings.length, u.readings.length);
  if (combos > MAX_JOINT) return null;
  const fixed = (c: string): number | null => {
    const p = rowOf.get(cellParts(c).row);
    if (!p || p.readings.length !== 1) return null;
    return p.readings[0].values[p.cells.indexOf(c)] ?? null;
  };
  const own = new Set<Reading>();
  const kept = partners.map(() => new Set<Reading>());
  const pick = partners.map(() => 0);
  for (let c = 0; c < combos; c++) {
    let rest = c;
    const r = u.readings[rest % u.readings.length];
    rest = Math.floor(rest / u.readings.length);
    for (let i = 0; i < partners.length; i++) {
      pick[i] = rest % partners[i].readings.length;
      rest = Math.floor(rest / partners[i].readings.length);
    }
    const value = (cell: string) => {
      const k = cells.indexOf(cell);
      if (k >= 0) return r.values[k];
      for (let i = 0; i < partners.length; i++) {
        const j = partners[i].cells.indexOf(cell);
        if (j >= 0) return partners[i].readings[pick[i]].values[j];
      }
      return fixed(cell);
    };
    const held = mine.map((e) => holds(e, value));
    if (all ? !held.every((h) => h === true) : !held.includes(true) || held.includes(false)) continue;
    own.add(r);
    partners.forEach((p, i) => kept[i].add(p.readings[pick[i]]));
  }
  return { own: [...own], partners: new Map(partners.map((p, i) => [p.state, [...kept[i]]])) };
}

/**
 * The rows left unread: that their printed digits cannot add up is the report's own finding
 * (row_sum), and a 总计 that every cut the columns bear out reads alike is the printed total,
 * which the balance then sees.
 */
function reportUnreadRows(res: TableResult, equations: readonly Equation[], pending: RowState[], states: RowState[], resolved: Map<RowState, Reading[]>): number {
  let unsound = 0;
  for (const u of pending) {
    const cells = rowCells("B", u.def);
    const rowSum = equations.find((e) => e.check === "row_sum" && e.right[0] === cells[cells.length - 1]);
    const failing = rowSum !== undefined && u.readings.length > 0 && u.readings.every((r) => holds(rowSum, (c) => r.values[cells.indexOf(c)] ?? null) === false);
    if (!failing) {
      res.warnings.push(`B表「${u.def.label}」原文「${printed(u.item.toks)}」${garbled(u.item.toks) ? `${garbled(u.item.toks)}，按形近的数字读也不满足本行合计` : "与 7 列对不上"}，未读取`);
      continue;
    }
    if (u.readings.length === 1) unsound++;
    res.warnings.push(`B表「${u.def.label}」原文「${printed(u.item.toks)}」无论怎样分成 7 格，六类申请人合计都不等于总计，未读取`);
    res.unread.failures.push({ check: "row_sum", failure: unreadSumFailure("B", rowSum, u, cells) });
    const borne = jointReadings(u, equations, states, resolved, false)?.own ?? [];
    const total = borne[0]?.values[cells.length - 1] ?? null;
    if (total !== null && borne.every((r) => r.values[cells.length - 1] === total)) res.unread.values[cells[cells.length - 1]] = total;
  }
  return unsound;
}

/** The failure of a row's own sum that no reading of its printed digits satisfies. */
function unreadSumFailure(table: "B" | "C", eq: Equation, u: RowState, cells: readonly string[]) {
  const unread = `（原文「${printed(u.item.toks)}」数字粘连，这一行未读取）`;
  if (u.readings.length === 1) {
    const only = u.readings[0];
    return equationFailure(eq, (c) => only.values[cells.indexOf(c)] ?? null, () => `（原文「${printed(u.item.toks)}」只有这一种分法，这一行未读取）`)!;
  }
  return {
    table,
    row: eq.row,
    column: eq.column,
    cells: [...eq.left, ...eq.right],
    expected: null,
    printed: null,
    message: `「${eq.row}」${table === "B" ? "行" : ""}：无论怎样分格，${table === "B" ? "六类申请人合计都不等于总计" : "分项之和都不等于总计"}${unread}`,
  };
}

export function parseTableC(regionText: string, into?: TableSink): TableResult {
  const res = emptyResult(into);
  const segs = segments(scan(regionText));
  const all = segs.flatMap((s) => s.toks);
  const toks = all.length <= 16 ? all : segs.reduce((a, s) => (s.toks.length > a.length ? s.toks : a), [] as CellToken[]);
  if (toks.length === 0) return res;
  const readings = rowReadings(toks, 15, rulesOfTableC());
  if (readings.length === 0) {
    // No cut adds up in every group: unread, and said so when the printed digits show it.
    const loose = looseReadings(toks, 15, rulesOfTableC());
    const failing = TABLE_C_EQUATIONS.filter((e) => loose.length > 0 && loose.every((r) => holds(e, (c) => r.values[TABLE_C_CELLS.indexOf(c)] ?? null) === false));
    const def: RowDef = { id: TABLE_C_ROW, label: "行政复议、行政诉讼", keywords: [], columns: TABLE_C_CELLS };
    const u: RowState = { def, readings: loose, item: { def, candidates: [], toks, label: "" } };
    for (const e of failing) res.unread.failures.push({ check: "review_sum", failure: unreadSumFailure("C", e, u, TABLE_C_CELLS) });
    res.warnings.push(`C表原文「${printed(toks)}」${failing.length > 0 ? "无论怎样分成 15 格，分项之和都不等于总计" : garbled(toks) ? `${garbled(toks)}，按形近的数字读也不满足各组合计` : "与 15 列对不上"}，未读取`);
    return res;
  }
  res.found = true;
  const def: RowDef = { id: TABLE_C_ROW, label: "行政复议、行政诉讼", keywords: [], columns: TABLE_C_CELLS };
  emit(res, "C", { def, readings, item: { def, candidates: [], toks, label: "" } }, readings, TABLE_C_CELLS);
  settleBlanks(res, TABLE_C_EQUATIONS);
  return res;
}
