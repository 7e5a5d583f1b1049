/**
 * 审查: a report against every rule, including those that need other reports — last year's
 * report of the same organ, the other organs' reports of the year, the organs under a county,
 * and the deadlines. Pure functions over parsed reports: the caller (commands/, the upload
 * check, reminders) finds the reports and passes them in.
 *
 *   reviewReport(report, context)  one report: /校验, /报告, the upload check card
 *   reviewYear(input)              one year of an area: /审查, reminder cards
 */
import { type Check, countFindings, type OrganInfo, organInfoOf, organInfoOfReport, type Report, type SeverityCounts, verdict } from "../parser/index.ts";
import { crossYearFamily } from "./cross-year.ts";
import { countyAggregateCheck, type LevelComparison, levelComparison, LevelIndex } from "./levels.ts";
import { ProseIndex } from "./similarity.ts";
import { lateCheck, type ReviewDeadline, statutoryDeadlinesFor, unpublishedCheck } from "./timeliness.ts";

export type { LevelComparison, LevelComparisonRow } from "./levels.ts";
export type { ReviewDeadline } from "./timeliness.ts";
export { statutoryDeadlinesFor } from "./timeliness.ts";

export interface ReviewContext {
  /** Last year's report of the same organ: null when the library has none; leave out when not looked up. */
  lastYear?: Report | null;
  /** The other organs' reports of the same year and area (for copied text and a county's totals). */
  siblings?: readonly Report[];
  /** The organ's name and level; by default the parser's reading of its name (report.organInfo). */
  organ?: OrganInfo | null;
  /** Deadlines binding this organ for this report's year; by default the statutory one (commands/reminders.ts). */
  deadlines?: readonly ReviewDeadline[];
  /** The siblings' prose and levels, indexed once by reviewYear; built from `siblings` when left out. */
  proseIndex?: ProseIndex;
  levelIndex?: LevelIndex;
}

export interface ReviewResult {
  report: Report;
  organ: OrganInfo | null;
  /** Every check: the parser's, then the cross-report ones. A cross-report check replaces a parser check of the same id. */
  checks: Check[];
  /** The failed checks, 错误 before 提醒. */
  findings: Check[];
  counts: SeverityCounts;
  /** 「3 个错误，2 个提醒」 or 「未发现问题」. */
  verdict: string;
  /** A county's figures against the sum of the reports under it in the data (H1), if any. */
  comparison: LevelComparison | null;
}

const bySeverity = (a: Check, b: Check) => (a.severity === b.severity ? 0 : a.severity === "错误" ? -1 : 1);

/** Statutory deadlines of a report's organ for its year (none when the year or organ is unknown). */
function defaultDeadlines(r: Report, organ: OrganInfo | null): ReviewDeadline[] {
  if (r.year === null || !r.organ || !organ) return [];
  return statutoryDeadlinesFor({ name: r.organ, level: organ.level, region: r.region }, r.year);
}

/** Review one report: its own checks plus cross-year, levels and timeliness. */
export function reviewReport(report: Report, context: ReviewContext = {}): ReviewResult {
  const siblings = context.siblings ?? [];
  const others = siblings.length > 0 && (siblings.length > 1 || siblings[0] !== report);
  const index = context.proseIndex ?? (others ? new ProseIndex(siblings.includes(report) ? siblings : [report, ...siblings]) : null);
  const comparison = levelComparison(report, context.levelIndex ?? new LevelIndex(siblings));
  const organ = context.organ !== undefined ? context.organ : organInfoOfReport(report);
  const cross = [
    ...crossYearFamily(report, context.lastYear, index),
    countyAggregateCheck(comparison),
    lateCheck(report, context.deadlines ?? defaultDeadlines(report, organ)),
  ];
  const replaced = new Set(cross.map((c) => c.id));
  const checks = [...report.checks.filter((c) => !replaced.has(c.id)), ...cross];
  const counts = countFindings(checks);
  return {
    report,
    organ,
    checks,
    findings: checks.filter((c) => !c.ok).sort(bySeverity),
    counts,
    verdict: verdict(counts),
    comparison,
  };
}

export interface YearReviewInput {
  /** The reports of one year in the area (one per organ). */
  reports: readonly Report[];
  /** How to find an organ's report of the year before (null: the library has none). */
  lastYearOf: (report: Report) => Report | null | undefined;
  /** Report year, for organs without a report. */
  year: number;
  /** Organs expected to publish that have no report this year (e.g. they had one last year, or are on the roster). */
  missing?: readonly string[];
  /** Deadlines of an organ (statutory and local); by default the statutory one. */
  deadlinesOf?: (organ: string, report: Report | null) => readonly ReviewDeadline[];
  /** Today, YYYY-MM-DD (Beijing): a missing report after its deadline is an 错误. */
  today?: string;
}

export interface ReviewRow {
  /** The organ as its report prints it (or as given in `missing`). */
  organ: string;
  /** null: no report this year. */
  report: Report | null;
  counts: SeverityCounts;
  verdict: string;
  findings: Check[];
  /** The full review of the report (null for a missing one). */
  review: ReviewResult | null;
}

export interface YearReview {
  year: number;
  /** One row per organ, worst first (most 错误, then most 提醒, then by name). */
  rows: ReviewRow[];
  /** Totals over the rows. */
  counts: SeverityCounts & { reports: number; missing: number; withErrors: number };
}

/** Review every report of a year in an area, one row per organ, worst first. */
export function reviewYear(input: YearReviewInput): YearReview {
  const { reports, year } = input;
  const proseIndex = new ProseIndex(reports);
  const levelIndex = new LevelIndex(reports);
  const rows: ReviewRow[] = reports.map((report) => {
    const review = reviewReport(report, {
      lastYear: input.lastYearOf(report) ?? null,
      siblings: reports,
      proseIndex,
      levelIndex,
      deadlines: input.deadlinesOf?.(report.organ ?? report.file, report),
    });
    return { organ: report.organ ?? report.file, report, counts: review.counts, verdict: review.verdict, findings: review.findings, review };
  });
  for (const organ of input.missing ?? []) {
    const level = organInfoOf(organ)?.level;
    const deadlines = input.deadlinesOf?.(organ, null) ?? (level ? statutoryDeadlinesFor({ name: organ, level }, year) : []);
    const c = unpublishedCheck(year, deadlines, input.today);
    const counts = countFindings([c]);
    rows.push({ organ, report: null, counts, verdict: c.ok ? c.detail : verdict(counts), findings: c.ok ? [] : [c], review: null });
  }
  rows.sort((a, b) => b.counts.错误 - a.counts.错误 || b.counts.提醒 - a.counts.提醒 || a.organ.localeCompare(b.organ, "zh"));
  const counts = rows.reduce(
    (t, r) => ({
      错误: t.错误 + r.counts.错误,
      提醒: t.提醒 + r.counts.提醒,
      reports: t.reports + (r.report ? 1 : 0),
      missing: t.missing + (r.report ? 0 : 1),
      withErrors: t.withErrors + (r.counts.错误 ? 1 : 0),
    }),
    { 错误: 0, 提醒: 0, reports: 0, missing: 0, withErrors: 0 },
  );
  return { year, rows, counts };
}
