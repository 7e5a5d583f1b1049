/**
 * On time (条例 art. 49, domain.md §1, §3.6): the report's date against the deadlines that bind
 * its organ, and organs with no report once a deadline has passed.
 *
 * The statutory deadlines (1月31日 departments and 乡镇/街道, 3月31日 县级以上人民政府) and the
 * rule for which organ has which are the reminders' (commands/reminders.ts), so the review and
 * the reminder cards never disagree about a deadline.
 */
import { check, type Check, type Failure, type OrganLevel, type Report, textFailure } from "../parser/index.ts";
import { statutoryDeadlines } from "../commands/reminders.ts";
import type { Organ } from "../index/organs.ts";

export interface ReviewDeadline {
  /** YYYY-MM-DD */
  date: string;
  /** Where the deadline comes from: 「条例第四十九条：部门、乡镇街道」 or a local notice. */
  label: string;
}

/** The statutory deadline for an organ's report of `reportYear`: which one applies follows from its level. */
export function statutoryDeadlinesFor(organ: { name: string; level: OrganLevel; region?: string | null }, reportYear: number): ReviewDeadline[] {
  const o: Organ = { key: "", names: [organ.name], short: organ.name, region: null, places: [], body: null, reports: new Map(), ...organ };
  return statutoryDeadlines(reportYear)
    .filter((d) => d.applies(o))
    .map(({ date, label }) => ({ date, label }));
}

const md = (iso: string) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

/**
 * The report's date after a deadline (提醒: the date the parser reads is the signature's or the
 * page's, which may differ from the day it went online).
 */
export function lateCheck(r: Pick<Report, "published" | "year">, deadlines: readonly ReviewDeadline[]): Check {
  const failures: Failure[] = [];
  if (r.published) {
    for (const d of deadlines) {
      if (r.published <= d.date) continue;
      failures.push(textFailure("发布日期", `年报日期 ${r.published} 晚于截止日 ${d.date}（${d.label}）；如网站发布日期也晚于 ${md(d.date)}，即为逾期发布`));
    }
  }
  const met = deadlines.map((d) => `${d.date}（${d.label}）`).join("、");
  return check("late", failures, `年报日期 ${r.published} 不晚于截止日 ${met}`, r.published && deadlines.length ? 1 : 0);
}

/** An organ expected to publish (it did last year, or it is on the roster) with no report yet. */
export function unpublishedCheck(reportYear: number, deadlines: readonly ReviewDeadline[], today: string | undefined): Check {
  const failures: Failure[] = [];
  const passed = today ? deadlines.filter((d) => d.date < today) : [];
  for (const d of passed) {
    failures.push(textFailure("发布", `截止日 ${d.date}（${d.label}）已过，资料库中仍没有 ${reportYear} 年的年报`));
  }
  const next = deadlines.filter((d) => !today || d.date >= today).map((d) => d.date).sort()[0];
  return check("unpublished", failures, next ? `尚未发布，截止日 ${next}` : "尚未发布", today ? 1 : 0);
}
