/**
 * The year's figures of an area as a workbook model (issue 14): sheets 汇总, 依申请, 主动公开,
 * 复议诉讼, 校验, 未发布, each a list of columns (two header levels) and rows of cells that say
 * why a number is missing and which check it fails. Pure: reports in, model out; the xlsx
 * writer (export/xlsx.ts) only lays it out. Rows are produced lazily, so a large area streams.
 *
 * Every cell id and label comes from parser/template.ts; nothing here spells a table label.
 */
import { inArea } from "../index/organs.ts";
import { activeCell, APPLICANT_COLUMN_LABELS, APPLICANT_COLUMNS, applicationCell, cellLabel, type Check, COLUMN_LABELS, expectedRows, type Failure, LEVEL_LABELS, type OrganLevel, organLevel, type Report, REVIEW_GROUP_LABELS, REVIEW_GROUPS, REVIEW_KEY_LABELS, REVIEW_KEYS, type RowDef, ruleName, SECTION_TITLES, splitOrganName, TABLE_C_CELLS, type TemplateId, TEMPLATES } from "../parser/index.ts";

// ---------------------------------------------------------------------------------------------
// Input: what the exporter needs to know, kept small so any organ index can provide it.

/** A failure as the parser reports it; checks added later may carry a severity. */
export type ExportFailure = Failure & { severity?: string };

/** Any check id (known ones are named by parser/review ruleName); a failed check without a severity counts as 错误. */
export type ExportCheck = Omit<Check, "id" | "failures" | "severity"> & { id: string; failures: ExportFailure[]; severity?: string };

/** The parts of a parsed report the workbook shows (a parser Report is one). */
export type ExportReport = Pick<Report, "template" | "published" | "cells" | "units" | "derived"> & {
  organ?: string | null;
  checks: ExportCheck[];
};

export interface ExportOrgan {
  /** Full name, e.g. 宁海县西店镇人民政府 (this year's report's name when it has one). */
  name: string;
  region: string | null;
  /**
   * The area asked for that holds the organ when neither its region nor its name says so
   * (西店镇 is in 宁海县 by the division list): the workbook it is split into.
   */
  area?: string;
  /** This year's report; null when the organ has none this year. */
  report: ExportReport | null;
  /** Whether the organ has last year's report: one without this year's is listed in 未发布. */
  hasPreviousReport: boolean;
}

export interface ExportInput {
  year: number;
  /** The areas or organs asked for (file name and title); empty: every organ. */
  areas: string[];
  organs: ExportOrgan[];
}

/** An organ as an index holds it: its name, region and reports by year (today's index/store.ts Organ is one). */
export interface OrganWithReports {
  name: string;
  region: string | null;
  /** Places the organ sits in (index/organs.ts), for matching an area by any of them. */
  places?: string[];
  reports: ReadonlyMap<number, ExportReport>;
}

/** Whether an organ belongs to an area or is the organ typed: 「宁海县」 matches its townships and departments. */
export { inArea };

/**
 * The export input for a year from an organ index: organs with this year's report or last
 * year's, limited to the areas given (none: all).
 */
export function exportInput(organs: Iterable<OrganWithReports>, year: number, areas: string[] = []): ExportInput {
  const out: ExportOrgan[] = [];
  for (const o of organs) {
    const area = areas.find((a) => inArea(o, a));
    if (areas.length && !area) continue;
    const report = o.reports.get(year) ?? null;
    const hasPreviousReport = o.reports.has(year - 1);
    if (!report && !hasPreviousReport) continue;
    out.push({ name: report?.organ ?? o.name, region: o.region, ...(area && { area }), report, hasPreviousReport });
  }
  return { year, areas, organs: out };
}

// ---------------------------------------------------------------------------------------------
// Output: the workbook model.

export type CellKind = "text" | "count" | "amount" | "date";

export interface Column {
  /** Upper header, merged over consecutive columns with the same group; none: the label spans both header rows. */
  group?: string;
  label: string;
  kind: CellKind;
  /** Width in Excel character units (a Chinese character is two). */
  width: number;
  /** The total row sums this column. */
  total?: boolean;
}

