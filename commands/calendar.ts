/**
 * Working days in mainland China: weekends, public holidays and 调休 working weekends.
 *
 * Source, in order:
 *  1. overrides passed in (DATA_DIR/holidays.json: a year the State Council has announced but
 *     the library does not have yet — see README「节假日数据」);
 *  2. the `chinese-days` package, which carries the official arrangements (国务院办公厅
 *     《关于 20XX 年部分节假日安排的通知》) for each year it knows — update it every November;
 *  3. for a year neither knows: weekends plus the statutory holidays of 《全国年节及纪念日放假办法》
 *     that can be computed (元旦, 春节 除夕–初三, 清明, 劳动节 5/1–5/2, 端午, 中秋, 国庆 10/1–10/3),
 *     without 调休 — and the year is reported as provisional.
 */
import chineseDays from "chinese-days";
import { z } from "zod";

export const holidayOverrides = z.record(
  z.string().regex(/^\d{4}$/),
  z.object({ holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)), workdays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]) }),
);
export type HolidayOverrides = z.infer<typeof holidayOverrides>;

export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** Whether the year's official arrangement is known (false: estimated without 调休). */
  official(year: number): boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const addDaysIso = (date: string, n: number) => iso(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000));
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

function statutoryHolidays(year: number): Set<string> {
  const days = new Set<string>([`${year}-01-01`, `${year}-05-01`, `${year}-05-02`, `${year}-10-01`, `${year}-10-02`, `${year}-10-03`]);
  const lunar = (md: string) => chineseDays.getSolarDateFromLunar(`${year}-${md}`).date;
  const newYear = lunar("01-01");
  for (let i = -1; i <= 2; i++) days.add(addDaysIso(newYear, i));
  days.add(lunar("05-05"));
  days.add(lunar("08-15"));
  days.add(chineseDays.getSolarTermDate(year, 4, "pure_brightness"));
  return days;
}

export function createCalendar(overrides: HolidayOverrides = {}): WorkCalendar {
  const estimated = new Map<number, Set<string>>();
  // A year the library has data for names 元旦 on 1 January; otherwise it only knows weekends.
  const libraryKnows = (year: number) => chineseDays.getDayDetail(`${year}-01-01`).name.includes("元旦");
  return {
    official: (year) => String(year) in overrides || libraryKnows(year),
    isWorkday(date) {
      const year = Number(date.slice(0, 4));
      const o = overrides[String(year)];
      if (o) {
        if (o.workdays.includes(date)) return true;
        if (o.holidays.includes(date)) return false;
        return weekday(date) !== 0 && weekday(date) !== 6;
      }
      if (libraryKnows(year)) return chineseDays.isWorkday(date);
      if (!estimated.has(year)) estimated.set(year, statutoryHolidays(year));
      return !estimated.get(year)!.has(date) && weekday(date) !== 0 && weekday(date) !== 6;
    },
  };
}

/** The working day on or before `date`. */
export function workdayOnOrBefore(cal: WorkCalendar, date: string): string {
  let d = date;
  for (let i = 0; i < 30 && !cal.isWorkday(d); i++) d = addDaysIso(d, -1);
  return d;
}

export { addDaysIso, iso as isoDate };
