/**
 * Every way a row's printed tokens can be read as its cells.
 *
 * A row with as many tokens as columns has one reading: as printed. Otherwise the text
 * is ambiguous — digits glued together (`713000074`), a cell lost or an extra one — and we
 * list the readings; the table's rules pick among them (see tables.ts).
 */
import { type CellToken, isBlank, isSoft, type NumToken, tokenValue } from "./tokens.ts";

export interface Reading {
  values: (number | null)[];
  /** Cells whose value is not printed but follows from a rule of the row. */
  derived: number[];
  /** Cells printed as a placeholder (/, —, 不适用 …) or blank. */
  placeholders: number[];
  /** Of those, the cells printed blank (an empty cell, not a placeholder sign). */
  blanks: number[];
  /** True when this is the text as printed, one token per cell. */
  asPrinted: boolean;
  /** Unit printed with each cell (元 / 万元), if any. */
  units: string[];
}

export interface RowRules {
  /** Whether a value can stand in cell `index` at all (sign, integer). */
  cellOk?: (value: number | null, index: number) => boolean;
  /** The row's rule on a partial reading (values[0..len) set); prunes the search when it is large. */
  prefixOk?: (values: (number | null)[], len: number) => boolean;
  /** Values the row's rules fix for unknown cells (null in `values`); cells they cannot fix are left out. */
  deriveMissing?: (values: (number | null)[], unknown: number[]) => Map<number, number>;
  /** Whether a complete reading satisfies the row's own rule. */
  rowOk?: (values: (number | null)[]) => boolean;
  /** Whether cell `index` may be printed with a sign (table 二's 本年增/减): a signed number starts such a cell. */
  signed?: (index: number) => boolean;
  /** Whether rowOk checks an equation between the row's cells (a sum), not only each cell. */
  verifies?: boolean;
}

const MAX_READINGS = 4000;
// The real glued rows of the corpora need at most 60 steps of the search; 20,000 leaves a wide
// margin and gives up on absurd runs of digits in milliseconds rather than seconds.
const MAX_STEPS = 20_000;

const isOcr = (t: CellToken) => t.kind === "num" && t.ocr !== undefined;

const hasLeadingZero = (t: CellToken) => t.kind === "num" && t.int.length > 1 && t.int[0] === "0";

/**
 * Whether the pieces of a cut keep each grouped number whole: a separator is inside a piece,
 * one to three digits after its start, and the piece's separators are three digits apart and
 * end three digits before the piece does (「33123,604」 is 33 | 123,604, 331 | 23,604 or 3312 | 3,604).
 */
function groupsWhole(pieces: string[], commas: number[]): boolean {
  let start = 0;
  let c = 0;
  for (const p of pieces) {
    const end = start + p.length;
    if (c < commas.length && commas[c] === start && start > 0) return false;
    if (c < commas.length && commas[c] < end) {
      if (commas[c] - start > 3) return false;
      let last = commas[c++];
      while (c < commas.length && commas[c] < end) {
        if (commas[c] !== last + 3) return false;
        last = commas[c++];
      }
      if (end - last !== 3) return false;
    }
    start = end;
  }
  return true;
}

/** A token whose separators do not group it as one number: cells glued around a grouped number. */
const groupedAsCells = (t: CellToken) => t.kind === "num" && t.commas !== undefined && !groupsWhole([t.int], t.commas);

/** Cells glued together, never one number: a leading zero (「01」) or separators that group no one number. */
const mustCut = (t: CellToken) => hasLeadingZero(t) || groupedAsCells(t);

function direct(tokens: CellToken[]): Reading {
  // One loop (every row of every table is read this way at least once).
  const values: (number | null)[] = [];
  const placeholders: number[] = [];
  const blanks: number[] = [];
  const units: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    values.push(tokenValue(t));
    if (t.kind === "placeholder") placeholders.push(i);
    if (isBlank(t)) blanks.push(i);
    units.push(t.kind === "num" ? t.unit : "");
  }
  return { values, derived: [], placeholders, blanks, asPrinted: true, units };
}

/**
 * Every way to cut a digit string into `parts` numbers, none with a leading zero, handed to
 * `take` one after the other (shortest first piece first); `take` returns true to stop them.
 * Each call spends one of `budget.left`, which bounds the work. The pieces array is lent to
 * `take` for the time of the call. (A callback, not a generator: a generator allocates an
 * iterator per level and an array per level and cut, for every token of every glued row.)
 */
