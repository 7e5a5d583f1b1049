/**
 * A figure people ask about: one printed cell, a stated sum of cells, or a rate over them.
 * Figures are structured (table, row/item/group, column) so a button can carry one and a
 * question can be read into one; the key is a stable string for both.
 */
import { activeCell, APPLICANT_COLUMN_LABELS, APPLICANT_COLUMNS, applicationCell, cellParts, COLUMN_LABELS, type Report, REVIEW_GROUP_LABELS, REVIEW_KEY_LABELS, REVIEW_KEYS, reviewCell, type TemplateId, TEMPLATES } from "../parser/index.ts";

/** Table B groups whose total is the sum of their sub-rows (no subtotal row is printed). */
export const B_GROUPS: Record<string, string> = {
  denied: "不予公开",
  unable: "无法提供",
  not_processed: "不予处理",
  other_handling: "其他处理",
};

/** The five columns under 法人或其他组织. */
export const ORG_COLUMNS = APPLICANT_COLUMNS.filter((c) => c !== "natural_person" && c !== "total");

export type ReviewKey = (typeof REVIEW_KEYS)[number];
export type CGroup = "review" | "litigation.direct" | "litigation.after_review" | "litigation";

export type Figure =
  | { kind: "B"; row: string; column: string }
  | { kind: "C"; group: CGroup; result: ReviewKey }
  | { kind: "A"; item: string; column: string }
  /** (予以公开 + 部分公开) ÷ 办理结果总计. */
  | { kind: "openRate" }
  /** part ÷ whole, as a percentage. */
  | { kind: "share"; part: Figure; whole: Figure }
  /** Several figures of one report added up. */
  | { kind: "sum"; parts: Figure[] };

/** Shorter names for the long labels of table B's first and last rows (each reads back to its row). */
const B_SHORT: Record<string, string> = {
  new: "本年新收申请",
  carried_over: "上年结转申请",
  total: "办理结果总计",
  carried_forward: "结转下年度继续办理",
};

const bLabel = (t: TemplateId, row: string): string => {
  if (B_GROUPS[row]) return B_GROUPS[row];
  if (B_SHORT[row]) return B_SHORT[row];
  const def = TEMPLATES[t].tableB.find((d) => d.id === row) ?? TEMPLATES["2019"].tableB.find((d) => d.id === row);
  return shortRowLabel(def?.label ?? row);
};

/** 「（三）不予公开 4.保护第三方合法权益」 → 「不予公开：保护第三方合法权益」; 「一、本年新收…数量」 → 「本年新收…数量」. */
function shortRowLabel(label: string): string {
  const m = /^(?:[一二三四]、)?(?:本年度办理结果)?\s*（[一二三四五六七]）([^ ]+)\s+\d\.(.+)$/.exec(label);
  if (m) return `${m[1]}：${m[2]}`;
  return label.replace(/^[一二三四]、/, "").replace(/^本年度办理结果/, "").replace(/^（[一二三四五六七]）/, "").replace(/（.*）$/, "");
}

export const ORG_COLUMN_LABEL = "法人或其他组织";

/** The 其他 column under 法人或其他组织 is shown as 其他组织: a bare 其他 would not say which. */
function columnLabel(column: string): string {
  if (column === "org") return ORG_COLUMN_LABEL;
  if (column === "other_org") return "其他组织";
  return APPLICANT_COLUMN_LABELS[column] ?? column;
}

const C_GROUP_LABEL: Record<CGroup, string> = {
  review: REVIEW_GROUP_LABELS.review,
  "litigation.direct": "未经复议直接起诉",
  "litigation.after_review": "复议后起诉",
  litigation: "行政诉讼",
};

const A_ITEM_LABEL = (t: TemplateId, item: string) =>
  (TEMPLATES[t].tableA.find((d) => d.id === item) ?? TEMPLATES["2019"].tableA.find((d) => d.id === item) ?? TEMPLATES["2021"].tableA.find((d) => d.id === item))?.label ?? item;

