/**
 * Deadline reminders: which reminders go to which chat, when, saying what. Pure — the store,
 * subscriptions, calendar and time window come in; the scheduler (bot/) sends them.
 *
 * Deadlines (条例 art. 49): reports on the year before are due 1月31日 for departments and, in
 * practice, 乡镇/街道; 3月31日 for 县级以上人民政府. Admins add local deadlines (a date, a scope,
 * a label). Reminders go out 30, 14, 7, 3 and 1 days before and on the day, at 09:30 Beijing
 * time, moved to the previous working day when they fall on a weekend or holiday.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Organ, ReportStore } from "../index/store.ts";
import { organLevel, ruleName, splitOrganName } from "../parser/index.ts";
import { addDaysIso, type WorkCalendar, workdayOnOrBefore } from "./calendar.ts";

export const DEFAULT_OFFSETS = [30, 14, 7, 3, 1, 0];
export const SEND_TIME = "09:30";
const BEIJING_MS = 8 * 3600 * 1000;

export const subscriptionSchema = z.object({ chatId: z.string().min(1), scope: z.string(), by: z.string(), at: z.string() });
export type Subscription = z.infer<typeof subscriptionSchema>;

export const localDeadlineSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD"),
  scope: z.string(),
  label: z.string().min(1),
});
export type LocalDeadline = z.infer<typeof localDeadlineSchema>;

export interface Deadline {
  /** YYYY-MM-DD */
  date: string;
  label: string;
  reportYear: number;
  /** Which organs it binds. */
  applies: (o: Organ) => boolean;
  scope: string;
}

export interface Reminder {
  key: string;
  chatId: string;
  /** Send time, ISO with +08:00. */
  at: string;
  atMs: number;
  deadline: string;
  deadlineLabel: string;
  reportYear: number;
  daysLeft: number;
  scope: string;
  expected: string[];
  published: string[];
  missing: string[];
  problems: { organ: string; checks: string[] }[];
  /** The holiday arrangement of the send year is not yet official (estimated without 调休). */
  provisional: boolean;
  text: string;
}

/** 县级以上人民政府 (3月31日) as opposed to departments and 乡镇/街道 (1月31日). */
export function isGovernment(o: Pick<Organ, "level">): boolean {
  return o.level === "province" || o.level === "city" || o.level === "county";
}

/** Whether an organ falls in a subscription's or deadline's scope (empty: everything). */
export function inScope(o: Organ, scope: string): boolean {
  const words = scope.split(/[\s,，、]+/).filter(Boolean);
  if (words.length === 0 || words.some((w) => /^(全部|所有|全县|全市|全区)$/.test(w))) return true;
  return words.some((w) => (o.region ?? "").includes(w) || o.name.includes(w) || o.short.includes(w) || w.includes(o.short));
}

export function statutoryDeadlines(reportYear: number): Deadline[] {
  const y = reportYear + 1;
  return [
    { date: `${y}-01-31`, label: "条例第四十九条：部门、乡镇街道", reportYear, applies: (o) => !isGovernment(o), scope: "" },
    { date: `${y}-03-31`, label: "条例第四十九条：县级以上人民政府", reportYear, applies: isGovernment, scope: "" },
  ];
}

export function localDeadlines(locals: LocalDeadline[]): Deadline[] {
  return locals.map((l) => ({
    date: l.date,
    label: l.label,
    // A deadline in the first half of the year is for the previous year's report.
    reportYear: Number(l.date.slice(0, 4)) - (Number(l.date.slice(5, 7)) <= 6 ? 1 : 0),
    applies: (o: Organ) => inScope(o, l.scope),
    scope: l.scope,
  }));
}

const beijingDate = (ms: number) => new Date(ms + BEIJING_MS).toISOString().slice(0, 10);
const atMsOf = (date: string) => Date.parse(`${date}T${SEND_TIME}:00+08:00`);
const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);

/** Where subscriptions and local deadlines live (bot/ persists them in DATA_DIR). */
export interface ReminderSettingsPort {
  readonly subscriptions: Subscription[];
  readonly deadlines: LocalDeadline[];
  subscribe(s: Subscription): void;
  unsubscribe(chatId: string): number;
  addDeadline(d: LocalDeadline): void;
  removeDeadline(date: string, scope?: string): number;
}

export interface ReminderInput {
  store: ReportStore;
  subscriptions: Subscription[];
  locals: LocalDeadline[];
  calendar: WorkCalendar;
  fromMs: number;
  toMs: number;
  /** Organ names expected to publish even without a report the year before. */
  roster?: string[];
  offsets?: number[];
}

