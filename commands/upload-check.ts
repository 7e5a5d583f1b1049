/**
 * The answer to "check this report file": what the bot read, every failed 勾稽 check with where
 * it is, and the warnings, for an official checking a draft before publishing. An Answer like
 * any other, so Feishu renders it with the same card renderer and `npm run parse` prints `text`.
 * Kept to three table columns and Chinese labels so it reads on a phone.
 */
import type { Report } from "../parser/index.ts";
import { type Answer, checkName, makeAnswer } from "./answer.ts";
import { keyFigures } from "./format.ts";

/** Rows of failed checks on one card; the table pages itself. */
const MAX_FAILURE_ROWS = 40;
const MAX_WARNINGS = 12;

export const templateName = (r: Report) => (r.template === "2021" ? "2021版（国办公开办函〔2021〕30号）" : "2019版（国办公开办函〔2019〕60号）");

/** True when every check of the report passed. */
export const checksPassed = (r: Report) => r.checks.every((c) => c.ok);

export function uploadCheckAnswer(r: Report, opts: { fileName: string }): Answer {
  const failed = r.checks.filter((c) => !c.ok);
  const rows: (string | number | null)[][] = [];
  for (const c of failed) {
    const failures = c.failures.length ? c.failures : [{ row: "", column: "", message: c.detail }];
    // The parser names a balance row "一+二 vs 三(七)+四"; the card stays in Chinese.
    for (const f of failures) rows.push([checkName(c.id), [f.row.replace(/\s*vs\s*/g, " 与 "), f.column].filter(Boolean).join(" · ") || "—", f.message]);
  }
  const figures = keyFigures(r)
    .map((f) => `${f.label} ${f.value ?? "（未读到）"}`)
    .join("、");
  const lines = [
    `文件：${opts.fileName}`,
    `单位：${r.organ ?? "未识别"}　年度：${r.year ?? "未识别"}　格式：${templateName(r)}${r.published ? `　发布日期：${r.published}` : ""}`,
    `关键数字：${figures}`,
    failed.length ? `校验未通过 ${rows.length} 项${rows.length > MAX_FAILURE_ROWS ? `，表中列出前 ${MAX_FAILURE_ROWS} 项` : ""}` : "勾稽校验全部通过",
    ...r.warnings.slice(0, MAX_WARNINGS).map((w) => `⚠ ${w}`),
  ];
  if (r.warnings.length > MAX_WARNINGS) lines.push(`另有 ${r.warnings.length - MAX_WARNINGS} 条提示未列出`);
  return makeAnswer({
    kind: "checks",
    command: "检查",
    title: `年报检查：${r.organ ?? "（未识别单位）"} ${r.year ?? "（未识别年度）"} 年`,
    table: rows.length ? { columns: ["校验", "位置", "说明"], rows: rows.slice(0, MAX_FAILURE_ROWS) } : undefined,
    lines,
  });
}