/** The figure's name as the bot shows it; it reads back to the same figure (test/commands.test.ts). */
export function figureLabel(f: Figure, t: TemplateId = "2021"): string {
  switch (f.kind) {
    case "B": {
      const row = bLabel(t, f.row);
      return f.column === "total" ? row : `${row}（${columnLabel(f.column)}）`;
    }
    case "C":
      return f.result === "total" ? `${C_GROUP_LABEL[f.group]}总计` : `${C_GROUP_LABEL[f.group]}${REVIEW_KEY_LABELS[f.result]}`;
    case "A":
      return `${A_ITEM_LABEL(t, f.item)}${aColumnLabel(f.item, f.column)}`;
    case "openRate":
      return "公开率";
    case "share":
      return shareLabel(f, t);
    case "sum":
      return `${f.parts.map((p) => figureLabel(p, t)).join("和")}合计`;
  }
}

function aColumnLabel(item: string, column: string): string {
  if (item === "fees" && column === "amount") return "本年收费金额";
  // Table A's 2019 total column, not the applicants' 总计.
  if (column === "total") return "对外公开总数量";
  if (item === "procurement" && column === "amount") return "采购总金额";
  if (column === "decisions") return "处理决定数量";
  return COLUMN_LABELS[column] ?? column;
}

function shareLabel(f: Extract<Figure, { kind: "share" }>, t: TemplateId): string {
  const { part, whole } = f;
  if (part.kind === "B" && whole.kind === "B" && part.row === whole.row && whole.column === "total") {
    return `${columnLabel(part.column)}${part.row === "new" ? "申请" : bLabel(t, part.row)}占比`;
  }
  if (part.kind === "C" && whole.kind === "C" && part.result === "corrected" && part.group === whole.group) {
    return whole.group === "review" ? "复议纠错率" : whole.group === "litigation" ? "行政诉讼败诉率" : `${C_GROUP_LABEL[whole.group]}纠错率`;
  }
  if (part.kind === "C" && whole.kind === "C" && part.result === "upheld" && part.group === "litigation") return "行政诉讼胜诉率";
  if (part.kind === "B" && whole.kind === "B" && whole.row === "total") return `${bLabel(t, part.row)}占办理结果比例`;
  return `${figureLabel(part, t)}占${figureLabel(whole, t)}比例`;
}

// ---------------------------------------------------------------- keys

/** A stable text key: `B:new:total`, `C:review:upheld`, `A:rules:issued`, `rate:open`, `share(B:new:natural_person/B:new:total)`, `sum(C:review:total+C:litigation:total)`. */
export function figureKey(f: Figure): string {
  switch (f.kind) {
    case "B":
      return `B:${f.row}:${f.column}`;
    case "C":
      return `C:${f.group}:${f.result}`;
    case "A":
      return `A:${f.item}:${f.column}`;
    case "openRate":
      return "rate:open";
    case "share":
      return `share(${figureKey(f.part)}/${figureKey(f.whole)})`;
    case "sum":
      return `sum(${f.parts.map(figureKey).join("+")})`;
  }
}

/** Back from a key (from a button); null for anything that is not a figure this module makes. */
export function figureFromKey(key: string): Figure | null {
  const share = /^share\((.+)\/(.+)\)$/.exec(key);
  if (share) {
    const part = figureFromKey(share[1]);
    const whole = figureFromKey(share[2]);
    return part && whole ? { kind: "share", part, whole } : null;
  }
  const sum = /^sum\((.+)\)$/.exec(key);
  if (sum) {
    const parts = sum[1].split("+").map(figureFromKey);
    return parts.every(Boolean) && parts.length >= 2 ? { kind: "sum", parts: parts as Figure[] } : null;
  }
  if (key === "rate:open") return { kind: "openRate" };
  const [table, a, b, ...rest] = key.split(":");
  if (rest.length || !a || !b) return null;
  if (table === "B" && (isBRow(a) || B_GROUPS[a]) && (b === "org" || (APPLICANT_COLUMNS as readonly string[]).includes(b))) return { kind: "B", row: a, column: b };
  if (table === "C" && a in C_GROUP_LABEL && (REVIEW_KEYS as readonly string[]).includes(b)) return { kind: "C", group: a as CGroup, result: b as ReviewKey };
  if (table === "A" && aColumns(a).includes(b)) return { kind: "A", item: a, column: b };
  return null;
}