function cuts(digits: string, parts: number, budget: { left: number }, take: (pieces: string[]) => boolean, pieces: string[] = []): boolean {
  if (--budget.left < 0) return false;
  if (parts === 1) {
    if (!(digits.length === 1 || digits[0] !== "0")) return false;
    pieces.push(digits);
    const stop = take(pieces);
    pieces.pop();
    return stop;
  }
  const maxFirst = digits.length - (parts - 1);
  for (let len = 1; len <= maxFirst; len++) {
    const head = digits.slice(0, len);
    if (len > 1 && head[0] === "0") break;
    pieces.push(head);
    const stop = cuts(digits.slice(len), parts - 1, budget, take, pieces);
    pieces.pop();
    if (stop) return true;
  }
  return false;
}

/**
 * Whether a token may be cut into several cells: it is one run of digits with nothing printed
 * between its cells. A token the text set apart as a cell of its own (on its own line, between
 * tabs or pipes) is one cell — 「151」 on its line is never 1|5|1 — unless its leading zero says
 * it is cells glued together, or it is the whole of a row whose own equation will check the
 * cut (a crawled row glued onto a line of its own, 「100010000000000」 for table 四).
 */
const cuttable = (t: CellToken, n: number, checked: boolean) => t.kind === "num" && (!t.boxed || mustCut(t) || (n === 1 && checked));

/**
 * A number of several digits printed apart from the row's other numbers (「行政处罚 2 33」): the
 * printer separated cells, so cutting it (3|3) is only a reading when the row's own equation
 * checks the cut. A leading zero still says it is cells glued together (「1 0 0 0 0 01」).
 */
const setApart = (t: CellToken, n: number) => n > 1 && t.kind === "num" && t.int.length > 1 && !mustCut(t) && !t.signGlued;

/** Readings that split glued tokens so the row has exactly `width` cells. */
function gluedReadings(tokens: CellToken[], width: number, cellOk: RowRules["cellOk"], prefixOk: RowRules["prefixOk"], checked = prefixOk !== undefined, signed?: RowRules["signed"]): Reading[] {
  const out: Reading[] = [];
  const values: (number | null)[] = [];
  const units: string[] = [];
  const placeholders: number[] = [];
  const blanks: number[] = [];
  // Long glued runs have astronomically many cuts: bound the search, not just its results.
  let steps = 0;
  const budget = { left: MAX_STEPS * 4 };
  // capacityAfter[i]: cells the tokens after i can hold at most (one per digit).
  const capacityAfter = tokens.map(() => 0);
  const capacity = (t: CellToken) => (t.kind === "num" && cuttable(t, tokens.length, checked) ? t.int.length : 1);
  for (let i = tokens.length - 2; i >= 0; i--) capacityAfter[i] = capacityAfter[i + 1] + capacity(tokens[i + 1]);
  const walk = (ti: number): void => {
    if (out.length >= MAX_READINGS || ++steps > MAX_STEPS) return;
    if (ti === tokens.length) {
      if (values.length === width) {
        out.push({ values: [...values], derived: [], placeholders: [...placeholders], blanks: [...blanks], asPrinted: false, units: [...units] });
      }
      return;
    }
    const t = tokens[ti];
    const cellsLeft = width - values.length;
    const tokensLeft = tokens.length - ti - 1;
    if (t.kind === "placeholder") {
      if (cellsLeft - 1 < tokensLeft) return;
      placeholders.push(values.length);
      const blank = isBlank(t);
      if (blank) blanks.push(values.length);
      values.push(null);
      units.push("");
      walk(ti + 1);
      values.pop();
      units.pop();
      placeholders.pop();
      if (blank) blanks.pop();
      return;
    }
    if (t.sign && signed && !signed(values.length)) return;
    const maxParts = Math.min(capacity(t), cellsLeft - tokensLeft);
    // The tokens after this one can hold at most one cell per digit: this one takes the rest.
    const minParts = Math.max(1, cellsLeft - capacityAfter[ti]);
    for (let parts = minParts; parts <= maxParts; parts++) {
      const stopped = cuts(t.int, parts, budget, (pieces) => {
        if (++steps > MAX_STEPS || out.length >= MAX_READINGS) return true;
        if (t.commas && !groupsWhole(pieces, t.commas)) return false;
        const start = values.length;
        let ok = true;
        pieces.forEach((p, k) => {
          let v = Number(k === pieces.length - 1 && t.frac ? `${p}.${t.frac}` : p);
          if (k === 0 && t.sign === "-") v = -v;
          values.push(v);
          units.push(k === pieces.length - 1 ? t.unit : "");
          if (ok && cellOk && !cellOk(v, values.length - 1)) ok = false;
          if (ok && prefixOk && !prefixOk(values, values.length)) ok = false;
        });
        if (ok) walk(ti + 1);
        values.length = start;
        units.length = start;
        return false;
      });
      if (stopped) return;
    }
  };
  walk(0);
  // A cut-short search saw only some readings: agreement among them would be a guess.
  return steps > MAX_STEPS || budget.left < 0 || out.length >= MAX_READINGS ? [] : out;
}