function rosterOrgans(store: ReportStore, roster: string[]): Organ[] {
  const out: Organ[] = [];
  for (const name of roster) {
    const compactName = name.replace(/\s+/g, "");
    // Only a name of the whole line is that organ (「宁海县桥头胡街道」 is not 宁海县人民政府).
    const organ = store.organNamed(compactName);
    if (organ) out.push(organ);
    else {
      const n = splitOrganName(compactName);
      out.push({ key: `roster|${compactName}`, name: compactName, names: [compactName], short: compactName, region: null, places: n.places, body: n.body, level: organLevel(n), reports: new Map() });
    }
  }
  return out;
}

/** Every reminder with a send time in [fromMs, toMs]. */
export function remindersBetween(input: ReminderInput): Reminder[] {
  const { store, calendar } = input;
  const offsets = input.offsets ?? DEFAULT_OFFSETS;
  const out: Reminder[] = [];
  const firstYear = Number(beijingDate(input.fromMs).slice(0, 4)) - 1;
  const lastYear = Number(beijingDate(input.toMs).slice(0, 4)) + 1;
  const extra = input.roster?.length ? rosterOrgans(store, input.roster) : [];
  for (let reportYear = firstYear - 1; reportYear <= lastYear; reportYear++) {
    const deadlines = [...statutoryDeadlines(reportYear), ...localDeadlines(input.locals).filter((d) => d.reportYear === reportYear)];
    for (const d of deadlines) {
      for (const sub of input.subscriptions) {
        const inSub = (o: Organ) => inScope(o, sub.scope) && d.applies(o);
        const expectedOrgans = [
          ...store.organs.filter((o) => o.reports.has(reportYear - 1) && inSub(o)),
          ...extra.filter((o) => inSub(o) && !o.reports.has(reportYear - 1)),
        ];
        if (expectedOrgans.length === 0) continue;
        // Several offsets may land on the same working day: one reminder that day.
        const sendDates = [...new Set(offsets.map((n) => workdayOnOrBefore(calendar, addDaysIso(d.date, -n))))];
        for (const sendDate of sendDates) {
          const atMs = atMsOf(sendDate);
          if (atMs < input.fromMs || atMs > input.toMs) continue;
          out.push(makeReminder(store, sub, d, expectedOrgans, sendDate, atMs, !calendar.official(Number(sendDate.slice(0, 4)))));
        }
      }
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs || a.deadline.localeCompare(b.deadline) || a.chatId.localeCompare(b.chatId));
}

function makeReminder(store: ReportStore, sub: Subscription, d: Deadline, expectedOrgans: Organ[], sendDate: string, atMs: number, provisional: boolean): Reminder {
  const name = (o: Organ) => o.name;
  const published = expectedOrgans.filter((o) => o.reports.has(d.reportYear));
  const missing = expectedOrgans.filter((o) => !o.reports.has(d.reportYear));
  const problems = published
    .map((o) => ({ organ: name(o), checks: o.reports.get(d.reportYear)!.checks.filter((c) => !c.ok && c.severity === "错误").map((c) => `${ruleName(c.id)}：${c.detail}`) }))
    .filter((p) => p.checks.length > 0);
  const daysLeft = dayDiff(sendDate, d.date);
  const key = createHash("sha1").update(`${sub.chatId}|${d.date}|${d.label}|${sendDate}`).digest("hex").slice(0, 32);
  const when = daysLeft === 0 ? "今天截止" : `还有 ${daysLeft} 天`;
  const lines = [
    `【年报提醒】${d.reportYear} 年政府信息公开工作年度报告 ${d.date.slice(5, 7).replace(/^0/, "")}月${d.date.slice(8).replace(/^0/, "")}日截止（${d.label}），${when}。`,
    `${sub.scope ? `范围「${sub.scope}」：` : ""}应发布 ${expectedOrgans.length} 个，已发布 ${published.length} 个，未发布 ${missing.length} 个。`,
    missing.length ? `未发布：${missing.map(name).join("、")}` : "全部已发布。",
    ...problems.map((p) => `已发布但校验未通过——${p.organ}：${p.checks.join("；")}`),
  ];
  return {
    key,
    chatId: sub.chatId,
    at: `${sendDate}T${SEND_TIME}:00+08:00`,
    atMs,
    deadline: d.date,
    deadlineLabel: d.label,
    reportYear: d.reportYear,
    daysLeft,
    scope: sub.scope,
    expected: expectedOrgans.map(name),
    published: published.map(name),
    missing: missing.map(name),
    problems,
    provisional,
    text: lines.join("\n"),
  };
}

/** Reminders due at `nowMs`: sent time earlier the same Beijing day, up to now (catch-up after a restart). */
export function dueAt(input: Omit<ReminderInput, "fromMs" | "toMs">, nowMs: number): Reminder[] {
  const dayStart = Date.parse(`${beijingDate(nowMs)}T00:00:00+08:00`);
  return remindersBetween({ ...input, fromMs: dayStart, toMs: nowMs });
}
