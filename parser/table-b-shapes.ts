/**
 * Table 三 printed in other shapes than a row of seven cells per row label, turned back into that.
 *
 * Column blocks: a table too wide for the page goes on as a second table (or
 * on the next PDF page) with the remaining applicant columns — 自然人 … 社会公益组织 first, then
 * 法律服务机构, 其他, 总计 — the row labels repeated or left out. The blocks are joined back into
 * one row per label before the rows are read; a row the blocks do not both print with exactly
 * their columns' count of cells is left unread rather than shifted.
 *
 * A 小计 column: the five kinds of 法人或其他组织 summed, printed before 总计 — an eighth number that
 * would otherwise be taken for a stray cell at either end of the row.
 *
 * Transposed: a row per applicant column (自然人 … 总计) and the rows of 三 as columns, their
 * labels in one or two header lines (a group such as （三）不予公开 over its numbered sub-rows).
 */
import { compact } from "./normalize.ts";
import { APPLICANT_COLUMN_LABELS, APPLICANT_COLUMNS } from "./template.ts";
import { BLANK_CELL, isValueText } from "./tokens.ts";

/** Words of table 三's header that are not applicant columns. */
const HEADER_WORDS = /^(?:法人或其他组织|申请人情况|.*勾稽关系.*)$/;
const COLUMN_OF = new Map(APPLICANT_COLUMNS.map((c, i) => [APPLICANT_COLUMN_LABELS[c], i]));

interface Line {
  text: string;
  /** Applicant columns a header line names (template order); null for other lines. */
  columns: number[] | null;
  label: string;
  values: string[];
}

const isValue = (t: string) => t === BLANK_CELL || isValueText(t);

function readLine(text: string): Line {
  const pieces = text.split(/[\t|]+| {1,}/).map((p) => p.trim()).filter((p) => p !== "");
  let k = pieces.length;
  while (k > 0 && isValue(pieces[k - 1])) k--;
  const label = compact(pieces.slice(0, k).join(""));
  const values = pieces.slice(k);
  // A header cell under one spanning two lines (总计) is written as a blank cell.
  const words = pieces.map(compact).filter((w) => w !== BLANK_CELL);
  const isHeader = values.every((v) => v === BLANK_CELL) && words.length > 0 && words.every((w) => COLUMN_OF.has(w) || HEADER_WORDS.test(w)) && words.some((w) => COLUMN_OF.has(w));
  return { text, columns: isHeader ? words.filter((w) => COLUMN_OF.has(w)).map((w) => COLUMN_OF.get(w)!) : null, label, values };
}

interface Block {
  head: Line[];
  /** Every line after the header (group labels on lines of their own stay in place). */
  body: Line[];
  rows: Line[];
  columns: number[];
}

/** The region with column blocks joined into rows of seven cells, or null when it has none. */
export function joinColumnBlocks(region: string): { text: string; warnings: string[] } | null {
  // Cheap test first: a second block names its columns after the first block's rows began.
  const firstRow = region.search(/本年新收|上年结转/);
  if (firstRow < 0 || region.lastIndexOf("法律服务机构") < firstRow) return null;
  const lines = region.split("\n").map(readLine);
  const blocks: Block[] = [];
  const before: string[] = [];
  for (const l of lines) {
    const last = blocks[blocks.length - 1];
    if (l.columns) {
      if (!last || last.rows.length > 0) blocks.push({ head: [l], body: [], rows: [], columns: [...l.columns] });
      else (last.head.push(l), last.columns.push(...l.columns));
    } else if (!last) before.push(l.text);
    else {
      last.body.push(l);
      if (l.values.length > 0) last.rows.push(l);
    }
  }
  if (blocks.length < 2 || blocks.some((b) => b.rows.length === 0)) return null;
  // A header over two lines prints a column spanning both (总计) on the upper one: the columns
  // of a block are in the template's order whatever line names them.
  const all = blocks.flatMap((b) => b.columns.sort((x, y) => x - y));
  const inOrder = all.every((c, i) => i === 0 || c > all[i - 1]);
  if (all.length !== APPLICANT_COLUMNS.length || !inOrder) return null;
  const [first, ...rest] = blocks;
  const warnings = [`B表分成 ${blocks.length} 部分印刷（申请人各列分在几张表里），已按行拼接`];
  // Rows of a later block are matched by their label, or by their order when it prints none.
  const matchers = rest.map((b) => {
    const byLabel = new Map(b.rows.map((r) => [r.label, r]));
    const labelled = b.rows.every((r) => r.label !== "") && byLabel.size === b.rows.length;
    if (labelled) return (r: Line) => byLabel.get(r.label);
    return b.rows.length === first.rows.length ? (_: Line, i: number) => b.rows[i] : () => undefined;
  });
  const joined = new Map(
    first.rows.map((r, i) => {
      const parts = [r, ...matchers.map((m) => m(r, i))];
      const whole = parts.every((p, k) => p && p.values.length === blocks[k].columns.length);
      if (!whole) {
        warnings.push(`B表「${r.label}」在分开印刷的几部分里对不上（缺行或格数不符），未读取`);
        return [r, r.label];
      }
      return [r, [r.label, ...parts.flatMap((p) => p!.values)].join("\t")];
    }),
  );
  return { text: [...before, ...first.head.map((h) => h.text), ...first.body.map((l) => joined.get(l) ?? l.text)].join("\n"), warnings };
}

