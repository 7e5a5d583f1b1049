/**
 * The answer to "check this report file": what the bot read, every finding of the 审查 rules
 * (the library's report of last year included, when there is one) with where it is, and the
 * warnings, for an official checking a draft before publishing. An Answer like any other, so
 * Feishu renders it with the same card renderer and `npm run parse` prints `text`. Kept to three
 * table columns and Chinese labels so it reads on a phone.
 */
import { keyFigures } from "./figures.ts";
import type { ReportStore } from "../index/store.ts";
import { type Report, ruleName } from "../parser/index.ts";
import { type ReviewResult, reviewReport } from "../review/index.ts";
import { type Answer, makeAnswer } from "./answer.ts";
import { siblingsOf, whereOf } from "./review-commands.ts";

/** Rows of findings on one card; the table pages itself. */
const MAX_FAILURE_ROWS = 40;
const MAX_WARNINGS = 12;

export const templateName = (r: Report) => (r.template === "2021" ? "2021版（国办公开办函〔2021〕30号）" : "2019版（国办公开办函〔2019〕60号）");

/** An uploaded report against every rule, with the library's report of the same organ a year before and the organs of its area. */
export function reviewUpload(r: Report, store?: ReportStore): ReviewResult {
  const organ = store && r.organ ? store.organOf(r) : undefined;
  if (!store || !organ || r.year === null) return reviewReport(r);
  return reviewReport(r, { lastYear: organ.reports.get(r.year - 1) ?? null, siblings: [r, ...siblingsOf(store, organ, r.year).filter((x) => x.year === r.year && store.organOf(x) !== organ)] });
}

/** Whether a reviewed upload has no 错误 (提醒 ask for a look, not a fix). */
export const uploadPassed = (review: ReviewResult) => review.counts.错误 === 0;

export function uploadCheckAnswer(r: Report, opts: { fileName: string; review?: ReviewResult }): Answer {
  const review = opts.review ?? reviewReport(r);
  const rows: (string | number | null)[][] = [];
  for (const c of review.findings) {
    const failures = c.failures.length ? c.failures : [null];
    for (const f of failures) {
      // The parser names a balance row "一+二 vs 三(七)+四"; the card stays in Chinese.
      const where = f ? whereOf({ ...c, failures: [f] }).replace(/\s*vs\s*/g, " 与 ") : "";
      rows.push([`${c.severity}·${ruleName(c.id)}`, where || "—", f?.message ?? c.detail]);
    }
  }
  const figures = keyFigures(r)
    .map((f) => `${f.label} ${f.value ?? "（未读到）"}`)
    .join("、");
  const lines = [
    `文件：${opts.fileName}`,
    `单位：${r.organ ?? "未识别"}　年度：${r.year ?? "未识别"}　格式：${templateName(r)}${r.published ? `　发布日期：${r.published}` : ""}`,
    `关键数字：${figures}`,
    `审查：${review.verdict}${rows.length > MAX_FAILURE_ROWS ? `，表中列出前 ${MAX_FAILURE_ROWS} 项` : ""}`,
    ...r.warnings.slice(0, MAX_WARNINGS).map((w) => `⚠ ${w}`),
  ];
  if (r.warnings.length > MAX_WARNINGS) lines.push(`另有 ${r.warnings.length - MAX_WARNINGS} 条提示未列出`);
  return makeAnswer({
    kind: "checks",
    command: "检查",
    title: `年报检查：${r.organ ?? "（未识别单位）"} ${r.year ?? "（未识别年度）"} 年`,
    table: rows.length ? { columns: ["校验", "位置", "说明"], rows: rows.slice(0, MAX_FAILURE_ROWS) } : undefined,
    lines,
    tone: review.counts.错误 ? "warn" : "ok",
  });
}
