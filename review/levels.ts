/**
 * Across levels (domain.md §3.5 H1): a county's (or city's) report against the sum of the reports
 * of the organs directly under it that the library has — its departments and its townships (a
 * city: its departments and its counties). Most counties report only their own office, so this is
 * a comparison table; it becomes a 提醒 only where the county's report says it aggregates them.
 */
import { cellLabel, check, type Check, departmentPlaces, type Failure, organInfoOfReport, type Report } from "../parser/index.ts";

/** The cells compared: the totals people ask about. */
export const COMPARED_CELLS = [
  "applications.new.total",
  "applications.carried_over.total",
  "applications.granted.total",
  "applications.total.total",
  "applications.carried_forward.total",
  "review.total",
  "litigation.direct.total",
  "litigation.after_review.total",
  "active.licensing.decisions",
  "active.penalty.decisions",
  "active.enforcement.decisions",
];

export interface LevelComparisonRow {
  cell: string;
  label: string;
  /** The county's own figure. */
  own: number | null;
  /** Sum over the reports under it that print the cell, and how many do. */
  sum: number;
  reports: number;
}

export interface LevelComparison {
  organ: string;
  /** The reports counted, by organ name. */
  under: string[];
  /** Whether the county's report says it aggregates them (then the figures should agree). */
  aggregates: boolean;
  rows: LevelComparisonRow[];
}

/** The government a report's organ sits directly under: a department's place, a government's parent place. */
function parentPlace(r: Report): string | null {
  const info = organInfoOfReport(r);
  if (!info) return null;
  if (info.level === "department") return departmentPlaces(info.places).at(-1) ?? null;
  return info.places.at(-2) ?? null;
}

/** A year's reports grouped by the government they sit directly under, built once for many comparisons. */
export class LevelIndex {
  private readonly children = new Map<string, Report[]>();

  constructor(reports: readonly Report[]) {
    for (const r of reports) {
      const parent = parentPlace(r);
      if (!parent || r.year === null) continue;
      const key = `${r.year}|${parent}`;
      const list = this.children.get(key);
      if (list) list.push(r);
      else this.children.set(key, [r]);
    }
  }

  /** Reports of `year` directly under a government whose innermost place is `place`: its departments, and governments one level down. */
  under(place: string, year: number): readonly Report[] {
    return this.children.get(`${year}|${place}`) ?? [];
  }
}

/** The comparison for a county- or city-level government's report, or null (another level, or nothing under it in the data). */
export function levelComparison(r: Report, index: LevelIndex): LevelComparison | null {
  const info = organInfoOfReport(r);
  if (!info || info.body || !["county", "city", "province"].includes(info.level) || r.year === null) return null;
  const place = info.places.at(-1);
  if (!place) return null;
  const under = index.under(place, r.year).filter((s) => s !== r);
  if (under.length === 0) return null;
  const value = (x: Report, id: string) => (typeof x.cells[id] === "number" ? (x.cells[id] as number) : null);
  const rows = COMPARED_CELLS.map((cell) => {
    const vs = under.map((u) => value(u, cell)).filter((v): v is number => v !== null);
    return { cell, label: cellLabel(cell, r.template), own: value(r, cell), sum: +vs.reduce((a, b) => a + b, 0).toFixed(4), reports: vs.length };
  });
  return { organ: r.organ!, under: under.map((u) => u.organ ?? u.file), aggregates: r.aggregates ?? false, rows };
}

/** 提醒 where the report says it aggregates the organs under it but its totals differ from their sum. */
export function countyAggregateCheck(comparison: LevelComparison | null): Check {
  const failures: Failure[] = [];
  if (comparison?.aggregates) {
    for (const row of comparison.rows) {
      if (row.own === null || row.reports === 0 || row.own === row.sum) continue;
      failures.push({
        table: row.cell.startsWith("active") ? "A" : row.cell.startsWith("applications") ? "B" : "C",
        row: row.label,
        column: "",
        cells: [row.cell],
        expected: row.sum,
        printed: row.own,
        message: `「${row.label}」本报告为 ${row.own}，资料库中下属 ${row.reports} 个单位的年报合计 ${row.sum}（资料库可能缺少部分单位的年报）`,
      });
    }
  }
  const detail = !comparison
    ? "资料库中没有下属单位的年报"
    : comparison.aggregates
      ? `汇总数与资料库中 ${comparison.under.length} 个下属单位之和一致`
      : `未说明汇总下属单位，仅作对照（资料库中 ${comparison.under.length} 个下属单位）`;
  return check("county_aggregate", failures, detail, comparison?.aggregates ? 1 : 0, detail);
}