/** An applicant column named at the start of a transposed row (「其他法人或其他组织」 for 其他). */
function applicantColumn(label: string): number | undefined {
  const c = COLUMN_OF.get(label);
  if (c !== undefined) return c;
  return /^其他(?:法人或其他组织|组织)$/.test(label) ? COLUMN_OF.get(APPLICANT_COLUMN_LABELS.other_org) : undefined;
}

/** A line that starts with 自然人 and goes on with numbers: a row of a transposed table. */
const TRANSPOSED = /(?:^|\n)\s*自然人[\t ]+[\d\uE000]/;

/** A group of 三 whose numbered sub-rows may stand in a second header line. */
const GROUP = /^\((?:三|四|五|六)\)/;
const FIRST_SUB_ROW = /^(?:1[.、]|\(1\))/;

/** The region with a transposed table 三 written as rows of seven cells, or null when it is not one. */
export function untransposeB(region: string): { text: string; warnings: string[] } | null {
  if (!TRANSPOSED.test(region)) return null;
  const lines = region.split("\n");
  const cellsOf = (l: string) => l.split("\t").map(compact).filter((c) => c !== "");
  const data = new Map<number, string[]>();
  let firstData = -1;
  let lastData = -1;
  lines.forEach((l, i) => {
    if (!l.includes("\t")) return;
    const cells = l.split("\t").map((c) => c.trim()).filter((c) => c !== "");
    const column = applicantColumn(compact(cells[0] ?? ""));
    if (column === undefined || cells.length < 3 || !cells.slice(1).every(isValue) || data.has(column)) return;
    data.set(column, cells.slice(1));
    if (firstData < 0) firstData = i;
    lastData = i;
  });
  const n = data.get(0)?.length ?? 0;
  if (data.size !== APPLICANT_COLUMNS.length || [...data.values()].some((v) => v.length !== n)) return null;
  const heads = lines.slice(0, firstData).map(cellsOf).filter((cs) => cs.length > 1).map((cs) => cs.filter((c) => !HEADER_WORDS.test(c)));
  const [top = [], subs = []] = heads;
  const labels: string[] = [];
  let k = 0;
  for (const [i, t] of top.entries()) {
    // A group printed twice, as one row and then over its sub-rows: the first is the one row.
    if (GROUP.test(t) && top[i + 1] !== t && k < subs.length && FIRST_SUB_ROW.test(subs[k])) {
      do labels.push(`${t}${subs[k++]}`);
      while (k < subs.length && !FIRST_SUB_ROW.test(subs[k]));
    } else labels.push(t);
  }
  if (labels.length !== n || k !== subs.length) {
    return { text: region, warnings: [`B表像是行列互换印刷（每行一类申请人），但表头 ${labels.length} 项与每行 ${n} 个数对不上，未按互换读取`] };
  }
  const rows = labels.map((l, i) => [l, ...APPLICANT_COLUMNS.map((_, c) => data.get(c)![i])].join("\t"));
  return { text: [...lines.slice(0, firstData).filter((l) => !l.includes("\t")), ...rows, ...lines.slice(lastData + 1)].join("\n"), warnings: ["B表行列互换印刷（每行一类申请人），已按表头转回每项一行"] };
}

/** A header cell naming a column of subtotals, which the template does not have. */
const SUBTOTAL = /^(?:小计|合计)$/;
/** Where the 小计 of the five kinds of 法人或其他组织 stands: after them, before 总计. */
const SUBTOTAL_AT = APPLICANT_COLUMNS.indexOf("total");

/**
 * The region with a 小计 column taken out of its rows, or null when its header names none. A row
 * whose eighth number is not the sum of the five kinds is left unread (the column is then not
 * what the header seems to say).
 */