/**
 * failed: breaks a check (highlighted, the note says which); absent: the report's format has no
 * such cell (shaded grey, no note). An empty cell with a note (not printed, undetermined) is
 * shaded too, so the reader sees the gap before opening the note.
 */
export type CellMark = "failed" | "absent";

export interface Cell {
  value: string | number | null;
  /** Why a value is missing, where it came from, or which check it fails: shown as a cell comment. */
  note?: string;
  mark?: CellMark;
}

export interface Block {
  /** A line above the header, when a sheet has more than one block (主动公开 with both formats). */
  caption?: string;
  columns: Column[];
  /** Data rows, produced on demand so a large area streams. */
  rows: () => Iterable<Cell[]>;
  /** Whether a total row follows (over the columns with `total`). */
  total: boolean;
}

export const SHEET_NAMES = ["汇总", "依申请", "主动公开", "复议诉讼", "校验", "未发布"] as const;
export type SheetName = (typeof SHEET_NAMES)[number];

export interface SheetModel {
  name: SheetName;
  blocks: Block[];
  /** Leading columns kept in view when scrolling right (the organ's name). */
  freezeColumns: number;
}

export interface WorkbookModel {
  fileName: string;
  sheets: SheetModel[];
  /** Organs with this year's report, and organs listed in 未发布. */
  counts: { reports: number; unpublished: number };
}

// ---------------------------------------------------------------------------------------------
// Notes and labels shown to the reader.

export const NOTES = {
  notPrinted: "原文未印此项",
  undetermined: "原文此处的数字无法确定（无法读取，或数字粘连有多种读法），留空",
  derived: "原文空白，由勾稽关系推出",
} as const;

export const TOTAL_LABEL = "合计";

/** The total row's note when some organs lack the number: the sum is of the others. */
export function totalNote(missing: number): string {
  return `${missing} 个单位缺少此项，合计不含这些单位`;
}

const ERROR = "错误";
const REMINDER = "提醒";

/** 错误 or 提醒 for a failed check (a check without a severity is one of the table's own rules: 错误). */
export function severityLabel(severity: string | undefined): string {
  if (severity === undefined || severity === "" || /^(error|错误)$/i.test(severity)) return ERROR;
  if (/^(warn(ing)?|notice|info|提醒|提示)$/i.test(severity)) return REMINDER;
  return severity;
}

export const templateLabel = (t: TemplateId) => `${t}版`;

