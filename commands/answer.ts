/**
 * The transport-free answer object every command returns, and its plain-text rendering.
 * The Feishu layer renders the same object as a card; the console prints `text`.
 */
import type { Organ } from "../index/store.ts";
import { cellLabel, type Report, rowKey, ruleName, TABLE_NAMES, tableOf } from "../parser/index.ts";
import type { Invocation } from "./command.ts";
import type { FigureValue } from "./figures.ts";

export interface Source {
  /** Organ and year of the report the number comes from. */
  organ: string;
  year: number;
  file: string;
  table: string;
  row: string;
  column: string;
  printed?: string;
}

export interface NumberAnswer {
  organ: string;
  organShort: string;
  region: string | null;
  year: number;
  metric: string;
  metricKey: string;
  value: number;
  unit: string;
  cells: string[];
  definition?: string;
  provenance: Source[];
  /** The report's own failed checks and warnings that touch these cells. */
  issues: string[];
}

export type Cell = string | number | null;

export interface AnswerTable {
  columns: string[];
  rows: Cell[][];
}

export type AnswerKind =
  | "number"
  | "report"
  | "trend"
  | "ranking"
  | "total"
  | "compare"
  | "checks"
  | "search"
  | "unpublished"
  | "reminders"
  | "help"
  /** A workbook to send (the transport builds and delivers the file). */
  | "export"
  /** The question could mean several things: the user picks one (no number is given). */
  | "choice"
  | "error";

/** A button under the answer: a command with structured arguments. */
export interface Action extends Invocation {
  label: string;
  primary?: boolean;
}

/**
 * How the answer should look: `ok` (blue), `warn` when a report's own checks or an assumption
 * touch what is shown (orange, and a line on the card says why), `error` when nothing could be answered.
 */
export type Tone = "ok" | "warn" | "error";

/** A file the answer comes with: built and delivered by the transport (a file message, or a file on disk). */
export interface Attachment {
  kind: "workbook";
  year: number;
  /** Areas or organs named; empty: every organ. */
  areas: string[];
}

export interface Answer {
  kind: AnswerKind;
  command: string;
  title: string;
  answers: NumberAnswer[];
  table?: AnswerTable;
  /** Extra lines: checks, search snippets, notes on definitions. */
  lines: string[];
  suggestions: string[];
  actions: Action[];
  tone: Tone;
  attachment?: Attachment;
  text: string;
}

export function sourceOf(r: Report, organ: string, cell: string): Source {
  const p = r.provenance?.[rowKey(cell)];
  const file = r.file.slice(Math.max(r.file.lastIndexOf("/"), r.file.lastIndexOf("\\")) + 1);
  return {
    organ,
    year: r.year!,
    file,
    table: TABLE_NAMES[tableOf(cell)],
    row: p?.row ?? cellLabel(cell, r.template).replace(/（[^（]*）$/, ""),
    column: columnName(cell),
    printed: p?.printed,
  };
}

/** A cell's column as a source line names it, made once per cell id (there are a few hundred). */
function columnName(cell: string): string {
  let name = columnNames.get(cell);
  if (name === undefined) columnNames.set(cell, (name = cellLabel(cell).replace(/^.*（(.*)）$/, "$1")));
  return name;
}
const columnNames = new Map<string, string>();

/** Failed checks, derivations and warnings of a report that concern the given cells. */
export function issuesFor(r: Report, cells: string[]): string[] {
  const set = new Set(cells);
  const out: string[] = [];
  for (const c of r.checks) {
    if (c.ok) continue;
    for (const f of c.failures) if (f.cells.some((x) => set.has(x))) out.push(`年报自身校验未通过（${ruleName(c.id)}）：${f.message}`);
  }
  for (const cell of cells) {
    if (r.derived.includes(cell)) out.push(`${cellLabel(cell, r.template)} 原文空白，由勾稽关系推出`);
  }
  for (const w of r.warnings) if (cells.some((c) => w.includes(c))) out.push(w);
  return [...new Set(out)];
}

