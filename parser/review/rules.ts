/**
 * Every rule a report is checked against, in one table: its id (as in `parse --json` checks and
 * in the answers), how serious a failure is, the family it belongs to and its name for people.
 *
 * 错误: the report is wrong as published (a broken 勾稽 equation, a number that contradicts last
 * year's, an outdated format) and should be corrected. 提醒: something an evaluator would ask
 * about, which may have a good reason (a 规章 count at a township, text repeated from last year).
 *
 * Single-report families run in the parser (parser/review/); cross-report families (cross-year,
 * levels, timeliness) need other reports and run above the index (review/).
 */

export type Severity = "错误" | "提醒";

export type RuleFamily = "勾稽" | "plausibility" | "template" | "sections" | "cross-year" | "levels" | "timeliness";

export interface RuleInfo {
  severity: Severity;
  family: RuleFamily;
  /** Short name for tables and cards. */
  name: string;
}

const rule = (severity: Severity, family: RuleFamily, name: string): RuleInfo => ({ severity, family, name });

export const RULES = {
  // 勾稽关系 (REPORT-MODEL.md): the six checks the parser always had.
  balance: rule("错误", "勾稽", "一+二=三(七)+四"),
  row_sum: rule("错误", "勾稽", "行合计"),
  result_sum: rule("错误", "勾稽", "办理结果合计"),
  review_sum: rule("错误", "勾稽", "复议诉讼合计"),
  narrative: rule("错误", "勾稽", "正文与表格一致"),
  incomplete: rule("错误", "勾稽", "表格完整"),
  // Plausibility (domain.md §3.2).
  rules_level: rule("提醒", "plausibility", "规章与机关层级"),
  issued_in_force: rule("提醒", "plausibility", "制发与现行有效"),
  amount_unit: rule("提醒", "plausibility", "金额单位"),
  litigation_without_review: rule("提醒", "plausibility", "复议后起诉"),
  placeholder: rule("提醒", "plausibility", "应填数字处空白"),
  // Template and date (§2.5, §3.4 T2, §3.6).
  template_year: rule("错误", "template", "格式与年度"),
  template_mixed: rule("提醒", "template", "新旧格式混用"),
  year_mismatch: rule("错误", "template", "年度前后一致"),
  section_order: rule("提醒", "template", "六个部分齐全有序"),
  // Sections 五 and 六 (§3.6).
  problems_boilerplate: rule("提醒", "sections", "存在的主要问题"),
  fee_report: rule("提醒", "sections", "信息处理费说明"),
  // Across years and across organs (§3.3).
  carry_over: rule("错误", "cross-year", "上年结转与上年结转下年度"),
  in_force_chain: rule("提醒", "cross-year", "现行有效件数衔接"),
  text_repeated: rule("提醒", "cross-year", "正文与上年重复"),
  table_repeated: rule("提醒", "cross-year", "表格与上年相同"),
  text_copied: rule("提醒", "cross-year", "正文与其他单位相同"),
  // Across levels (§3.5 H1).
  county_aggregate: rule("提醒", "levels", "汇总数与下级之和"),
  // On time (§1, §3.6).
  late: rule("提醒", "timeliness", "按时发布"),
  unpublished: rule("错误", "timeliness", "逾期未发布"),
} as const satisfies Record<string, RuleInfo>;

export type CheckId = keyof typeof RULES;

export const severityOf = (id: CheckId): Severity => RULES[id].severity;

/** The name of a rule for people (unknown ids are shown as they are). */
export const ruleName = (id: string): string => (RULES as Record<string, RuleInfo>)[id]?.name ?? id;

export interface SeverityCounts {
  错误: number;
  提醒: number;
}

/** Failed rules by severity (a rule failing in several places counts once). */
export function countFindings(checks: readonly { ok: boolean; severity: Severity }[]): SeverityCounts {
  const counts: SeverityCounts = { 错误: 0, 提醒: 0 };
  for (const c of checks) if (!c.ok) counts[c.severity]++;
  return counts;
}

/** The one-line verdict: 「3 个错误，2 个提醒」, or 「未发现问题」. */
export function verdict(counts: SeverityCounts): string {
  const parts = [counts.错误 ? `${counts.错误} 个错误` : "", counts.提醒 ? `${counts.提醒} 个提醒` : ""].filter(Boolean);
  return parts.length ? parts.join("，") : "未发现问题";
}