/** A row printed in full (its direct reading) but with cells left blank: the row's rules may fix them. */
function withBlankDerived(r: Reading, rules: RowRules): Reading {
  const blanks = r.blanks;
  if (blanks.length === 0 || !rules.deriveMissing) return r;
  const fixed = rules.deriveMissing(r.values, blanks);
  if (fixed.size === 0) return r;
  const values = [...r.values];
  for (const [i, v] of fixed) values[i] = v;
  return { ...r, values, derived: [...fixed.keys()] };
}

/**
 * Readings of a row one cell short whose lost cell floats outside the table: a cell with a note
 * (「55（含自然失效29件）」) that a PDF conversion lifted off its row. The lifted cell goes to
 * `column` (the one its note names) and the printed cells fill the others in order. When the row
 * also prints the lifted value, that printed cell may be the same cell printed twice; then the
 * column it would otherwise fill is unknown, and only what both readings agree on stands.
 */
export function liftedCellReadings(tokens: CellToken[], width: number, lifted: NumToken, column: number): Reading[] {
  if (tokens.length !== width - 1 || column < 0 || column >= width) return [];
  const columns = Array.from({ length: width }, (_, j) => j).filter((j) => j !== column);
  const base = direct(tokens);
  const place = (values: (number | null)[]): Reading => ({
    values,
    derived: [],
    placeholders: base.placeholders.map((p) => columns[p]),
    blanks: base.blanks.map((p) => columns[p]),
    asPrinted: false,
    units: values.map(() => ""),
  });
  const first: (number | null)[] = Array(width).fill(null);
  columns.forEach((j, k) => (first[j] = base.values[k]));
  first[column] = tokenValue(lifted);
  const out = [place(first)];
  base.values.forEach((v, k) => {
    if (v !== tokenValue(lifted)) return;
    const twice = [...first];
    twice[columns[k]] = null;
    out.push(place(twice));
  });
  return out;
}

/** Readings of a row with one cell lost: the gap can be anywhere; a rule of the row may fill it. */
function missingCellReadings(tokens: CellToken[], width: number, rules: RowRules): Reading[] {
  const base = direct(tokens);
  const out: Reading[] = [];
  for (let gap = 0; gap < width; gap++) {
    const values = [...base.values.slice(0, gap), null, ...base.values.slice(gap)];
    const units = [...base.units.slice(0, gap), "", ...base.units.slice(gap)];
    const shift = (p: number) => (p >= gap ? p + 1 : p);
    const filled = rules.deriveMissing?.(values, [gap]).get(gap);
    const derived: number[] = [];
    if (filled !== undefined) {
      values[gap] = filled;
      derived.push(gap);
    }
    out.push({ values, derived, placeholders: base.placeholders.map(shift), blanks: base.blanks.map(shift), asPrinted: false, units });
  }
  return out;
}

/**
 * The row without blank cells at its ends beyond its width: every way to drop `excess` of them
 * from the start and the end. Such blanks are empty filler cells (the merged columns of a label,
 * a two-number row drawn in a three-column grid, a stray tab at the end of a line).
 */
function edgeTrims(tokens: CellToken[], width: number): CellToken[][] {
  const excess = tokens.length - width;
  let lead = 0;
  while (lead < tokens.length && isBlank(tokens[lead])) lead++;
  let trail = 0;
  while (trail < tokens.length - lead && isBlank(tokens[tokens.length - 1 - trail])) trail++;
  const out: CellToken[][] = [];
  for (let k = Math.max(0, excess - trail); k <= Math.min(lead, excess); k++) out.push(tokens.slice(k, tokens.length - (excess - k)));
  return out;
}

/**
 * All readings of a row that its own rules allow. The as-printed reading is always kept
 * (a report that breaks a rule is still a report); alternative readings must satisfy the rules,
 * and when none does the row has no reading: a split or a shift the row's own equation rejects
 * is a guess, and an unread cell is better than a wrong one.
 */