/** One short line of a report's failed checks touching the cells (for a table column), or "". */
export function issueSummary(r: Report, cells: string[]): string {
  const set = new Set(cells);
  const out: string[] = [];
  for (const c of r.checks) {
    if (c.ok) continue;
    for (const f of c.failures) {
      if (!f.cells.some((x) => set.has(x))) continue;
      out.push(c.id === "narrative" ? `表格 ${f.printed}，正文称 ${f.expected} 件` : `${ruleName(c.id)}：应为 ${f.expected ?? "?"}，实为 ${f.printed ?? "?"}`);
    }
  }
  if (cells.some((c) => r.derived.includes(c))) out.push("原文空白，由勾稽关系推出");
  return [...new Set(out)].join("；");
}

export function numberAnswer(r: Report, organ: Organ, displayName: string, metric: { key: string; label: string }, v: FigureValue): NumberAnswer {
  return {
    organ: r.organ ?? organ.name,
    organShort: organ.short,
    region: organ.region,
    year: r.year!,
    metric: metric.label,
    metricKey: metric.key,
    value: v.value!,
    unit: v.unit,
    cells: v.cells,
    definition: v.definition,
    provenance: v.cells.map((c) => sourceOf(r, displayName, c)),
    issues: issuesFor(r, v.cells),
  };
}

export function fmt(n: number | null | undefined, unit = ""): string {
  if (n === null || n === undefined) return "—";
  const v = Number.isInteger(n) ? String(n) : n.toLocaleString("zh-CN", { maximumFractionDigits: 6, useGrouping: false });
  if (!unit || unit === "件") return `${v}${unit}`;
  return unit === "%" ? `${v}%` : `${v} ${unit}`;
}

function tableText(t: AnswerTable): string[] {
  return [t.columns.join(" | "), ...t.rows.map((r) => r.map((c) => (c === null ? "—" : String(c))).join(" | "))];
}

/** Plain text for the console and for logs. */
export function renderText(a: Omit<Answer, "text">): string {
  const out: string[] = [a.title];
  if (a.kind === "number") {
    for (const n of a.answers) {
      out.push(`${n.organ} ${n.year} 年 ${n.metric}：${fmt(n.value, n.unit)}`);
      if (n.definition) out.push(`  口径：${n.definition}`);
      for (const s of n.provenance) out.push(`  来源：${s.organ} ${s.year} 年报 · ${s.table} · ${s.row} · ${s.column}${s.printed ? ` · 原文「${s.printed}」` : ""}`);
      for (const i of n.issues) out.push(`  ⚠ ${i}`);
    }
  }
  if (a.table) out.push(...tableText(a.table));
  out.push(...a.lines);
  if (a.suggestions.length) out.push(...a.suggestions.map((s) => `👉 ${s}`));
  if (a.kind === "choice") out.push(...a.actions.map((x) => `👉 ${x.label}`));
  else if (a.actions.length) out.push(`可以接着问：${a.actions.map((x) => x.label).join(" / ")}`);
  return out.filter((l) => l !== "").join("\n");
}

type AnswerInput = Omit<Answer, "text" | "lines" | "suggestions" | "answers" | "actions" | "tone"> &
  Partial<Pick<Answer, "lines" | "suggestions" | "answers" | "actions" | "tone">>;

export function makeAnswer(a: AnswerInput): Answer {
  const full = { answers: [], lines: [], suggestions: [], actions: [], tone: "ok" as Tone, ...a } as Answer;
  full.text = renderText(full);
  return full;
}

export function errorAnswer(command: string, title: string, suggestions: string[] = [], lines: string[] = [], actions: Action[] = []): Answer {
  return makeAnswer({ kind: "error", command, title, suggestions, lines, actions, tone: "error" });
}

/** Several things the question could mean: each is a button; no number is given. */
export function choiceAnswer(command: string, title: string, actions: Action[], lines: string[] = []): Answer {
  return makeAnswer({
    kind: "choice",
    command,
    title,
    actions,
    lines,
    tone: "warn",
  });
}