export function dropSubtotalColumn(region: string): { text: string; warnings: string[] } | null {
  if (!region.includes("小计") && !region.includes("合计")) return null;
  const lines = region.split("\n").map(readLine);
  const firstRow = lines.findIndex((l) => l.values.length > 0 && l.label !== "");
  if (firstRow < 0 || !lines.slice(0, firstRow).some((l) => l.text.split(/[\t|]+| +/).some((w) => SUBTOTAL.test(compact(w))))) return null;
  const width = APPLICANT_COLUMNS.length + 1;
  const warnings = ["B表多印了一列「小计」（法人或其他组织合计），读取时已去掉"];
  const text = lines.map((l, i) => {
    if (i < firstRow || l.values.length !== width) return l.text;
    const v = l.values.map((x) => (isValueText(x) && x !== BLANK_CELL ? Number(x) : Number.NaN));
    const kinds = v.slice(1, SUBTOTAL_AT);
    if (kinds.reduce((a, b) => a + b, 0) !== v[SUBTOTAL_AT]) {
      warnings.push(`B表「${l.label}」的「小计」不是五类法人或其他组织之和，这一行未读取`);
      return l.label;
    }
    return [l.label, ...l.values.filter((_, k) => k !== SUBTOTAL_AT)].join("\t");
  });
  return { text: text.join("\n"), warnings };
}

/** A line of the row's numbers alone (six to eight of them; PDF text sets them apart by spaces). */
const NUMBER_LINE = /^[ \t]*(?:[\d,.]+[ \t]+){5,7}[\d,.]+[ \t]*$/;
/** A line of label text alone: no number in it but an enumerator (「（三）不予公开1.」). */
const labelOnly = (line: string) => line.trim() !== "" && !/\d/.test(line.replace(/(?<!\d)\d+\s*[.、]|[(（]\d+[)）]/g, ""));

/**
 * PDF text of a table whose cells are centred vertically: a label wrapped over two lines has its
 * numbers on a line of their own above it (「3001 53 0 0 61 4 3119⏎一、本年新收政府⏎信息公开申请数量」),
 * where the row reader takes a label's numbers after it — each wrapped row would get the next
 * one's. When the text shows it (a line of numbers that follows no label) and every wrapped label
 * naming a row has a line of numbers right above it, each is moved below its label; when some
 * do and some do not, those lines of numbers are dropped (the rows unread), never attached to a
 * neighbour. Null when the region has no such line.
 */
export function numbersAboveLabels(region: string, namesRow: (label: string) => boolean): { text: string; warnings: string[] } | null {
  // Cheap test first: a line of numbers alone right before a line of label text.
  const lines = region.split("\n");
  let seen = false;
  for (let i = 0; i + 1 < lines.length && !seen; i++) if (NUMBER_LINE.test(lines[i]) && labelOnly(lines[i + 1])) seen = true;
  if (!seen) return null;
  // Lines as a sequence of: numbers, a label (consecutive label lines), or anything else.
  type Part = { kind: "numbers" | "label" | "other"; lines: string[]; names: boolean };
  const parts: Part[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    const kind = NUMBER_LINE.test(line) ? "numbers" : labelOnly(line) ? "label" : "other";
    const last = parts[parts.length - 1];
    if (kind === "label" && last?.kind === "label") last.lines.push(line);
    else parts.push({ kind, lines: [line], names: false });
  }
  for (const p of parts) if (p.kind === "label") p.names = namesRow(compact(p.lines.join("")));
  const isRowLabel = (p: Part | undefined) => p?.kind === "label" && p.names;
  // The convention shows where numbers follow no label of a row and precede one.
  const above = parts.some((p, i) => p.kind === "numbers" && !isRowLabel(parts[i - 1]) && isRowLabel(parts[i + 1]));
  if (!above) return null;
  // (A label last in the region is the next part's heading, 「四、政府信息公开」, not a row.)
  const consistent = parts.every((p, i) => (p.kind !== "numbers" || isRowLabel(parts[i + 1])) && (!isRowLabel(p) || parts[i - 1]?.kind === "numbers" || i === parts.length - 1));
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.kind === "numbers" && isRowLabel(parts[i + 1])) {
      if (consistent) out.push(...parts[i + 1].lines, ...p.lines);
      else out.push(...parts[i + 1].lines);
      i++;
    } else out.push(...p.lines);
  }
  return {
    text: out.join("\n"),
    warnings: [
      consistent
        ? "B表换行的长标签，数字印在标签上方（PDF 中单元格垂直居中），已按此对应"
        : "B表有的长标签换行后数字印在标签上方，有的不是，无法确定这些行的数字归属，这几行未读取",
    ],
  };
}