const isBRow = (row: string) => TEMPLATES["2019"].tableB.some((d) => d.id === row) || TEMPLATES["2021"].tableB.some((d) => d.id === row);

/** Columns table A has for an item, in either template. */
export function aColumns(item: string): string[] {
  return [
    ...new Set(
      (["2019", "2021"] as const).flatMap((t) => TEMPLATES[t].tableA.find((d) => d.id === item)?.columns ?? []),
    ),
  ];
}

// ---------------------------------------------------------------- values

export interface FigureValue {
  value: number | null;
  cells: string[];
  unit: string;
  /** How the figure is made, when it is not a single printed cell. */
  definition?: string;
  /** Why there is no value. */
  missing?: string;
}

/** Cells of a figure in a template, or why the template has no such figure. */
export function figureCells(f: Figure, t: TemplateId, r?: Report): { cells: string[] } | { absent: string } {
  switch (f.kind) {
    case "B": {
      const rows = bRows(f.row, t, r);
      if (!rows) return { absent: `${t === "2019" ? "2019版" : "2021版"}表格没有「${bLabel(t, f.row)}」这一行` };
      const columns = f.column === "org" ? ORG_COLUMNS : [f.column];
      return { cells: rows.flatMap((row) => columns.map((c) => applicationCell(row, c))) };
    }
    case "C":
      return {
        cells: f.group === "litigation" ? [reviewCell("litigation.direct", f.result), reviewCell("litigation.after_review", f.result)] : [reviewCell(f.group, f.result)],
      };
    case "A": {
      const def = TEMPLATES[t].tableA.find((d) => d.id === f.item);
      if (!def || !def.columns.includes(f.column)) {
        return { absent: `${t === "2019" ? "2019版（国办公开办函〔2019〕60号）" : "2021版（国办公开办函〔2021〕30号）"}表格没有「${figureLabel(f, otherTemplate(t))}」这一项` };
      }
      return { cells: [activeCell(f.item, f.column)] };
    }
    case "openRate":
      return { cells: ["granted", "partial", "total"].map((row) => applicationCell(row, "total")) };
    case "share":
    case "sum": {
      const parts = f.kind === "share" ? [f.part, f.whole] : f.parts;
      const out: string[] = [];
      for (const p of parts) {
        const c = figureCells(p, t, r);
        if ("absent" in c) return c;
        out.push(...c.cells);
      }
      return { cells: [...new Set(out)] };
    }
  }
}

const otherTemplate = (t: TemplateId): TemplateId => (t === "2019" ? "2021" : "2019");

/**
 * Rows of table B a row selection covers in a template. （六）其他处理 is one row in 2019 and
 * three in 2021; a 2021 report that printed the one row is read by that row.
 */
function bRows(row: string, t: TemplateId, r?: Report): string[] | null {
  const defs = TEMPLATES[t].tableB;
  if (row === "other_handling") {
    if (t === "2019") return ["other_handling"];
    const subs = defs.filter((d) => d.group === "other_handling" && (d.index ?? 0) > 0).map((d) => d.id);
    if (r && !subs.some((s) => applicationCell(s, "total") in r.cells) && applicationCell("other_handling", "total") in r.cells) return ["other_handling"];
    return subs;
  }
  if (B_GROUPS[row]) return defs.filter((d) => d.id.startsWith(`${row}.`)).map((d) => d.id);
  if (row === "other_handling" || !defs.some((d) => d.id === row)) return null;
  return [row];
}

function unitOf(f: Figure, r: Report, cells: string[]): string {
  if (f.kind === "openRate" || f.kind === "share") return "%";
  if (f.kind === "A" && f.column === "amount") return r.units[cells[0]] ?? (f.item === "fees" ? "万元" : "");
  if (f.kind === "A" && f.column === "change") return "项";
  if (f.kind === "A" && (f.column === "prev_items" || f.column === "count")) return "项";
  return "件";
}