export function rowReadings(tokens: CellToken[], width: number, rules: RowRules = {}): Reading[] {
  // Letters OCR left inside numbers (「2S」 for 25): read as their look-alike digits only where
  // the row's own equation then holds; a row with no equation, or a letter like no digit, is unread.
  if (tokens.some(isOcr)) {
    if (!rules.verifies || !rules.rowOk || tokens.some((t) => t.kind === "num" && t.ocr?.unreadable === true)) return [];
    return rowReadings(tokens.map((t) => (isOcr(t) ? { ...t, ocr: undefined } : t)), width, rules).filter((r) => rules.rowOk!(r.values));
  }
  // Empty lines read as blank cells make the row too long: they were breaks, not cells.
  if (tokens.length > width && tokens.some(isSoft)) return rowReadings(tokens.filter((t) => !isSoft(t)), width, rules);
  const n = tokens.length;
  // 「01」, 「00」, 「007」 are never one number: a cell has no leading zero, so such a token is
  // cells glued together and the row can only be read by splitting it.
  const glued = tokens.some(mustCut);
  if (n === width && !glued) return [withBlankDerived(direct(tokens), rules)];
  if (n > width) {
    const trims = edgeTrims(tokens, width);
    if (trims.length > 0) return dedupe(trims.flatMap((ts) => rowReadings(ts, width, rules)));
  }
  let candidates: Reading[] = [];
  if (n === width + 1 && width >= MIN_WIDTH_TO_DROP) {
    candidates = [tokens.slice(1), tokens.slice(0, -1)].filter((ts) => !ts.some(mustCut)).map((ts) => ({ ...direct(ts), asPrinted: false }));
  } else if (n < width) {
    candidates = gluedReadings(rules.prefixOk ? tokens : tokens.map((t) => (setApart(t, n) ? { ...t, boxed: true } : t)), width, rules.cellOk, rules.prefixOk, undefined, rules.signed);
    if (n === width - 1 && !glued) {
      // A lost cell that no rule can fill is only a reading when nothing else explains the row.
      const missing = missingCellReadings(tokens, width, rules);
      const filled = missing.filter((r) => r.derived.length > 0);
      candidates.push(...(filled.length > 0 || candidates.length > 0 ? filled : missing));
    }
  }
  if (!rules.rowOk) return dedupe(candidates);
  // A glued row no cut of which satisfies its own rule has no reading here — not even as many
  // digits as cells, one a cell: a crawl that dropped blank cells prints 217|1|218 as 「2171218」,
  // and 2|1|7|1|2|1|8 would be a guess. The table may still settle such a row (looseReadings).
  return dedupe(candidates.filter((r) => rules.rowOk!(r.values)));
}

/**
 * Every cut of a glued row into `width` cells that only the cells' own rule allows (counts are
 * whole and not negative), whether or not the row's equation holds: for a row that has no reading,
 * so that the table can see whether its other rows settle the cut (a misprinted 总计 breaks the
 * row's own sum but not the columns) and what the printed digits show either way. A number
 * printed apart (「151 3 154」) stays one cell unless `cutApart`: then only equations between
 * rows, every one checked, can settle its cut.
 */
export function looseReadings(tokens: CellToken[], width: number, rules: RowRules = {}, cutApart = false): Reading[] {
  const n = tokens.length;
  if (n > width || tokens.some(isOcr)) return [];
  return dedupe(gluedReadings(cutApart ? tokens : tokens.map((t) => (setApart(t, n) ? { ...t, boxed: true } : t)), width, rules.cellOk, undefined, true));
}

/** The readings of a row printed one of several ways (each a list of tokens), together. */
export function readingsOf(variants: CellToken[][], width: number, rules: RowRules, read = rowReadings): Reading[] {
  return variants.length === 1 ? read(variants[0], width, rules) : dedupe(variants.flatMap((v) => read(v, width, rules)));
}

/**
 * A row one token longer than its width may carry an extra cell at either end (a 16th cell of
 * table 四, an 8th of a row of 三). A short row has no such habit: 「3 3」 for one cell is a
 * number cut in two or two cells, and dropping either half is a guess.
 */
const MIN_WIDTH_TO_DROP = 4;

function dedupe(rs: Reading[]): Reading[] {
  const seen = new Map<string, Reading>();
  for (const r of rs) {
    const key = JSON.stringify(r.values);
    const prev = seen.get(key);
    if (!prev) seen.set(key, r);
    else prev.derived = [...new Set([...prev.derived, ...r.derived])];
  }
  return [...seen.values()];
}

/** The cells every reading agrees on; the others are null (undetermined). */
export function agreement(rs: Reading[], width: number): { values: (number | null)[]; undetermined: number[] } {
  if (rs.length === 1) {
    const values: (number | null)[] = [];
    for (let j = 0; j < width; j++) values.push(rs[0].values[j] ?? null);
    return { values, undetermined: [] };
  }
  const values: (number | null)[] = [];
  const undetermined: number[] = [];
  for (let j = 0; j < width; j++) {
    const vs = new Set(rs.map((r) => r.values[j]));
    if (vs.size === 1) values.push(rs[0]?.values[j] ?? null);
    else {
      values.push(null);
      undetermined.push(j);
    }
  }
  return { values, undetermined };
}
