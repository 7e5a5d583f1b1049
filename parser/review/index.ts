/**
 * The single-report review: the rule families that need nothing but the report itself
 * (plausibility, template and date, sections 五 and 六), run by parseReport after the 勾稽
 * checks. Their findings go into `checks` with the other checks; parser/review/rules.ts names
 * every rule and its severity. Cross-report families (last year, other organs, deadlines) are in
 * review/ above the index.
 */
import type { Check } from "../checks.ts";
import type { Report } from "../index.ts";
import type { SpacedText } from "../normalize.ts";
import { organInfoOfReport, type SingleReview } from "./context.ts";
import { outline, sectionBodies } from "./outline.ts";
import { plausibilityFamily } from "./plausibility.ts";
import { sectionsFamily } from "./sections.ts";
import { templateFamily } from "./template-date.ts";

export { departmentPlaces, organInfoOf, organInfoOfReport, type OrganInfo } from "./context.ts";
export { litigationWithoutReviewCheck } from "./plausibility.ts";
export { countFindings, RULES, ruleName, severityOf, verdict, type CheckId, type RuleFamily, type RuleInfo, type Severity, type SeverityCounts } from "./rules.ts";

/** Single-report families, in the order their checks are listed. */
export const SINGLE_REPORT_FAMILIES: ((r: SingleReview) => Check[])[] = [plausibilityFamily, templateFamily, sectionsFamily];

/**
 * Whether the report says it aggregates the reports of its departments and townships
 * (「汇总…各有关单位…编制而成」, 「数据包括各乡镇、各部门」), which makes a county's totals
 * comparable to the sum of theirs (review/levels.ts).
 */
export function statesAggregate(compactText: string): boolean {
  const head = compactText.slice(0, 4000);
  return (
    // (Each pattern is tried only where the word it starts or ends with is in the text.)
    (head.includes("汇总") && /汇总[^。]{0,40}(?:乡镇|街道|部门|单位|编制主体)|(?:乡镇|街道|部门|单位|编制主体)[^。]{0,30}汇总/.test(head)) ||
    (head.includes("数据") && /数据[^。]{0,10}(?:包括|包含|涵盖|含)[^。]{0,30}(?:各乡镇|各街道|各部门|各单位)/.test(head))
  );
}

/** The findings of every single-report family for a parsed report and its text. */
export function reviewSingle(report: Report, spaced: SpacedText, headings = outline(spaced.compact)): { checks: Check[]; aggregates: boolean } {
  const compactText = spaced.compact;
  const r: SingleReview = {
    report,
    text: spaced.text,
    compactText,
    headings,
    bodies: sectionBodies(compactText, headings),
    organ: organInfoOfReport(report),
  };
  return { checks: SINGLE_REPORT_FAMILIES.flatMap((family) => family(r)), aggregates: statesAggregate(compactText) };
}