/** 「2025年 宁海县 政府信息公开年报汇总.xlsx」; characters a file name cannot hold become _. */
export function exportFileName(year: number, areas: string[], part?: number): string {
  const area = areas.map((a) => a.trim()).filter(Boolean).join("、");
  const name = `${year}年 ${area ? `${area} ` : ""}政府信息公开年报汇总${part ? `（第${part}部分）` : ""}.xlsx`;
  return name.replace(/[\\/:*?"<>|\x00-\x1f]/g, "_");
}

/** Display width in Excel character units: a Chinese (full-width) character counts two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\uFFEF]/u.test(ch) ? 2 : 1;
  return w;
}

const MIN_NUMBER_WIDTH = 8;
const MAX_LABEL_WIDTH = 18;

/** A column wide enough for its label (long labels wrap at MAX_LABEL_WIDTH) and its values. */
function column(label: string, kind: CellKind, opts: { group?: string; total?: boolean; valueWidth?: number } = {}): Column {
  const labelWidth = Math.min(displayWidth(label) + 2, MAX_LABEL_WIDTH);
  const floor = kind === "date" ? 12 : kind === "text" ? 8 : MIN_NUMBER_WIDTH;
  const width = Math.max(floor, labelWidth, Math.min(opts.valueWidth ?? 0, 60) + 2);
  return { label, kind, width, ...(opts.group ? { group: opts.group } : {}), ...(opts.total ? { total: true } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Cells of one report.

/** Cells a report of this format prints: table A's, table B's rows in the form it used for （六）, table C's. */
const expectedCache = new Map<string, Set<string>>();
function expectedCells(r: ExportReport): Set<string> {
  const present = (rowId: string) => APPLICANT_COLUMNS.some((c) => applicationCell(rowId, c) in r.cells);
  const t = TEMPLATES[r.template];
  const rows = expectedRows(t, present);
  const key = `${r.template}:${rows.map((d) => d.id).join(",")}`;
  let set = expectedCache.get(key);
  if (!set) {
    set = new Set([
      ...t.tableA.flatMap((d) => d.columns.map((c) => activeCell(d.id, c))),
      ...rows.flatMap((d) => APPLICANT_COLUMNS.map((c) => applicationCell(d.id, c))),
      ...TABLE_C_CELLS,
    ]);
    expectedCache.set(key, set);
  }
  return set;
}

interface Finding {
  organ: ExportOrgan;
  check: ExportCheck;
  failure: ExportFailure | null;
  severity: string;
}

/** Every failure of a report's failed checks (a failed check without failures is one finding). */
function findings(o: ExportOrgan): Finding[] {
  const out: Finding[] = [];
  for (const check of o.report?.checks ?? []) {
    if (check.ok) continue;
    if (check.failures.length === 0) out.push({ organ: o, check, failure: null, severity: severityLabel(check.severity) });
    for (const failure of check.failures) out.push({ organ: o, check, failure, severity: severityLabel(failure.severity ?? check.severity) });
  }
  return out;
}

/** A report's cells with what the reader needs: which fail a check (and why), which the format lacks. */
class ReportCells {
  private readonly expected: Set<string>;
  private readonly failed = new Map<string, string[]>();
  private readonly derived: Set<string>;
  private readonly values: Record<string, number | null>;
  /** Cells whose number needs a note: failed, derived, or with a unit. */
  private readonly qualified: Set<string>;

  constructor(readonly report: ExportReport) {
    this.expected = expectedCells(report);
    this.values = report.cells;
    this.derived = new Set(report.derived);
    for (const check of report.checks) {
      if (check.ok) continue;
      for (const f of check.failures) {
        const line = `${severityLabel(f.severity ?? check.severity)}·${ruleName(check.id)}：${f.message}`;
        for (const id of f.cells) {
          const list = this.failed.get(id) ?? [];
          if (!list.includes(line)) list.push(line);
          this.failed.set(id, list);
        }
      }
    }
    this.qualified = new Set([...this.failed.keys(), ...this.derived, ...Object.keys(report.units)]);
  }

  /** One cell id, or the sum of several (「（三）不予公开」 over its eight rows). */
  cell(ids: readonly string[]): Cell {
    if (ids.length === 1) {
      // The common case, kept cheap: a printed number that no check, unit or derivation qualifies.
      const id = ids[0];
      const v = this.values[id];
      if (typeof v === "number" && !this.qualified.has(id) && this.expected.has(id)) return { value: v };
      if (!this.expected.has(id)) return ABSENT;
    }
    const printed = ids.filter((id) => this.expected.has(id));
    if (printed.length === 0) return ABSENT;
    const notes: string[] = [];
    const failures = [...new Set(printed.flatMap((id) => this.failed.get(id) ?? []))];
    const missing = printed.filter((id) => typeof this.report.cells[id] !== "number");
    let value: number | null = null;
    if (missing.length === 0) value = printed.reduce((s, id) => s + (this.report.cells[id] as number), 0);
    else if (printed.length === 1) notes.push(missing[0] in this.report.cells ? NOTES.undetermined : NOTES.notPrinted);
    else {
      const labels = missing.slice(0, 3).map((id) => cellLabel(id, this.report.template));
      notes.push(`${missing.length} 项原文未印或无法确定（${labels.join("、")}${missing.length > 3 ? " 等" : ""}），不合计`);
    }
    if (value !== null && printed.some((id) => this.derived.has(id))) notes.push(NOTES.derived);
    const unit = printed.length === 1 ? this.report.units[printed[0]] : undefined;
    if (unit) notes.push(`原文单位：${unit}`);
    notes.push(...failures);
    return { value, ...(notes.length ? { note: notes.join("\n") } : {}), ...(failures.length ? { mark: "failed" as const } : {}) };
  }

}

const ABSENT: Cell = Object.freeze({ value: null, mark: "absent" as const });

/** A report's cells, made once per export and shared by its sheets. */
type CellsOf = (r: ExportReport) => ReportCells;
function cellsMemo(): CellsOf {
  const memo = new Map<ExportReport, ReportCells>();
  return (r) => {
    let cells = memo.get(r);
    if (!cells) memo.set(r, (cells = new ReportCells(r)));
    return cells;
  };
}

// ---------------------------------------------------------------------------------------------
// The sheets.

const LEVEL_ORDER: OrganLevel[] = ["province", "city", "county", "department", "township"];
const collator = new Intl.Collator("zh-CN");

interface Placed {
  organ: ExportOrgan;
  level: OrganLevel;
  /** The region the organ is split by when a workbook is too large: its region, else the outermost place of its name. */
  splitRegion: string;
}

const UNKNOWN_REGION = "未注明地区";

function place(o: ExportOrgan): Placed {
  const n = splitOrganName(o.name);
  return { organ: o, level: organLevel(n), splitRegion: o.region ?? (n.places.length > 1 ? n.places[0] : (o.area ?? UNKNOWN_REGION)) };
}

/** Region, then level (governments before departments before townships), then name. */
function ordered(organs: ExportOrgan[]): Placed[] {
  return organs
    .map(place)
    .sort(
      (a, b) =>
        collator.compare(a.splitRegion, b.splitRegion) ||
        LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) ||
        collator.compare(a.organ.name, b.organ.name),
    );
}

const text = (value: string | null | undefined): Cell => ({ value: value ?? null });
const count = (value: number | null): Cell => ({ value });

/** The widest of some texts (a loop, not Math.max(...spread): an area may have tens of thousands). */
function widest<T>(items: readonly T[], textOf: (x: T) => string): number {
  let w = 0;
  for (const x of items) w = Math.max(w, displayWidth(textOf(x)));
  return w;
}

/** The organ's identity, leading every per-organ sheet. */
function identityColumns(organs: Placed[]): Column[] {
  return [
    column("单位", "text", { valueWidth: widest(organs, (p) => p.organ.name) }),
    column("地区", "text", { valueWidth: widest(organs, (p) => p.organ.region ?? "") }),
  ];
}
const identity = (p: Placed): Cell[] => [text(p.organ.name), text(p.organ.region)];

const B = (row: string, col = "total") => applicationCell(row, col);
const TABLE_B = TEMPLATES["2021"].tableB; // every row id of either format, in printed order
const rowDef = (id: string): RowDef => TABLE_B.find((d) => d.id === id)!;
/** 「（三）不予公开」 from 「（三）不予公开 1.属于国家秘密」: the group's own words, as the template prints them. */
const groupLabel = (group: string) => TABLE_B.find((d) => d.group === group)!.label.split(" ")[0];
const groupRows = (group: string) => TABLE_B.filter((d) => d.group === group).map((d) => B(d.id));

const [, ACTIVE_TITLE, APPLICATIONS_TITLE, REVIEW_TITLE] = SECTION_TITLES;

/** 汇总's figures: [column, cell ids summed]. */
function summaryFigures(): { column: Column; ids: string[] }[] {
  const apps = (label: string, ids: string[]) => ({ column: column(label, "count", { group: APPLICATIONS_TITLE, total: true }), ids });
  const one = (id: string) => apps(rowDef(id).label, [B(id)]);
  const group = (g: string) => apps(groupLabel(g), groupRows(g));
  const review = (id: string) => ({ column: column(cellLabel(id), "count", { group: REVIEW_TITLE, total: true }), ids: [id] });
  const active = (id: string, kind: CellKind) => ({
    column: column(cellLabel(id), kind, { group: ACTIVE_TITLE, total: kind === "count" }),
    ids: [id],
  });
  return [
    one("new"),
    one("carried_over"),
    one("total"),
    one("carried_forward"),
    one("granted"),
    one("partial"),
    group("denied"),
    group("unable"),
    group("not_processed"),
    group("other_handling"),
    ...["review", "litigation.direct", "litigation.after_review"].flatMap((g) => [review(`${g}.total`), review(`${g}.corrected`)]),
    active("active.rules.issued", "count"),
    active("active.normative.issued", "count"),
    active("active.licensing.decisions", "count"),
    active("active.penalty.decisions", "count"),
    active("active.enforcement.decisions", "count"),
    active("active.fees.amount", "amount"),
  ];
}

function summarySheet(organs: Placed[], cellsOf: CellsOf): SheetModel {
  const figures = summaryFigures();
  const columns = [
    ...identityColumns(organs),
    column("层级", "text", { valueWidth: widest(Object.values(LEVEL_LABELS), (l) => l) }),
    column("格式", "text"),
    column("发布日期", "date"),
    ...figures.map((f) => f.column),
    column(ERROR, "count", { group: "校验", total: true }),
    column(REMINDER, "count", { group: "校验", total: true }),
  ];
  return {
    name: "汇总",
    freezeColumns: 1,
    blocks: [
      {
        columns,
        total: true,
        *rows() {
          for (const p of organs) {
            const r = p.organ.report!;
            const cells = cellsOf(r);
            const found = findings(p.organ);
            yield [
              ...identity(p),
              text(LEVEL_LABELS[p.level]),
              text(templateLabel(r.template)),
              r.published ? text(r.published) : { value: null, note: "原文未写发布日期" },
              ...figures.map((f) => cells.cell(f.ids)),
              count(found.filter((x) => x.severity === ERROR).length),
              count(found.filter((x) => x.severity !== ERROR).length),
            ];
          }
        },
      },
    ],
  };
}

function applicationsSheet(organs: Placed[], cellsOf: CellsOf): SheetModel {
  const columns = [
    ...identityColumns(organs),
    column("格式", "text"),
    ...TABLE_B.flatMap((d) => APPLICANT_COLUMNS.map((c) => column(APPLICANT_COLUMN_LABELS[c], "count", { group: d.label, total: true }))),
  ];
  const ids = TABLE_B.flatMap((d) => APPLICANT_COLUMNS.map((c) => [B(d.id, c)]));
  return {
    name: "依申请",
    freezeColumns: 1,
    blocks: [
      {
        columns,
        total: true,
        *rows() {
          for (const p of organs) {
            const cells = cellsOf(p.organ.report!);
            yield [...identity(p), text(templateLabel(p.organ.report!.template)), ...ids.map((i) => cells.cell(i))];
          }
        },
      },
    ],
  };
}

function activeSheet(organs: Placed[], cellsOf: CellsOf): SheetModel {
  const templates = (["2021", "2019"] as const).filter((t) => organs.some((p) => p.organ.report!.template === t));
  if (templates.length === 0) templates.push("2021");
  const blocks = templates.map((t): Block => {
    const defs = TEMPLATES[t].tableA;
    const mine = organs.filter((p) => p.organ.report!.template === t);
    const kindOf = (c: string): CellKind => (c === "amount" ? "amount" : "count");
    return {
      ...(templates.length > 1 ? { caption: `${templateLabel(t)}格式的年报` } : {}),
      columns: [
        ...identityColumns(mine),
        ...defs.flatMap((d) => d.columns.map((c) => column(COLUMN_LABELS[c] ?? c, kindOf(c), { group: d.label, total: kindOf(c) === "count" }))),
      ],
      total: true,
      *rows() {
        for (const p of mine) {
          const cells = cellsOf(p.organ.report!);
          yield [...identity(p), ...defs.flatMap((d) => d.columns.map((c) => cells.cell([activeCell(d.id, c)])))];
        }
      },
    };
  });
  return { name: "主动公开", freezeColumns: 1, blocks };
}

function reviewSheet(organs: Placed[], cellsOf: CellsOf): SheetModel {
  const columns = REVIEW_GROUPS.flatMap((g) =>
    REVIEW_KEYS.map((k) => column(REVIEW_KEY_LABELS[k], "count", { group: REVIEW_GROUP_LABELS[g], total: true })),
  );
  return {
    name: "复议诉讼",
    freezeColumns: 1,
    blocks: [
      {
        columns: [...identityColumns(organs), ...columns],
        total: true,
        *rows() {
          for (const p of organs) {
            const cells = cellsOf(p.organ.report!);
            yield [...identity(p), ...TABLE_C_CELLS.map((id) => cells.cell([id]))];
          }
        },
      },
    ],
  };
}

/** One row per finding: organ, rule, severity, where, expected, printed, what. */
function checksSheet(organs: Placed[]): SheetModel {
  // Organs in the workbook's order, errors first within an organ.
  const rank = (f: Finding) => (f.severity === ERROR ? 0 : 1);
  const all = organs.flatMap((p) =>
    findings(p.organ)
      .map((f, i) => ({ p, f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i),
  );
  const widestOf = (f: (x: Finding) => string) => widest(all, (x) => f(x.f));
  const where = (f: Finding) => f.failure?.row ?? "";
  return {
    name: "校验",
    freezeColumns: 1,
    blocks: [
      {
        columns: [
          ...identityColumns([...new Set(all.map((x) => x.p))]),
          column("规则", "text", { valueWidth: widestOf((f) => ruleName(f.check.id)) }),
          column("严重程度", "text"),
          column("位置", "text", { valueWidth: Math.min(widestOf(where), 30) }),
          column("列", "text", { valueWidth: widestOf((f) => f.failure?.column ?? "") }),
          column("应为", "count"),
          column("实为", "count"),
          column("说明", "text", { valueWidth: Math.min(widestOf((f) => f.failure?.message ?? f.check.detail ?? ""), 60) }),
        ],
        total: false,
        *rows() {
          for (const { p, f } of all) {
            yield [
              ...identity(p),
              text(ruleName(f.check.id)),
              text(f.severity),
              text(where(f)),
              text(f.failure?.column),
              count(f.failure?.expected ?? null),
              count(f.failure?.printed ?? null),
              text(f.failure?.message ?? f.check.detail),
            ];
          }
        },
      },
    ],
  };
}

/** Organs with last year's report and none this year. */
function unpublishedSheet(organs: Placed[], year: number): SheetModel {
  return {
    name: "未发布",
    freezeColumns: 1,
    blocks: [
      {
        columns: [
          ...identityColumns(organs),
          column("层级", "text", { valueWidth: widest(Object.values(LEVEL_LABELS), (l) => l) }),
          column("说明", "text", { valueWidth: 36 }),
        ],
        total: false,
        *rows() {
          for (const p of organs) {
            yield [...identity(p), text(LEVEL_LABELS[p.level]), text(`${year - 1}年有年报，资料库中没有${year}年的年报`)];
          }
        },
      },
    ],
  };
}

/** The workbook of an export: the six sheets, organs ordered by region, level and name. */
export function buildWorkbook(input: ExportInput): WorkbookModel {
  const placed = ordered(input.organs);
  const published = placed.filter((p) => p.organ.report);
  const unpublished = placed.filter((p) => !p.organ.report && p.organ.hasPreviousReport);
  const cellsOf = cellsMemo();
  return {
    fileName: exportFileName(input.year, input.areas),
    counts: { reports: published.length, unpublished: unpublished.length },
    sheets: [
      summarySheet(published, cellsOf),
      applicationsSheet(published, cellsOf),
      activeSheet(published, cellsOf),
      reviewSheet(published, cellsOf),
      checksSheet(published),
      unpublishedSheet(unpublished, input.year),
    ],
  };
}

/**
 * The input split so each part is one region (the organ's region, else the first place of its
 * name), for a workbook over the upload limit. One region gives one part.
 */
export function splitByRegion(input: ExportInput): ExportInput[] {
  const byRegion = new Map<string, ExportOrgan[]>();
  for (const p of ordered(input.organs)) {
    const list = byRegion.get(p.splitRegion) ?? [];
    list.push(p.organ);
    byRegion.set(p.splitRegion, list);
  }
  return [...byRegion].map(([region, organs]) => ({ year: input.year, areas: [region], organs }));
}