function definitionOf(f: Figure, t: TemplateId, r?: Report): string | undefined {
  switch (f.kind) {
    case "B": {
      const parts: string[] = [];
      const rows = bRows(f.row, t, r) ?? [];
      if (rows.length > 1) parts.push(`${bLabel(t, f.row)} = ${rows.map((x) => bLabel(t, x).replace(/^.*：/, "")).join(" + ")}`);
      if (f.column === "org") parts.push(`${ORG_COLUMN_LABEL} = ${ORG_COLUMNS.map((c) => APPLICANT_COLUMN_LABELS[c]).join(" + ")}（表中无此合计列）`);
      return parts.length ? parts.join("；") : undefined;
    }
    case "C":
      return f.group === "litigation" ? `行政诉讼${f.result === "total" ? "" : REVIEW_KEY_LABELS[f.result]} = 未经复议直接起诉 + 复议后起诉` : undefined;
    case "openRate":
      return "公开率 =（予以公开 + 部分公开）÷ 办理结果总计，保留一位小数，非官方指标";
    case "share":
      return `${figureLabel(f, t)} = ${figureLabel(f.part, t)} ÷ ${figureLabel(f.whole, t)}，保留一位小数`;
    case "sum":
      return `${figureLabel(f, t)} = ${f.parts.map((p) => figureLabel(p, t)).join(" + ")}`;
    default:
      return undefined;
  }
}

/** Round half up to one decimal, as percentages are shown. */
export const percent = (part: number, whole: number) => Math.round((part / whole) * 1000 + 1e-9) / 10;

function sumOf(r: Report, cells: string[]): { value: number | null; missing?: string } {
  const vs = cells.map((c) => r.cells[c]);
  if (vs.some((v) => v === undefined)) return { value: null, missing: "年报中没有找到这一项（表格缺行或被截断）" };
  if (vs.some((v) => v === null)) return { value: null, missing: "原文这一格无法确定（占位符或多种读法）" };
  return { value: Math.round((vs as number[]).reduce((a, b) => a + b, 0) * 1e6) / 1e6 };
}

/** The figure's value in one report, or why it has none. */
export function figureValue(r: Report, f: Figure): FigureValue {
  const t = r.template;
  const c = figureCells(f, t, r);
  if ("absent" in c) return { value: null, cells: [], unit: "", missing: c.absent };
  const definition = definitionOf(f, t, r);
  const unit = unitOf(f, r, c.cells);
  if (f.kind === "openRate" || f.kind === "share") {
    const [part, whole] =
      f.kind === "openRate"
        ? [sumOf(r, [applicationCell("granted", "total"), applicationCell("partial", "total")]), sumOf(r, [applicationCell("total", "total")])]
        : [figureValue(r, f.part), figureValue(r, f.whole)];
    if (part.value === null || whole.value === null) return { value: null, cells: c.cells, unit, definition, missing: part.missing ?? whole.missing };
    if (whole.value === 0) return { value: null, cells: c.cells, unit, definition, missing: "分母为 0，比例没有意义" };
    return { value: percent(part.value, whole.value), cells: c.cells, unit, definition };
  }
  const s = sumOf(r, c.cells);
  return { value: s.value, cells: c.cells, unit, definition, missing: s.missing };
}

/** Whether adding the figure across reports means something (a rate does not). */
export const summable = (f: Figure) => f.kind !== "openRate" && f.kind !== "share";

/** The figure of one table cell (every cell id of a template is one: what the vocabulary test walks). */
export function cellFigure(cellId: string): Figure {
  const { table, row, column } = cellParts(cellId);
  if (table === "B") return { kind: "B", row, column };
  if (table === "A") return { kind: "A", item: row, column };
  return { kind: "C", group: row as CGroup, result: column as ReviewKey };
}

/** The handful of numbers people look at first in a report (/报告, the upload check). */
export const KEY_FIGURES: Figure[] = [
  { kind: "B", row: "new", column: "total" },
  { kind: "B", row: "carried_over", column: "total" },
  { kind: "B", row: "granted", column: "total" },
  { kind: "B", row: "total", column: "total" },
  { kind: "B", row: "carried_forward", column: "total" },
  { kind: "C", group: "review", result: "total" },
  { kind: "C", group: "litigation.direct", result: "total" },
  { kind: "C", group: "litigation.after_review", result: "total" },
];

/** The key figures of a report, each with its name and value (null: not read). */
export function keyFigures(r: Report): { label: string; value: number | null }[] {
  return KEY_FIGURES.map((f) => ({ label: figureLabel(f, r.template), value: figureValue(r, f).value }));
}
