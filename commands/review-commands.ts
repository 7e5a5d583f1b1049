/**
 * 审查 in chat: a report against every rule, including last year's report of the same organ,
 * the other organs of its area and the deadlines (review/), and /审查 over a year of an area.
 */
import { z } from "zod";
import type { Organ, ReportStore } from "../index/store.ts";
import { type Check, type Report, ruleName, TABLE_NAMES } from "../parser/index.ts";
import { type ReviewDeadline, type ReviewResult, reviewReport, reviewYear, statutoryDeadlinesFor } from "../review/index.ts";
import { type Action, type Cell, errorAnswer, makeAnswer } from "./answer.ts";
import { type CommandContext, define } from "./command.ts";
import { inScope, readScope } from "./area-commands.ts";
import { inScope as inReminderScope } from "./reminders.ts";
import { yearSchema } from "./schemas.ts";
import { understand } from "./understand.ts";

/** Where a finding is: the table, row and column, or the sentence. */
export function whereOf(c: Check): string {
  const f = c.failures[0];
  if (!f) return "";
  // 「表三 依申请」 → 「表三」: the row says the rest.
  const cell = [f.table ? TABLE_NAMES[f.table].split(" ")[0] : "", f.row, f.column].filter(Boolean).join(" ");
  return cell || (f.sentence ? `「${f.sentence.slice(0, 30)}${f.sentence.length > 30 ? "…" : ""}」` : "");
}

/** Findings as table rows: 级别, 规则, 位置, 说明 — 错误 first. */
export function findingRows(findings: readonly Check[]): Cell[][] {
  return findings.flatMap((c) =>
    (c.failures.length ? c.failures : [null]).map((f) => [c.severity, ruleName(c.id), f ? whereOf({ ...c, failures: [f] }) : "", f?.message ?? c.detail]),
  );
}

/** The organs a report is reviewed beside: the other organs of the same year in its area, and for a government those under it. */
export function siblingsOf(store: ReportStore, organ: Organ, year: number): Report[] {
  const area = new Set(organ.body ? organ.places : organ.places.slice(0, -1));
  const own = organ.places[organ.places.length - 1];
  if (own && !organ.body) area.add(own);
  const out: Report[] = [];
  for (const o of store.organs) {
    const r = o.reports.get(year);
    if (r && (o === organ || o.places.some((p) => area.has(p)))) out.push(r);
  }
  return out;
}

/** Deadlines binding an organ: the statutory one and the local ones whose scope takes it in. */
function deadlinesFor(ctx: CommandContext, organ: Organ, year: number): ReviewDeadline[] {
  const statutory = statutoryDeadlinesFor({ name: organ.name, level: organ.level, region: organ.region }, year);
  const local = (ctx.reminders?.settings?.deadlines ?? [])
    .filter((d) => Number(d.date.slice(0, 4)) - (Number(d.date.slice(5, 7)) <= 6 ? 1 : 0) === year && inReminderScope(organ, d.scope))
    .map(({ date, label }) => ({ date, label }));
  return [...statutory, ...local];
}

const reviews = new WeakMap<ReportStore, Map<Report, ReviewResult>>();

/** A report of the library reviewed against every rule (kept until the library is reloaded). */
export function reviewInLibrary(ctx: CommandContext, organ: Organ, report: Report): ReviewResult {
  let memo = reviews.get(ctx.store);
  if (!memo) reviews.set(ctx.store, (memo = new Map()));
  let r = memo.get(report);
  if (!r) {
    const year = report.year!;
    r = reviewReport(report, {
      lastYear: organ.reports.get(year - 1) ?? null,
      siblings: siblingsOf(ctx.store, organ, year),
      deadlines: deadlinesFor(ctx, organ, year),
    });
    memo.set(report, r);
  }
  return r;
}

/** Today in Beijing, YYYY-MM-DD. */
const beijingDay = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------- /审查

const auditArgs = z.object({
  year: yearSchema,
  level: z.enum(["province", "city", "county", "township", "department"]).optional(),
  area: z.string().max(40, "地区名太长").optional(),
});

export const audit = define({
  name: "审查",
  aliases: ["审核", "review"],
  summary: "某年（某地区）每份年报的审查结果：错误、提醒和未发布，问题最多的在前",
  usage: "/审查 <年份> [乡镇|部门] [地区]",
  example: "/审查 2025 宁海县",
  schema: auditArgs,
  read: (text, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    const year = q.years.find((y) => y.kind === "year");
    const ys = ctx.store.years();
    return { args: { year: year?.kind === "year" ? year.year : ys[ys.length - 1] ?? ctx.now.getFullYear() - 1, ...readScope(q) } };
  },
  run: ({ year, level, area }, ctx) => {
    const scope = { level, area };
    const organs = ctx.store.organs.filter((o) => inScope(o, scope) && (o.reports.has(year) || o.reports.has(year - 1)));
    if (!organs.length) return errorAnswer("审查", `没有${area ?? ""} ${year} 年的年报`, [`已有年份：${ctx.store.years().join("、")}`]);
    const byName = new Map(organs.map((o) => [o.name, o]));
    const reports = organs.flatMap((o) => (o.reports.has(year) ? [o.reports.get(year)!] : []));
    const organOfReport = new Map(organs.flatMap((o) => (o.reports.has(year) ? [[o.reports.get(year)!, o] as const] : [])));
    const review = reviewYear({
      year,
      reports,
      lastYearOf: (r) => organOfReport.get(r)?.reports.get(year - 1) ?? null,
      missing: organs.filter((o) => !o.reports.has(year)).map((o) => o.name),
      deadlinesOf: (name, r) => {
        const o = (r && organOfReport.get(r)) ?? byName.get(name);
        return o ? deadlinesFor(ctx, o, year) : [];
      },
      today: beijingDay(ctx.now),
    });
    const display = (name: string, r: Report | null) => {
      const o = (r && organOfReport.get(r)) ?? byName.get(name);
      return o ? ctx.store.displayName(o) : name;
    };
    const rows: Cell[][] = review.rows.map((row) => [
      display(row.organ, row.report),
      row.report ? "已发布" : "未发布",
      row.counts.错误,
      row.counts.提醒,
      row.findings.slice(0, 3).map((c) => ruleName(c.id)).join("、"),
    ]);
    const worst = review.rows.filter((row) => row.report && row.findings.length).slice(0, 8);
    const actions: Action[] = worst.map((row) => {
      const o = organOfReport.get(row.report!)!;
      return { label: `${ctx.store.displayName(o)} 详情`, command: "校验", args: { organ: o.key, year } };
    });
    const c = review.counts;
    const withErrors = review.rows.filter((row) => row.report && row.counts.错误).length;
    return makeAnswer({
      kind: "checks",
      command: "审查",
      title: `${year} 年${area ?? ""}年报审查：${c.reports} 份年报，${withErrors} 份有错误，${c.missing} 个单位未发布`,
      table: { columns: ["单位", "发布", "错误", "提醒", "主要问题"], rows },
      lines: [`合计 ${c.错误} 个错误、${c.提醒} 个提醒；「错误」是勾稽、格式或跨年衔接不成立，「提醒」需要人工核实`],
      actions,
      tone: c.错误 ? "warn" : "ok",
    });
  },
});
